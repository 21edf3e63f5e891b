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
    /// How far the whole search is, 0–100 (see [`percent`]); never lower than the chat's
    /// previous progress event.
    pub percent: u8,
}

impl Progress {
    pub fn new(stage: Stage, done: u32, total: u32, message: String) -> Self {
        Self {
            stage,
            done,
            total,
            message,
            percent: percent(stage, done, total),
        }
    }
}

/// Where the whole search is, in percent, when `stage` has done `done` of `total`: each stage
/// fills its own span of the bar, in the order of the stages; only `done` reaches 100.
pub fn percent(stage: Stage, done: u32, total: u32) -> u8 {
    let (start, end): (u8, u8) = match stage {
        Stage::Profiling => (0, 5),
        Stage::Interview => (5, 10),
        Stage::Ideas => (10, 25),
        Stage::Searching => (25, 75),
        Stage::Scoring => (75, 95),
        Stage::Done => return 100,
    };
    if total == 0 {
        return start;
    }
    let span = u64::from(end - start);
    let filled = span * u64::from(done.min(total)) / u64::from(total);
    start + u8::try_from(filled).unwrap_or(end - start)
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

/// Takes the chat's next sequence number and stores the event under it: one statement, one
/// round trip. `$1` chat id, `$2` event name, `$3` data.
const RECORD: &str = "WITH next AS ( \
         UPDATE chats SET last_ui_event_seq = last_ui_event_seq + 1 \
         WHERE chat_id = $1 RETURNING last_ui_event_seq \
     ) \
     INSERT INTO ui_events (chat_id, seq, event_name, data) \
     SELECT $1, last_ui_event_seq, $2, $3 FROM next RETURNING seq";

/// [`RECORD`] for a progress event of `$4` percent: only while the search runs (not after
/// its results or its failure) and when it does not move the chat's progress backwards.
const RECORD_PROGRESS: &str = "WITH next AS ( \
         UPDATE chats SET last_ui_event_seq = last_ui_event_seq + 1, progress_percent = $4 \
         WHERE chat_id = $1 AND progress_percent <= $4 AND status NOT IN ('ready', 'failed') \
         RETURNING last_ui_event_seq \
     ) \
     INSERT INTO ui_events (chat_id, seq, event_name, data) \
     SELECT $1, last_ui_event_seq, $2, $3 FROM next RETURNING seq";

/// Stores one ui event of `chat_id` under the chat's next sequence number and returns the
/// notification to publish through the outbox, or `None` when the chat no longer exists.
pub async fn record(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    event_name: &str,
    data: &impl Serialize,
) -> QueryResult<Option<Envelope>> {
    store(conn, chat_id, event_name, to_json(data)?, None).await
}

/// Records a `progress` event, unless it would lower the chat's progress or the search is
/// over (`None` then, as when the chat no longer exists). Progress comes from several
/// services and can arrive out of order; this keeps the bar from moving backwards.
pub async fn record_progress(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    progress: &Progress,
) -> QueryResult<Option<Envelope>> {
    let percent = i16::from(progress.percent);
    store(conn, chat_id, PROGRESS, to_json(progress)?, Some(percent)).await
}

fn to_json(data: &impl Serialize) -> QueryResult<serde_json::Value> {
    serde_json::to_value(data).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}

/// [`RECORD`], or [`RECORD_PROGRESS`] with `progress_percent`.
async fn store(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    event_name: &str,
    data: serde_json::Value,
    progress_percent: Option<i16>,
) -> QueryResult<Option<Envelope>> {
    let sql = if progress_percent.is_some() {
        RECORD_PROGRESS
    } else {
        RECORD
    };
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::pg::Pg>()
        .bind::<diesel::sql_types::Uuid, _>(chat_id)
        .bind::<diesel::sql_types::Text, _>(event_name.to_owned())
        .bind::<diesel::sql_types::Jsonb, _>(data.clone());
    if let Some(percent) = progress_percent {
        query = query.bind::<diesel::sql_types::SmallInt, _>(percent);
    }
    let recorded: Option<RecordedSeq> = query.get_result(conn).await.optional()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_follows_the_stages_in_order_and_only_done_reaches_100() {
        let path = [
            (Stage::Profiling, 0, 1),
            (Stage::Interview, 0, 1),
            (Stage::Ideas, 0, 1),
            (Stage::Ideas, 1, 1),
            (Stage::Searching, 0, 8),
            (Stage::Searching, 2, 8),
            (Stage::Searching, 8, 8),
            (Stage::Scoring, 0, 1),
            (Stage::Scoring, 1, 1),
            (Stage::Done, 1, 1),
        ];
        let percents: Vec<u8> = path
            .iter()
            .map(|&(stage, done, total)| percent(stage, done, total))
            .collect();
        assert_eq!(percents, [0, 5, 10, 25, 25, 37, 75, 75, 95, 100]);
        assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
    }

    #[test]
    fn percent_stays_within_its_stage_whatever_the_counts() {
        assert_eq!(percent(Stage::Searching, 0, 0), 25, "nothing to do yet");
        assert_eq!(
            percent(Stage::Searching, 9, 8),
            75,
            "more done than announced"
        );
        assert_eq!(percent(Stage::Scoring, u32::MAX, u32::MAX), 95);
        assert_eq!(percent(Stage::Done, 0, 0), 100);
        // Each stage ends where the next starts, so a later stage never lowers it.
        assert!(percent(Stage::Ideas, 1, 1) <= percent(Stage::Searching, 0, 1));
    }
}
