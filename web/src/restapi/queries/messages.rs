//! The transcript of a chat's interview.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::messages;
use serde::Serialize;
use uuid::Uuid;

/// One message of the interview, as the chat page restores it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = messages)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: Uuid,
    pub chat_id: Uuid,
    /// `user`, `assistant` or `system`.
    #[schema(example = "assistant")]
    pub role: String,
    pub content: String,
    /// `{type: "select", answers: [{answerFullSentence, answerShortForm}]}`,
    /// `{type: "long_free_text"}` or null.
    #[schema(value_type = Option<Object>)]
    pub proposed_answers: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

/// The messages of the user's chat `chat_id`, oldest first; `None` when the chat is not theirs.
pub async fn of_chat(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Option<Vec<Message>>> {
    if !super::chats::owned(conn, user_id, chat_id).await? {
        return Ok(None);
    }
    messages::table
        .filter(messages::chat_id.eq(chat_id))
        .order((messages::created_at.asc(), messages::id.asc()))
        .select(Message::as_select())
        .load(conn)
        .await
        .map(Some)
}
