//! `GET /sse?clientId=<chatId>`: the owner's stream of a chat's ui events.

use std::time::Duration;

use actix_web::http::header::HeaderMap;
use actix_web::{HttpRequest, Responder, get, web};
use actix_web_lab::sse::Sse;
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::IntoParams;
use uuid::Uuid;

use super::replay;
use super::stream::{ChatStream, Registration};
use crate::http::auth::AuthUser;
use crate::http::{ApiError, AppState};

/// How long a browser waits before reconnecting (sent first, as `retry:`).
const RETRY: Duration = Duration::from_secs(3);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct SseParams {
    /// The chat to follow (its id doubles as the SSE client id).
    #[param(value_type = String, format = Uuid, required = true)]
    client_id: Option<String>,
    /// The cursor, for clients that cannot set headers: same as the `Last-Event-ID` header
    /// (which wins). Absent: live events only; `0`: the chat's whole history first.
    #[param(value_type = Option<i64>)]
    last_event_id: Option<String>,
}

/// The ui events of one chat, as Server-Sent Events (owner only).
///
/// `retry: 3000` first. Without a cursor (no `Last-Event-ID` header, no `lastEventId`
/// parameter) only the events recorded from now on; with a cursor `n`, every stored event
/// after `n`, then the live ones, each once. The REST responses that load a chat (its
/// messages, the chat, its listings) carry `lastEventId`: load them, then stream from it.
/// Events: `event: ui-update` (a `SseMessage`), `progress` or `session-error`, each with
/// `id:` its sequence number in the chat. `: keep-alive` comments keep idle connections open.
#[utoipa::path(
    tag = "sse",
    params(
        SseParams,
        ("Last-Event-ID" = Option<i64>, Header, description = "The last event id the client received: the stored events after it are sent first. Absent (and no `lastEventId`): live events only"),
    ),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = String),
        (status = 400, description = "`clientId` missing or not a UUID, or a non-numeric last event id"),
        (status = 401, description = "Not authenticated"),
        (status = 404, description = "No such chat of the caller"),
        (status = 429, description = "The caller holds `SSE_MAX_PER_USER` streams open on this instance already"),
        (status = 503, description = "This instance does not serve the API, or the database is unavailable"),
    ),
    security(("bearer" = []), ("cookie" = [])),
)]
#[get("/sse")]
pub async fn sse(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<impl Responder, ApiError> {
    let params = web::Query::<SseParams>::from_query(req.query_string())
        .map_err(|e| ApiError::field("query", e.to_string()))?
        .into_inner();
    let chat_id = chat_id(params.client_id.as_deref())?;
    let last_event_id = last_event_id(req.headers(), params.last_event_id.as_deref())?;
    let restapi = state.restapi()?;
    let slot = state
        .sse_slots
        .take(user.id)
        .ok_or(ApiError::TooManyRequests { retry_after: RETRY })?;
    let hub = state
        .sse
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable("this instance does not serve SSE".into()))?;

    let mut conn = restapi.pool.get().await?;
    let latest = match replay::chat_owner(&mut conn, chat_id).await? {
        Some((owner, latest)) if owner == user.id => latest,
        _ => return Err(ApiError::chat_not_found()),
    };
    // No cursor: live events only, as if the client had seen everything stored. A client
    // cannot have seen an event that was not stored yet.
    let after = last_event_id.map_or(latest, |seen| seen.min(latest));

    // Join first, so nothing recorded from now on can be missed; the replay then covers
    // everything recorded before (without a cursor: what was recorded since `latest` was
    // read). The overlap is skipped by the stream.
    let worker_hub = hub
        .worker()
        .await
        .map_err(|_| ApiError::Unavailable("the SSE hub is not running".into()))?;
    let (tx, rx) = mpsc::channel(state.config.sse_client_buffer.max(1));
    let registration = Registration::join(
        worker_hub,
        chat_id,
        tx,
        state.metrics.sse_connections.clone(),
    );
    let replay = replay::events_between(&mut conn, chat_id, after, None).await?;
    drop(conn);
    state
        .metrics
        .sse_events
        .with_label_values(&["replayed"])
        .inc_by(replay.len() as u64);

    let stream = ChatStream::new(
        chat_id,
        after,
        replay,
        rx,
        restapi.pool.clone(),
        registration,
        slot,
    );
    Ok(Sse::from_infallible_stream(stream)
        .with_retry_duration(RETRY)
        .with_keep_alive(state.config.sse_keep_alive)
        .customize()
        // Proxies must not buffer the stream.
        .insert_header(("X-Accel-Buffering", "no")))
}

fn chat_id(value: Option<&str>) -> Result<Uuid, ApiError> {
    let value = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::field("clientId", "is required (the chat id)"))?;
    Uuid::parse_str(value).map_err(|_| ApiError::field("clientId", "must be a UUID"))
}

/// The `Last-Event-ID` header, else the `lastEventId` query parameter; empty means none.
fn last_event_id(headers: &HeaderMap, query: Option<&str>) -> Result<Option<i64>, ApiError> {
    let (name, value) = match headers.get("last-event-id") {
        Some(value) => (
            "Last-Event-ID",
            value
                .to_str()
                .map_err(|_| ApiError::field("Last-Event-ID", "must be a whole number"))?,
        ),
        None => match query {
            Some(value) => ("lastEventId", value),
            None => return Ok(None),
        },
    };
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(Some(n)),
        _ => Err(ApiError::field(name, "must be a whole number of 0 or more")),
    }
}
