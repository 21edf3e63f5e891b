//! One SSE connection's event stream: the replay, then the live events, each sequence
//! number exactly once and in order.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web_lab::sse;
use futures_util::Stream;
use futures_util::future::LocalBoxFuture;
use present_finder_schema::DbPool;
use prometheus::IntGauge;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::UiEvent;
use super::hub::{ClientSender, SharedWorkerHub};
use super::replay;
use super::slots::StreamSlot;
use crate::http::ApiError;

/// The client's place in its worker's hub: dropping it (the connection closed) leaves the
/// hub and lowers the connection gauge.
pub(crate) struct Registration {
    hub: SharedWorkerHub,
    chat_id: Uuid,
    client_id: u64,
    gauge: IntGauge,
}

impl Registration {
    /// Joins `hub` as a client of `chat_id` fed through `tx`.
    pub fn join(hub: SharedWorkerHub, chat_id: Uuid, tx: ClientSender, gauge: IntGauge) -> Self {
        let client_id = hub.borrow_mut().join(chat_id, tx);
        gauge.inc();
        Self {
            hub,
            chat_id,
            client_id,
            gauge,
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.gauge.dec();
        // Busy only while it is pushing; it then drops this client by itself (closed buffer).
        if let Ok(mut hub) = self.hub.try_borrow_mut() {
            hub.leave(self.chat_id, self.client_id);
        }
    }
}

type Fill = LocalBoxFuture<'static, Result<Vec<UiEvent>, ApiError>>;

/// Yields `pending` (the replay), then what the hub pushes into `live`.
///
/// `last` is the highest sequence number sent. A live event at or below it is a duplicate
/// (it was replayed, or redelivered) and is skipped. A live event above `last + 1` means
/// some arrived out of order or not at all: the missing ones are read from the database
/// before it. The stream ends when the hub drops the client (buffer full); the browser then
/// reconnects with `Last-Event-ID`.
pub(crate) struct ChatStream {
    chat_id: Uuid,
    last: i64,
    pending: VecDeque<Arc<UiEvent>>,
    live: mpsc::Receiver<Arc<UiEvent>>,
    /// A gap being filled: the live event that revealed it, and the query.
    filling: Option<(Arc<UiEvent>, Fill)>,
    pool: DbPool,
    _registration: Registration,
    _slot: StreamSlot,
}

impl ChatStream {
    pub fn new(
        chat_id: Uuid,
        after: i64,
        replay: Vec<UiEvent>,
        live: mpsc::Receiver<Arc<UiEvent>>,
        pool: DbPool,
        registration: Registration,
        slot: StreamSlot,
    ) -> Self {
        Self {
            chat_id,
            last: after,
            pending: replay.into_iter().map(Arc::new).collect(),
            live,
            filling: None,
            pool,
            _registration: registration,
            _slot: slot,
        }
    }
}

impl Stream for ChatStream {
    type Item = sse::Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<sse::Event>> {
        let this = self.get_mut();
        loop {
            if let Some((_, fill)) = &mut this.filling {
                let missing = match fill.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(missing)) => missing,
                    Poll::Ready(Err(error)) => {
                        // End the stream: the browser reconnects with Last-Event-ID and
                        // gets a clean replay.
                        log::warn!(
                            "SSE stream of chat {} ends: missing events unreadable: {error}",
                            this.chat_id
                        );
                        return Poll::Ready(None);
                    }
                };
                if let Some((revealing, _)) = this.filling.take() {
                    this.pending.extend(missing.into_iter().map(Arc::new));
                    this.pending.push_back(revealing);
                }
            }
            if let Some(event) = this.pending.pop_front() {
                if event.seq > this.last {
                    this.last = event.seq;
                    return Poll::Ready(Some(event.to_sse()));
                }
                continue;
            }
            let event = match this.live.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(event)) => event,
            };
            if event.seq <= this.last {
                continue;
            }
            if event.seq > this.last + 1 {
                let fill = replay::fill_gap(this.pool.clone(), this.chat_id, this.last, event.seq);
                this.filling = Some((event, Box::pin(fill)));
                continue;
            }
            this.last = event.seq;
            return Poll::Ready(Some(event.to_sse()));
        }
    }
}
