//! The gifts of one chat, in rank order, each marked with whether the user favourited it.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{chats, favorites, listings};
use uuid::Uuid;

use super::chats::ChatHead;
use crate::restapi::listing::{Listing, ListingRow};

/// A chat's results page: the chat, its listings and its latest ui event.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatGifts {
    pub chat: ChatHead,
    pub listings: Vec<Listing>,
    /// The sequence number of the chat's latest ui event (0 before the first).
    pub last_event_id: i64,
}

/// The user's chat `chat_id` with its listings in rank order; `None` when the chat is not
/// theirs. Two queries (the chat, then every listing with its favourite flag) in one
/// read-only snapshot, so the listings are exactly those of the events up to
/// `last_event_id`.
pub async fn chat_with_listings(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Option<ChatGifts>> {
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(async |conn| {
            let Some((chat, last_event_id)) = super::chats::head(conn, user_id, chat_id).await?
            else {
                return Ok(None);
            };
            let listings = of_chat(conn, user_id, chat_id).await?;
            Ok(Some(ChatGifts {
                chat,
                listings,
                last_event_id,
            }))
        })
        .await
}

/// The listings of `chat_id` (which must be the user's), best first, with `isFavorited`, in
/// one query.
pub async fn of_chat(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Vec<Listing>> {
    let rows: Vec<(ListingRow, bool)> = listings::table
        .inner_join(chats::table)
        .left_join(
            favorites::table.on(favorites::listing_id
                .eq(listings::id)
                .and(favorites::user_id.eq(user_id))),
        )
        .filter(listings::chat_id.eq(chat_id))
        .filter(chats::user_id.eq(user_id))
        .order(listings::rank.asc())
        .select((
            ListingRow::as_select(),
            favorites::listing_id.nullable().is_not_null(),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, favorited)| Listing::from_row(row, favorited))
        .collect())
}

/// Whether the listing belongs to one of the user's chats.
pub async fn owned(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    listing_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        listings::table
            .inner_join(chats::table)
            .filter(listings::id.eq(listing_id))
            .filter(chats::user_id.eq(user_id)),
    ))
    .get_result(conn)
    .await
}
