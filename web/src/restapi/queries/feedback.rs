//! Feedback on a gift search: one per chat, from its owner; admins read them all.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{chats, feedback};
use serde::Serialize;
use uuid::Uuid;

use super::is_foreign_key_violation;

/// One feedback.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = feedback)]
#[serde(rename_all = "camelCase")]
pub struct Feedback {
    pub id: Uuid,
    pub chat_id: Uuid,
    pub user_id: Uuid,
    /// 1–5.
    pub rating: i16,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The outcome of giving feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    Created,
    /// The chat is not the user's.
    ChatNotFound,
    /// The chat already has feedback.
    AlreadyGiven,
}

/// Records the user's feedback on their chat `chat_id`.
pub async fn give(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
    rating: i16,
    comment: Option<&str>,
) -> QueryResult<Given> {
    if !super::chats::owned(conn, user_id, chat_id).await? {
        return Ok(Given::ChatNotFound);
    }
    let inserted = diesel::insert_into(feedback::table)
        .values((
            feedback::id.eq(Uuid::now_v7()),
            feedback::chat_id.eq(chat_id),
            feedback::user_id.eq(user_id),
            feedback::rating.eq(rating),
            feedback::comment.eq(comment),
        ))
        .on_conflict(feedback::chat_id)
        .do_nothing()
        .execute(conn)
        .await;
    match inserted {
        Ok(0) => Ok(Given::AlreadyGiven),
        Ok(_) => Ok(Given::Created),
        // The chat was deleted in between.
        Err(error) if is_foreign_key_violation(&error) => Ok(Given::ChatNotFound),
        Err(error) => Err(error),
    }
}

/// The feedback on the user's chat `chat_id`, or `None` (no feedback, or not their chat).
pub async fn of_chat(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Option<Feedback>> {
    feedback::table
        .inner_join(chats::table)
        .filter(feedback::chat_id.eq(chat_id))
        .filter(chats::user_id.eq(user_id))
        .select(Feedback::as_select())
        .first(conn)
        .await
        .optional()
}

/// One page of all feedback, newest first (`page` counts from 1).
pub async fn page(
    conn: &mut AsyncPgConnection,
    page: u32,
    page_size: u32,
) -> QueryResult<Vec<Feedback>> {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(page_size);
    feedback::table
        .order((feedback::created_at.desc(), feedback::id.desc()))
        .limit(i64::from(page_size))
        .offset(offset)
        .select(Feedback::as_select())
        .load(conn)
        .await
}
