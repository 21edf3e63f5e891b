//! This instance's live SSE clients, by chat, and the fan-out of ui events to them.
//!
//! The [`SseHub`] actor receives every chat's `UiEventRecordedEvent` and passes each one,
//! once, to every HTTP worker thread that serves SSE clients. Each worker's [`WorkerHub`]
//! keeps the clients connected to that worker and fills their bounded buffers on the worker's
//! own thread. An event followed by 10,000 clients so costs the actor one message per worker,
//! not 10,000 wake-ups of tasks on other threads, and a client joins and leaves without any
//! message at all (the worker hub is a thread-local).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use actix::prelude::*;
use present_finder_actors::broker::{
    BrokerError, BrokerHandle, ConsumerGroup, Deliver, HandlerError, Workload,
};
use present_finder_actors::events::{Event, UiEventRecordedEvent};
use tokio::sync::OnceCell;
use tokio::sync::mpsc::{self, error::TrySendError};
use uuid::Uuid;

use super::UiEvent;
use crate::http::metrics::Metrics;

/// The sending half of one client's buffer.
pub(crate) type ClientSender = mpsc::Sender<Arc<UiEvent>>;

/// What the hub tells a worker.
enum ToWorker {
    Push {
        chat_id: Uuid,
        event: Arc<UiEvent>,
    },
    /// The instance is stopping: end every stream, take no new client.
    Close,
}

/// Fans user-facing updates out to the SSE sessions of each chat.
///
/// Subscribed as a broadcast consumer of `UiEventRecordedEvent`, so every instance receives
/// every chat's events and pushes them to the clients connected to it. Pushing never waits:
/// each client has a bounded buffer filled with `try_send`; a client whose buffer is full is
/// dropped (its stream ends once drained, and the browser reconnects with `Last-Event-ID`).
pub struct SseHub {
    workers: Vec<mpsc::UnboundedSender<ToWorker>>,
    connected: Arc<AtomicUsize>,
    /// Set by [`CloseAll`]: the instance is stopping and takes no new clients.
    closed: bool,
}

impl Actor for SseHub {
    type Context = Context<Self>;
}

/// The hub of one instance, as the request handlers hold it.
#[derive(Clone)]
pub struct SseHubHandle {
    id: u64,
    addr: Addr<SseHub>,
    connected: Arc<AtomicUsize>,
}

impl SseHub {
    /// Starts this instance's hub, subscribed to the ui notifications through its own
    /// broadcast queue.
    pub async fn start(broker: &BrokerHandle) -> Result<SseHubHandle, BrokerError> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let connected = Arc::new(AtomicUsize::new(0));
        let addr = SseHub {
            workers: Vec::new(),
            connected: connected.clone(),
            closed: false,
        }
        .start();
        broker
            .subscribe(
                ConsumerGroup::Broadcast,
                vec![UiEventRecordedEvent::NAME],
                addr.clone().recipient(),
                Workload::Database,
            )
            .await?;
        Ok(SseHubHandle {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            addr,
            connected,
        })
    }
}

impl SseHubHandle {
    /// Ends every client's stream, now and for clients that join later: the instance is
    /// stopping, and open streams would hold its graceful shutdown until they time out. Each
    /// stream still sends what it has buffered; browsers then reconnect (to another instance)
    /// with `Last-Event-ID`. Answers how many clients were connected.
    pub async fn close_all(&self) -> Result<usize, MailboxError> {
        self.addr.send(CloseAll).await
    }

    /// The hub of the current worker thread, registered with the instance's hub on first
    /// use: once this returns, every event the hub receives reaches this worker.
    pub(crate) async fn worker(&self) -> Result<SharedWorkerHub, MailboxError> {
        let cell = WORKER_HUBS.with(|hubs| hubs.borrow_mut().entry(self.id).or_default().clone());
        cell.get_or_try_init(|| self.register_worker())
            .await
            .cloned()
    }

    async fn register_worker(&self) -> Result<SharedWorkerHub, MailboxError> {
        let (tx, rx) = mpsc::unbounded_channel();
        let closed = self.addr.send(AddWorker { tx }).await?;
        let hub = Rc::new(RefCell::new(WorkerHub {
            chats: HashMap::new(),
            next_id: 0,
            closed,
            connected: self.connected.clone(),
            metrics: Metrics::shared(),
        }));
        actix_rt::spawn(serve_worker(self.id, hub.clone(), rx));
        Ok(hub)
    }
}

/// A worker hub as its thread shares it: with the serving task and every client's stream.
pub(crate) type SharedWorkerHub = Rc<RefCell<WorkerHub>>;

thread_local! {
    /// This thread's worker hub of each instance's hub (tests run several instances in one
    /// process), set once registered.
    static WORKER_HUBS: RefCell<HashMap<u64, Rc<OnceCell<SharedWorkerHub>>>> =
        RefCell::new(HashMap::new());
}

/// Applies what the hub sends until the hub stops.
async fn serve_worker(
    hub_id: u64,
    hub: SharedWorkerHub,
    mut rx: mpsc::UnboundedReceiver<ToWorker>,
) {
    while let Some(message) = rx.recv().await {
        let mut hub = hub.borrow_mut();
        match message {
            ToWorker::Push { chat_id, event } => hub.push(chat_id, &event),
            ToWorker::Close => hub.close(),
        }
    }
    WORKER_HUBS.with(|hubs| hubs.borrow_mut().remove(&hub_id));
}

/// The SSE clients connected to one worker thread.
pub(crate) struct WorkerHub {
    chats: HashMap<Uuid, HashMap<u64, ClientSender>>,
    next_id: u64,
    closed: bool,
    connected: Arc<AtomicUsize>,
    metrics: Arc<Metrics>,
}

impl WorkerHub {
    /// Registers a client of `chat_id`; answers its id (for [`WorkerHub::leave`]). After
    /// [`ToWorker::Close`] the sender is dropped at once, which ends the new stream after its
    /// replay.
    pub fn join(&mut self, chat_id: Uuid, tx: ClientSender) -> u64 {
        self.next_id += 1;
        if !self.closed {
            self.chats
                .entry(chat_id)
                .or_default()
                .insert(self.next_id, tx);
            self.connected.fetch_add(1, Ordering::Relaxed);
        }
        self.next_id
    }

    /// A client's connection ended.
    pub fn leave(&mut self, chat_id: Uuid, client_id: u64) {
        let Some(clients) = self.chats.get_mut(&chat_id) else {
            return;
        };
        if clients.remove(&client_id).is_some() {
            self.connected.fetch_sub(1, Ordering::Relaxed);
        }
        if clients.is_empty() {
            self.chats.remove(&chat_id);
        }
    }

    fn push(&mut self, chat_id: Uuid, event: &Arc<UiEvent>) {
        let Some(clients) = self.chats.get_mut(&chat_id) else {
            return;
        };
        let (mut sent, mut dropped, mut gone) = (0_u64, 0_u64, 0_usize);
        clients.retain(|_, tx| match tx.try_send(event.clone()) {
            Ok(()) => {
                sent += 1;
                true
            }
            Err(TrySendError::Full(_)) => {
                dropped += 1;
                false
            }
            Err(TrySendError::Closed(_)) => {
                gone += 1;
                false
            }
        });
        if clients.is_empty() {
            self.chats.remove(&chat_id);
        }
        self.connected
            .fetch_sub(gone + dropped as usize, Ordering::Relaxed);
        if dropped > 0 {
            log::info!(
                "dropped {dropped} SSE client(s) of chat {chat_id}: their buffer was full at event {}",
                event.seq
            );
        }
        let events = &self.metrics.sse_events;
        events.with_label_values(&["sent"]).inc_by(sent);
        events.with_label_values(&["dropped"]).inc_by(dropped);
    }

    fn close(&mut self) {
        self.closed = true;
        let clients: usize = self.chats.values().map(HashMap::len).sum();
        self.connected.fetch_sub(clients, Ordering::Relaxed);
        self.chats.clear();
    }
}

/// A worker joins the fan-out; answers whether the instance is already stopping.
#[derive(Message)]
#[rtype(result = "bool")]
struct AddWorker {
    tx: mpsc::UnboundedSender<ToWorker>,
}

impl Handler<AddWorker> for SseHub {
    type Result = bool;

    fn handle(&mut self, worker: AddWorker, _: &mut Self::Context) -> bool {
        self.workers.push(worker.tx);
        self.closed
    }
}

#[derive(Message)]
#[rtype(result = "usize")]
struct CloseAll;

impl Handler<CloseAll> for SseHub {
    type Result = usize;

    fn handle(&mut self, _: CloseAll, _: &mut Self::Context) -> usize {
        self.closed = true;
        let clients = self.connected.load(Ordering::Relaxed);
        for worker in &self.workers {
            let _ = worker.send(ToWorker::Close);
        }
        clients
    }
}

impl Handler<Deliver> for SseHub {
    type Result = Result<(), HandlerError>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        if self.workers.is_empty() {
            return Ok(());
        }
        let chat_id = deliver.envelope.chat_id;
        let recorded: UiEventRecordedEvent = deliver.envelope.decode()?;
        let event = Arc::new(UiEvent::new(
            recorded.seq,
            recorded.event_name,
            &recorded.data,
        ));
        self.workers.retain(|worker| {
            worker
                .send(ToWorker::Push {
                    chat_id,
                    event: event.clone(),
                })
                .is_ok()
        });
        Ok(())
    }
}
