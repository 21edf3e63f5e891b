//! What the SSE route reads from the restapi database: the chat's owner, and the stored ui
//! events of a chat after a sequence number (the replay behind `Last-Event-ID`).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use present_finder_schema::DbPool;
use present_finder_schema::tables::restapi::{chats, ui_events};
use uuid::Uuid;

use super::UiEvent;
use crate::http::ApiError;

/// The owner of `chat_id` and the sequence number of its latest ui event, if the chat exists.
pub async fn chat_owner(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
) -> QueryResult<Option<(Uuid, i64)>> {
    chats::table
        .find(chat_id)
        .select((chats::user_id, chats::last_ui_event_seq))
        .first(conn)
        .await
        .optional()
}

/// The ui events of `chat_id` with `after < seq < before` (no upper bound when `before` is
/// `None`), in order of sequence.
pub async fn events_between(
    conn: &mut AsyncPgConnection,
    chat_id: Uuid,
    after: i64,
    before: Option<i64>,
) -> QueryResult<Vec<UiEvent>> {
    let mut query = ui_events::table
        .filter(ui_events::chat_id.eq(chat_id))
        .filter(ui_events::seq.gt(after))
        .select((ui_events::seq, ui_events::event_name, ui_events::data))
        .order(ui_events::seq.asc())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(ui_events::seq.lt(before));
    }
    let rows: Vec<(i64, String, serde_json::Value)> = query.load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(seq, name, data)| UiEvent::new(seq, name, &data))
        .collect())
}

/// [`events_between`] on a connection of `pool` (the gap fill of a live stream).
pub async fn fill_gap(
    pool: DbPool,
    chat_id: Uuid,
    after: i64,
    before: i64,
) -> Result<Vec<UiEvent>, ApiError> {
    let mut conn = pool.get().await?;
    Ok(events_between(&mut conn, chat_id, after, Some(before)).await?)
}
