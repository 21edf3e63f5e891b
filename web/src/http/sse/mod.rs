//! Server-Sent Events: `GET /sse?clientId=<chatId>`.
//!
//! Every ui event of a chat is stored with a per-chat sequence number before it is announced
//! (`UiEventRecordedEvent`, through the outbox) to every instance. Here:
//!
//! * [`SseHub`] (one per instance) passes each event to every HTTP worker thread serving SSE;
//!   each worker's hub keeps chat id → its live clients, each a bounded channel fed with
//!   `try_send`: a full or closed client is dropped, never awaited;
//! * the route authenticates, checks ownership, registers the client with the hub *first*,
//!   then reads the stored events after the client's cursor (`Last-Event-ID` or
//!   `lastEventId`; without one, after the chat's latest event: live events only);
//! * each connection's [`stream::ChatStream`] yields the replay, then the live events of its
//!   channel, skipping any sequence number it has already sent and fetching from the database
//!   any it finds missing, so the client sees every event once and in order.

mod hub;
mod replay;
mod route;
mod slots;
mod stream;

use actix_web_lab::sse;

pub use hub::{SseHub, SseHubHandle};
pub use slots::StreamSlots;

/// Registers `GET /sse`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(route::sse);
}

/// One stored ui event, ready to be written to any number of streams.
#[derive(Debug)]
pub(crate) struct UiEvent {
    pub seq: i64,
    pub name: String,
    /// The JSON payload, serialised once.
    pub data: String,
}

impl UiEvent {
    pub fn new(seq: i64, name: String, data: &serde_json::Value) -> Self {
        Self {
            seq,
            name,
            data: data.to_string(),
        }
    }

    /// `id: <seq>`, `event: <name>`, `data: <json>`.
    pub fn to_sse(&self) -> sse::Event {
        sse::Data::new(self.data.clone())
            .id(self.seq.to_string())
            .event(self.name.clone())
            .into()
    }
}
