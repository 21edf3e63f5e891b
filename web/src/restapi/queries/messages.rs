//! The transcript of a chat's interview.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::tables::restapi::{chats, messages};
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

/// A chat's transcript with the sequence number of its latest ui event (0 before the first).
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    pub messages: Vec<Message>,
    pub last_event_id: i64,
}

/// The messages of the user's chat `chat_id`, oldest first, and its latest ui event; `None`
/// when the chat is not theirs. One statement, so both come from one snapshot: a client that
/// streams the chat's events after `last_event_id` gets exactly the messages it lacks.
pub async fn of_chat(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    chat_id: Uuid,
) -> QueryResult<Option<Transcript>> {
    let rows: Vec<(i64, Option<Message>)> = chats::table
        .left_join(messages::table)
        .filter(chats::chat_id.eq(chat_id))
        .filter(chats::user_id.eq(user_id))
        .order((messages::created_at.asc(), messages::id.asc()))
        .select((chats::last_ui_event_seq, Option::<Message>::as_select()))
        .load(conn)
        .await?;
    // (`rows.first()` would be `RunQueryDsl::first`.)
    let Some(&(last_event_id, _)) = <[_]>::first(&rows) else {
        return Ok(None);
    };
    let messages = rows
        .into_iter()
        .filter_map(|(_, message)| message)
        .collect();
    Ok(Some(Transcript {
        messages,
        last_event_id,
    }))
}
