//! User-facing updates. Each is stored as a ui event numbered per chat *before* it is pushed,
//! so a browser reconnecting with `Last-Event-ID` gets what it missed; every web instance is
//! told through `UiEventRecordedEvent`.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_actors::events::{Envelope, UiEventRecordedEvent};
use present_finder_actors::vocabulary::{PotentialAnswers, Stage};
use present_finder_schema::tables::restapi::{chats, ui_events};
use serde::Serialize;
use uuid::Uuid;

use super::listing::ListingWithId;

/// The SSE event names.
pub const UI_UPDATE: &str = "ui-update";
pub const PROGRESS: &str = "progress";
pub const SESSION_ERROR: &str = "session-error";

/// The `ui-update` messages, exactly as the predecessor's web client reads them.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum UiUpdate {
    ChatbotMessage {
        message: ChatbotMessage,
    },
    ChatInterviewCompleted,
    ChatInappropriateRequest {
        reason: String,
    },
    GiftReady {
        data: Vec<ListingWithId>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        partial: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatbotMessage {
    pub id: Uuid,
    pub content: String,
    pub sender: Sender,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub potential_answers: Option<PotentialAnswers>,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    User,
    Assistant,
}

/// The payload of a `progress` event.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub stage: Stage,
    pub done: u32,
    pub total: u32,
    pub message: String,
}

/// The payload of a `session-error` event.
#[derive(Debug, Clone, Serialize)]
pub struct SessionError {
    pub stage: Stage,
    pub reason: String,
    pub retryable: bool,
}

/// Stores one ui event of `chat_id` under the chat's next sequence number and returns the
/// notification to publish through the outbox, or `None` when the chat no longer exists.
pub async fn record(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    event_name: &str,
    data: &impl Serialize,
) -> QueryResult<Option<Envelope>> {
    let data = serde_json::to_value(data)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let seq: Option<i64> = diesel::update(chats::table.find(chat_id))
        .set(chats::last_ui_event_seq.eq(chats::last_ui_event_seq + 1))
        .returning(chats::last_ui_event_seq)
        .get_result(conn)
        .await
        .optional()?;
    let Some(seq) = seq else {
        return Ok(None);
    };
    diesel::insert_into(ui_events::table)
        .values((
            ui_events::chat_id.eq(chat_id),
            ui_events::seq.eq(seq),
            ui_events::event_name.eq(event_name),
            ui_events::data.eq(&data),
        ))
        .execute(conn)
        .await?;
    Ok(Some(Envelope::new(
        chat_id,
        &UiEventRecordedEvent {
            seq,
            event_name: event_name.to_owned(),
            data,
        },
    )))
}
