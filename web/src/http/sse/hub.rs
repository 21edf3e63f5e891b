//! The `SseHub` actor: this instance's live SSE clients, by chat.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use present_finder_actors::broker::{
    BrokerError, BrokerHandle, ConsumerGroup, Deliver, HandlerError,
};
use present_finder_actors::events::{Event, UiEventRecordedEvent};
use present_finder_actors::services::ServiceContext;
use tokio::sync::mpsc::{self, error::TrySendError};
use uuid::Uuid;

use super::UiEvent;
use crate::http::WebConfig;
use crate::http::metrics::Metrics;

/// How often clients whose connection went away without a [`Leave`] are pruned.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

/// The sending half of one client's buffer.
pub(crate) type ClientSender = mpsc::Sender<Arc<UiEvent>>;

struct Client {
    id: u64,
    tx: ClientSender,
}

/// Fans user-facing updates out to the SSE sessions of each chat.
///
/// Subscribed as a broadcast consumer of `UiEventRecordedEvent`, so every instance receives
/// every chat's events and pushes them to the clients connected to it. Pushing never waits:
/// each client has a bounded buffer filled with `try_send`; a client whose buffer is full is
/// dropped (its stream ends once drained, and the browser reconnects with `Last-Event-ID`).
pub struct SseHub {
    chats: HashMap<Uuid, Vec<Client>>,
    next_id: u64,
    metrics: Arc<Metrics>,
    /// Set by [`CloseAll`]: the instance is stopping and takes no new clients.
    closed: bool,
}

impl Actor for SseHub {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(SWEEP_INTERVAL, |hub, _| hub.sweep());
    }
}

impl SseHub {
    /// Starts this instance's hub, subscribed to the ui notifications through its own
    /// broadcast queue.
    pub async fn start(
        _restapi: ServiceContext,
        broker: &BrokerHandle,
        _config: &WebConfig,
    ) -> Result<Addr<SseHub>, BrokerError> {
        let hub = SseHub {
            chats: HashMap::new(),
            next_id: 0,
            metrics: Metrics::shared(),
            closed: false,
        }
        .start();
        broker
            .subscribe(
                ConsumerGroup::Broadcast,
                vec![UiEventRecordedEvent::NAME],
                hub.clone().recipient(),
            )
            .await?;
        Ok(hub)
    }

    fn sweep(&mut self) {
        self.chats.retain(|_, clients| {
            clients.retain(|client| !client.tx.is_closed());
            !clients.is_empty()
        });
    }
}

/// Register a client of `chat_id`; answers its id (for [`Leave`]).
#[derive(Message)]
#[rtype(result = "u64")]
pub(crate) struct Join {
    pub chat_id: Uuid,
    pub tx: ClientSender,
}

impl Handler<Join> for SseHub {
    type Result = u64;

    fn handle(&mut self, join: Join, _: &mut Self::Context) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        if self.closed {
            // Dropping the sender ends the new stream after its replay.
            return id;
        }
        self.chats
            .entry(join.chat_id)
            .or_default()
            .push(Client { id, tx: join.tx });
        id
    }
}

/// A client's connection ended.
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Leave {
    pub chat_id: Uuid,
    pub client_id: u64,
}

impl Handler<Leave> for SseHub {
    type Result = ();

    fn handle(&mut self, leave: Leave, _: &mut Self::Context) {
        if let Some(clients) = self.chats.get_mut(&leave.chat_id) {
            clients.retain(|client| client.id != leave.client_id);
            if clients.is_empty() {
                self.chats.remove(&leave.chat_id);
            }
        }
    }
}

/// Ends every client's stream, now and for clients that join later: the instance is
/// stopping, and open streams would hold its graceful shutdown until they time out. Each
/// stream still sends what it has buffered; browsers then reconnect (to another instance)
/// with `Last-Event-ID`. Answers how many clients were connected.
#[derive(Message)]
#[rtype(result = "usize")]
pub struct CloseAll;

impl Handler<CloseAll> for SseHub {
    type Result = usize;

    fn handle(&mut self, _: CloseAll, _: &mut Self::Context) -> usize {
        self.closed = true;
        let clients = self.chats.values().map(Vec::len).sum();
        self.chats.clear();
        clients
    }
}

impl Handler<Deliver> for SseHub {
    type Result = Result<(), HandlerError>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let chat_id = deliver.envelope.chat_id;
        let Some(clients) = self.chats.get_mut(&chat_id) else {
            return Ok(());
        };
        let recorded: UiEventRecordedEvent = deliver.envelope.decode()?;
        let event = Arc::new(UiEvent::new(
            recorded.seq,
            recorded.event_name,
            &recorded.data,
        ));
        let (mut sent, mut dropped) = (0_u64, 0_u64);
        clients.retain(|client| match client.tx.try_send(event.clone()) {
            Ok(()) => {
                sent += 1;
                true
            }
            Err(TrySendError::Full(_)) => {
                dropped += 1;
                false
            }
            Err(TrySendError::Closed(_)) => false,
        });
        if clients.is_empty() {
            self.chats.remove(&chat_id);
        }
        if dropped > 0 {
            log::info!(
                "dropped {dropped} SSE client(s) of chat {chat_id}: their buffer was full at event {}",
                event.seq
            );
        }
        self.metrics
            .sse_events
            .with_label_values(&["sent"])
            .inc_by(sent);
        self.metrics
            .sse_events
            .with_label_values(&["dropped"])
            .inc_by(dropped);
        Ok(())
    }
}
