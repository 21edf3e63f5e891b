//! `GET /auth/me/export`: everything stored about an account, read in one consistent
//! snapshot.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{
    chats, favorites, feedback, listings, messages, user_profiles,
};
use serde::Serialize;
use uuid::Uuid;

use super::users::{self, UserRow};
use crate::restapi::listing::ListingRow;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    pub account: UserRow,
    /// Every chat with its messages and listings (in rank order), oldest first.
    pub chats: Vec<ChatExport>,
    pub saved_profiles: Vec<ProfileExport>,
    pub favorites: Vec<FavoriteExport>,
    pub feedback: Vec<FeedbackExport>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = chats)]
#[diesel(check_for_backend(diesel::pg::Pg))]
struct ChatRow {
    chat_id: Uuid,
    chat_name: String,
    occasion: String,
    locale: String,
    status: String,
    is_interview_completed: bool,
    reasoning_summary: Option<serde_json::Value>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatExport {
    pub chat_id: Uuid,
    pub chat_name: String,
    pub occasion: String,
    pub locale: String,
    pub status: String,
    pub is_interview_completed: bool,
    #[schema(value_type = Option<Object>)]
    pub reasoning_summary: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub messages: Vec<MessageExport>,
    pub listings: Vec<ListingRow>,
}

#[derive(Debug, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = messages)]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct MessageExport {
    pub id: Uuid,
    #[serde(skip)]
    pub chat_id: Uuid,
    pub role: String,
    pub content: String,
    #[schema(value_type = Option<Object>)]
    pub proposed_answers: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = user_profiles)]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct ProfileExport {
    pub id: Uuid,
    pub chat_id: Option<Uuid>,
    pub person_name: String,
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
    #[schema(value_type = Vec<String>)]
    pub key_themes: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FavoriteExport {
    pub listing_id: Uuid,
    pub chat_id: Uuid,
    pub title: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = feedback)]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[serde(rename_all = "camelCase")]
pub struct FeedbackExport {
    pub id: Uuid,
    pub chat_id: Uuid,
    pub rating: i16,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The export of `user_id`, or `None` when the account does not exist.
pub async fn load(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Option<AccountExport>> {
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(async |conn| {
            let Some(account) = users::find(conn, user_id).await? else {
                return Ok(None);
            };
            let chat_rows: Vec<ChatRow> = chats::table
                .filter(chats::user_id.eq(user_id))
                .order((chats::created_at.asc(), chats::chat_id.asc()))
                .select(ChatRow::as_select())
                .load(conn)
                .await?;
            let chat_ids: Vec<Uuid> = chat_rows.iter().map(|c| c.chat_id).collect();
            let all_messages: Vec<MessageExport> = messages::table
                .filter(messages::chat_id.eq_any(&chat_ids))
                .order((messages::created_at.asc(), messages::id.asc()))
                .select(MessageExport::as_select())
                .load(conn)
                .await?;
            let all_listings: Vec<ListingRow> = listings::table
                .filter(listings::chat_id.eq_any(&chat_ids))
                .order((listings::chat_id.asc(), listings::rank.asc()))
                .select(ListingRow::as_select())
                .load(conn)
                .await?;
            let mut messages_of = group_by_chat(all_messages, |m| m.chat_id);
            let mut listings_of = group_by_chat(all_listings, |l| l.chat_id);
            let chats = chat_rows
                .into_iter()
                .map(|chat| ChatExport {
                    messages: messages_of.remove(&chat.chat_id).unwrap_or_default(),
                    listings: listings_of.remove(&chat.chat_id).unwrap_or_default(),
                    chat_id: chat.chat_id,
                    chat_name: chat.chat_name,
                    occasion: chat.occasion,
                    locale: chat.locale,
                    status: chat.status,
                    is_interview_completed: chat.is_interview_completed,
                    reasoning_summary: chat.reasoning_summary,
                    created_at: chat.created_at,
                    updated_at: chat.updated_at,
                })
                .collect();
            let saved_profiles = user_profiles::table
                .filter(user_profiles::user_id.eq(user_id))
                .order(user_profiles::created_at.asc())
                .select(ProfileExport::as_select())
                .load(conn)
                .await?;
            let favorites = favorites::table
                .inner_join(listings::table)
                .filter(favorites::user_id.eq(user_id))
                .order(favorites::created_at.asc())
                .select((
                    favorites::listing_id,
                    listings::chat_id,
                    listings::title,
                    listings::link,
                    favorites::created_at,
                ))
                .load(conn)
                .await?;
            let feedback = feedback::table
                .filter(feedback::user_id.eq(user_id))
                .order(feedback::created_at.asc())
                .select(FeedbackExport::as_select())
                .load(conn)
                .await?;
            Ok(Some(AccountExport {
                exported_at: Utc::now(),
                account,
                chats,
                saved_profiles,
                favorites,
                feedback,
            }))
        })
        .await
}

/// Rows grouped by chat, keeping their order.
fn group_by_chat<T>(rows: Vec<T>, chat_of: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Vec<T>> {
    let mut groups: HashMap<Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(chat_of(&row)).or_default().push(row);
    }
    groups
}
