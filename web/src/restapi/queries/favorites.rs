//! The user's favourite gifts. A listing can only be favourited by the owner of its chat.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{chats, favorites, listings};
use uuid::Uuid;

use super::is_foreign_key_violation;
use crate::restapi::listing::{Listing, ListingRow};

/// The user's favourites, most recently added first.
pub async fn list(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<Listing>> {
    let rows: Vec<ListingRow> = favorites::table
        .inner_join(listings::table.inner_join(chats::table))
        .filter(favorites::user_id.eq(user_id))
        .filter(chats::user_id.eq(user_id))
        .order((favorites::created_at.desc(), listings::id.desc()))
        .select(ListingRow::as_select())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Listing::from_row(row, true))
        .collect())
}

/// Marks a listing of one of the user's chats as favourite (again: no effect). `false` when
/// the listing is not the user's.
pub async fn add(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    listing_id: Uuid,
) -> QueryResult<bool> {
    if !super::listings::owned(conn, user_id, listing_id).await? {
        return Ok(false);
    }
    let inserted = diesel::insert_into(favorites::table)
        .values((
            favorites::user_id.eq(user_id),
            favorites::listing_id.eq(listing_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await;
    match inserted {
        Ok(_) => Ok(true),
        // The chat was deleted in between.
        Err(error) if is_foreign_key_violation(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Removes a favourite; removing one that is not there is no error.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    listing_id: Uuid,
) -> QueryResult<()> {
    diesel::delete(
        favorites::table
            .filter(favorites::user_id.eq(user_id))
            .filter(favorites::listing_id.eq(listing_id)),
    )
    .execute(conn)
    .await?;
    Ok(())
}
