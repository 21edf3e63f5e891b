//! Chats (gift searches) of one user: the history list, one chat, rename, delete.

use chrono::{DateTime, Utc};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::{Pg, PgValue};
use diesel::prelude::*;
use diesel::sql_types::Json;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{chats, user_profiles};
use serde::Serialize;
use serde_json::value::RawValue;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = chats)]
struct ChatRow {
    chat_id: Uuid,
    chat_name: String,
    created_at: DateTime<Utc>,
    is_interview_completed: bool,
    reasoning_summary: Option<JsonText>,
    status: String,
    last_ui_event_seq: i64,
    gift_count: i32,
}

/// A chat as the history and the chat page show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatSummary {
    pub chat_id: Uuid,
    pub chat_name: String,
    pub created_at: DateTime<Utc>,
    /// The interview is over (or the chat already has gifts).
    pub is_interview_completed: bool,
    /// How many gifts the search found.
    pub gift_count: i64,
    /// `{recipientProfile?, keyThemesAndKeywords?}` once the gifts are ready, else null.
    #[schema(value_type = Option<Object>)]
    pub reasoning_summary: Option<Box<RawValue>>,
    /// `interview`, `searching`, `ready` or `failed`.
    #[schema(example = "ready")]
    pub status: String,
    /// The id of the chat's latest SSE event (0 before the first): stream from it
    /// (`GET /sse?clientId=…&lastEventId=…`) to follow the chat from this state on.
    pub last_event_id: i64,
}

impl From<ChatRow> for ChatSummary {
    fn from(row: ChatRow) -> Self {
        Self {
            chat_id: row.chat_id,
            chat_name: row.chat_name,
            created_at: row.created_at,
            is_interview_completed: row.is_interview_completed || row.gift_count > 0,
            gift_count: i64::from(row.gift_count),
            reasoning_summary: row.reasoning_summary.map(|summary| summary.0),
            status: row.status,
            last_event_id: row.last_ui_event_seq,
        }
    }
}

/// A `json` value as the text PostgreSQL stored, passed on without being parsed into a tree
/// and written out again: the reasoning summaries are most of the history list, and building
/// and re-encoding them was most of its cost.
#[derive(Debug, Clone, FromSqlRow)]
#[diesel(sql_type = Json)]
struct JsonText(Box<RawValue>);

impl FromSql<Json, Pg> for JsonText {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        // `json` is sent as its text, in the binary format too.
        Ok(Self(serde_json::from_slice(value.as_bytes())?))
    }
}

/// The chat part of a chat's listings page.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = chats)]
#[serde(rename_all = "camelCase")]
pub struct ChatHead {
    pub chat_id: Uuid,
    pub chat_name: String,
    #[schema(value_type = Option<Object>)]
    pub reasoning_summary: Option<serde_json::Value>,
}

/// The user's chats, newest first: one index scan, one row per chat (the gift count is kept
/// on the chat, not counted here).
pub async fn list(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<ChatSummary>> {
    let rows: Vec<ChatRow> = chats::table
        .filter(chats::user_id.eq(user_id))
        .order((chats::created_at.desc(), chats::chat_id.desc()))
        .select(ChatRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(ChatSummary::from).collect())
}

/// One chat of the user, or `None`.
pub async fn get(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Option<ChatSummary>> {
    let row: Option<ChatRow> = chats::table
        .filter(chats::user_id.eq(user_id))
        .filter(chats::chat_id.eq(chat_id))
        .select(ChatRow::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(ChatSummary::from))
}

/// Id, name and reasoning summary of one chat of the user with the sequence number of its
/// latest ui event, or `None`.
pub async fn head(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Option<(ChatHead, i64)>> {
    chats::table
        .filter(chats::user_id.eq(user_id))
        .filter(chats::chat_id.eq(chat_id))
        .select((ChatHead::as_select(), chats::last_ui_event_seq))
        .first(conn)
        .await
        .optional()
}

/// Whether the chat exists and belongs to the user.
pub async fn owned(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        chats::table
            .filter(chats::user_id.eq(user_id))
            .filter(chats::chat_id.eq(chat_id)),
    ))
    .get_result(conn)
    .await
}

/// Renames a chat of the user; `false` when there is no such chat.
pub async fn rename(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
    name: &str,
) -> QueryResult<bool> {
    let updated = diesel::update(
        chats::table
            .filter(chats::user_id.eq(user_id))
            .filter(chats::chat_id.eq(chat_id)),
    )
    .set((chats::chat_name.eq(name), chats::updated_at.eq(Utc::now())))
    .execute(conn)
    .await?;
    Ok(updated > 0)
}

/// Deletes a chat of the user with everything hanging off it (messages, listings and their
/// favourites, ui events, feedback go by cascade); a saved profile it produced stays but no
/// longer points at it. `false` when there is no such chat. The other services' data of the
/// chat is erased by [`crate::restapi::commands::delete_chat`], which calls this.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<bool> {
    conn.transaction(async |conn| {
        let deleted = diesel::delete(
            chats::table
                .filter(chats::user_id.eq(user_id))
                .filter(chats::chat_id.eq(chat_id)),
        )
        .execute(conn)
        .await?;
        if deleted > 0 {
            diesel::update(
                user_profiles::table
                    .filter(user_profiles::user_id.eq(user_id))
                    .filter(user_profiles::chat_id.eq(chat_id)),
            )
            .set(user_profiles::chat_id.eq(None::<Uuid>))
            .execute(conn)
            .await?;
        }
        Ok(deleted > 0)
    })
    .await
}
