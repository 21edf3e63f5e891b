//! User-facing updates. Each is stored as a ui event numbered per chat *before* it is pushed,
//! so a browser reconnecting with `Last-Event-ID` gets what it missed; every web instance is
//! told through `UiEventRecordedEvent`.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_actors::events::{Envelope, UiEventRecordedEvent};
use present_finder_actors::vocabulary::{PotentialAnswers, Stage};
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

#[derive(QueryableByName)]
struct RecordedSeq {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
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
    // One statement: taking the number and storing the event is one round trip.
    let recorded: Option<RecordedSeq> = diesel::sql_query(
        "WITH next AS ( \
             UPDATE chats SET last_ui_event_seq = last_ui_event_seq + 1 \
             WHERE chat_id = $1 RETURNING last_ui_event_seq \
         ) \
         INSERT INTO ui_events (chat_id, seq, event_name, data) \
         SELECT $1, last_ui_event_seq, $2, $3 FROM next RETURNING seq",
    )
    .bind::<diesel::sql_types::Uuid, _>(chat_id)
    .bind::<diesel::sql_types::Text, _>(event_name)
    .bind::<diesel::sql_types::Jsonb, _>(&data)
    .get_result(conn)
    .await
    .optional()?;
    let Some(RecordedSeq { seq }) = recorded else {
        return Ok(None);
    };
    Ok(Some(Envelope::new(
        chat_id,
        &UiEventRecordedEvent {
            seq,
            event_name: event_name.to_owned(),
            data,
        },
    )))
}
