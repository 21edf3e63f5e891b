//! The Broker actor: one API, two transports.
//!
//! * **AMQP** (`AMQP_URL` set): a durable topic exchange, one quorum queue per consuming
//!   service and event (`<service>.<EventName>`), a delivery limit and a dead-letter exchange,
//!   persistent messages, publisher confirms, manual ack after the handler succeeded, bounded
//!   prefetch, lapin's auto-recovery plus a supervised reconnect loop.
//! * **In-process** (`AMQP_URL` unset): the same contract in memory: envelopes, handler then
//!   ack, retries with backoff, a delivery limit, dead letters kept for inspection.
//!
//! Services subscribe with a [`Recipient<Deliver>`] and cannot tell which transport runs.

mod amqp;
pub mod inbox;
pub mod lifecycle;
mod local;
pub mod outbox;
mod stats;
mod topology;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use serde::Serialize;

use crate::events::{DecodeError, Envelope, Event};
pub use stats::{BrokerStats, EventCounters};
pub use topology::{NOTIFICATIONS, ServiceQueue, Topology};

use amqp::AmqpLink;
use local::LocalBus;

/// How the Broker connects and how it treats failing handlers.
#[derive(Clone)]
pub struct BrokerConfig {
    /// `None` selects the in-process transport.
    pub amqp_url: Option<String>,
    /// Prefix of exchange and queue names, so several deployments (or tests) share a broker.
    pub namespace: String,
    /// Deliveries a consumer may hold unacknowledged, for handlers that wait on the
    /// database ([`Workload::Database`]).
    pub prefetch: u16,
    /// The same for handlers that spend their time waiting on a provider with no database
    /// connection held ([`Workload::Provider`]).
    pub provider_prefetch: u16,
    /// Redeliveries after a failed handler before a message is dead-lettered.
    pub delivery_limit: u32,
    pub retry: RetryPolicy,
    /// How long a publish keeps retrying through a broker outage before it fails.
    pub publish_timeout: Duration,
    /// Shown in the RabbitMQ management UI.
    pub connection_name: String,
    /// Service queues unused for this long are deleted by RabbitMQ (`x-expires`). Off in
    /// production; tests set it so that nothing outlives them even when they fail.
    pub queue_expiry: Option<Duration>,
    /// Every consumer queue of every service, declared (with its binding) at start and after
    /// each reconnection, whichever services this process runs: an event published before
    /// its consumer's process first starts waits in its queue.
    pub service_queues: Vec<ServiceQueue>,
    /// Tests and benchmarks only (`BROKER_CHAOS`): every delivery is handed to its handler
    /// twice, each copy after a random pause, so duplicates and reordering happen all the
    /// time instead of only around failures. See [`hand_over`].
    pub chaos: bool,
}

/// The URL's password stays out of logs.
impl std::fmt::Debug for BrokerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokerConfig")
            .field(
                "amqp_url",
                &self
                    .amqp_url
                    .as_deref()
                    .map(present_finder_schema::redact_url),
            )
            .field("namespace", &self.namespace)
            .field("prefetch", &self.prefetch)
            .field("provider_prefetch", &self.provider_prefetch)
            .field("delivery_limit", &self.delivery_limit)
            .field("retry", &self.retry)
            .field("publish_timeout", &self.publish_timeout)
            .field("connection_name", &self.connection_name)
            .field("queue_expiry", &self.queue_expiry)
            .field("service_queues", &self.service_queues.len())
            .field("chaos", &self.chaos)
            .finish()
    }
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            amqp_url: None,
            namespace: Topology::DEFAULT_NAMESPACE.to_owned(),
            prefetch: 32,
            provider_prefetch: 256,
            delivery_limit: 5,
            retry: RetryPolicy::default(),
            publish_timeout: Duration::from_secs(30),
            connection_name: "present-finder".to_owned(),
            queue_expiry: None,
            service_queues: Vec::new(),
            chaos: false,
        }
    }
}

/// Exponential backoff between attempts of a failed handler.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(200),
            max: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The pause before redelivery number `failures` (1 for the first retry), with up to 25%
    /// jitter so that retries of many messages spread out.
    pub fn delay(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(16);
        let delay = self.base.saturating_mul(1 << exponent).min(self.max);
        let jitter = rand::random::<f64>() * 0.25;
        delay.mul_f64(1.0 + jitter)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("cannot connect to RabbitMQ: {0}")]
    Connect(#[source] lapin::Error),
    #[error("RabbitMQ rejected an operation: {0}")]
    Amqp(#[from] lapin::Error),
    #[error("publishing {event_type} failed after {waited:?}: {reason}")]
    PublishTimeout {
        event_type: String,
        waited: Duration,
        reason: String,
    },
    /// No queue is bound for the event: nothing would ever consume it.
    #[error("{event_type} was returned unroutable: no queue is bound for it")]
    Unroutable { event_type: String },
    #[error("the broker is shutting down")]
    ShuttingDown,
    #[error("the broker actor is gone")]
    Mailbox(#[from] MailboxError),
}

/// Why a handler did not process a delivery. Which variant decides what the Broker does.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Worth another attempt (database or dependency unavailable, lock timeout, …): the
    /// delivery is retried with backoff, then dead-lettered when the limit is reached.
    #[error("{0:#}")]
    Transient(anyhow::Error),
    /// Will never succeed (malformed payload, unknown event): dead-lettered at once.
    #[error("{0:#}")]
    Permanent(anyhow::Error),
}

impl HandlerError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, HandlerError::Permanent(_))
    }
}

impl From<diesel::result::Error> for HandlerError {
    fn from(e: diesel::result::Error) -> Self {
        HandlerError::Transient(e.into())
    }
}

impl From<present_finder_schema::PoolError> for HandlerError {
    fn from(e: present_finder_schema::PoolError) -> Self {
        HandlerError::Transient(anyhow::anyhow!("no database connection: {e}"))
    }
}

impl From<DecodeError> for HandlerError {
    fn from(e: DecodeError) -> Self {
        HandlerError::Permanent(e.into())
    }
}

impl From<BrokerError> for HandlerError {
    fn from(e: BrokerError) -> Self {
        HandlerError::Transient(e.into())
    }
}

/// A delivery to a subscriber. Reply `Ok` once the effect is committed: only then is the
/// message acknowledged.
#[derive(Message, Debug, Clone)]
#[rtype(result = "Result<(), HandlerError>")]
pub struct Deliver {
    pub envelope: Arc<Envelope>,
    /// How many times this message was delivered before (0 on the first delivery).
    pub delivery_count: u32,
}

/// The longest pause before a copy of a delivery under the chaos switch.
const CHAOS_MAX_DELAY: Duration = Duration::from_millis(50);

/// Hands a delivery to `handler`; settles as the handler answers. Under `chaos` two copies
/// go, each after a random pause of up to [`CHAOS_MAX_DELAY`] (so copies and the deliveries
/// around them overtake each other), and it settles `Ok` only when both were handled: the
/// first failure otherwise, as a single delivery would.
fn hand_over(
    handler: &Recipient<Deliver>,
    deliver: Deliver,
    chaos: bool,
) -> impl Future<Output = Result<Result<(), HandlerError>, MailboxError>> + 'static {
    let copies = if chaos { 2 } else { 1 };
    let requests: Vec<_> = (0..copies)
        .map(|_| {
            let handler = handler.clone();
            let deliver = deliver.clone();
            async move {
                if chaos {
                    let pause = CHAOS_MAX_DELAY.mul_f64(rand::random::<f64>());
                    actix_rt::time::sleep(pause).await;
                }
                handler.send(deliver).await
            }
        })
        .collect();
    async move {
        let mut outcome = Ok(Ok(()));
        for answer in futures_util::future::join_all(requests).await {
            if matches!(outcome, Ok(Ok(()))) {
                outcome = answer;
            }
        }
        outcome
    }
}

/// Who shares a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerGroup {
    /// A service: one durable queue per event, shared by all of its replicas (competing
    /// consumers), so every consuming service receives every event once.
    Service(String),
    /// One process only: a private, transient queue that receives a copy of every event
    /// (used to fan user-facing notifications out to every web instance).
    Broadcast,
}

/// What a subscriber's handlers spend their time waiting for. It decides how many
/// deliveries each of its queues hands out at once: a handler waiting on a model or a shop
/// for seconds holds its delivery but no database connection, so many may wait at once;
/// a handler waiting on the database holds a connection, so as many as the pool can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Up to [`BrokerConfig::prefetch`] deliveries per queue.
    Database,
    /// Up to [`BrokerConfig::provider_prefetch`] deliveries per queue.
    Provider,
}

impl Workload {
    fn prefetch(self, config: &BrokerConfig) -> u16 {
        match self {
            Workload::Database => config.prefetch,
            Workload::Provider => config.provider_prefetch,
        }
        .max(1)
    }
}

/// Ask for `event_types` to be delivered to `handler`.
#[derive(Message)]
#[rtype(result = "Result<(), BrokerError>")]
pub struct Subscribe {
    pub group: ConsumerGroup,
    pub event_types: Vec<&'static str>,
    pub handler: Recipient<Deliver>,
    pub workload: Workload,
}

#[derive(Message)]
#[rtype(result = "Result<(), BrokerError>")]
pub struct Publish(pub Envelope);

/// Stop taking new deliveries and wait for the handlers in flight.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Drain;

#[derive(Message)]
#[rtype(result = "BrokerStatus")]
pub struct GetStatus;

#[derive(Debug, Clone, Serialize)]
pub struct BrokerStatus {
    pub transport: &'static str,
    pub connected: bool,
    pub detail: String,
}

/// A message that exhausted its deliveries or failed permanently.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetter {
    pub queue: String,
    pub event_type: String,
    pub event_id: Option<uuid::Uuid>,
    pub reason: String,
    pub envelope: Option<Envelope>,
}

#[derive(Message)]
#[rtype(result = "Result<Vec<DeadLetter>, BrokerError>")]
pub struct ListDeadLetters {
    pub limit: usize,
}

/// Re-queues dead letters to the queue they died in; returns how many.
#[derive(Message)]
#[rtype(result = "Result<usize, BrokerError>")]
pub struct ReplayDeadLetters {
    pub limit: usize,
}

/// Deletes every queue and exchange this Broker declared (tests and tooling only).
#[derive(Message)]
#[rtype(result = "Result<(), BrokerError>")]
pub struct DeleteTopology;

pub struct Broker {
    transport: Transport,
    stats: Arc<BrokerStats>,
}

// One per process: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
enum Transport {
    Local(LocalBus),
    Amqp(AmqpLink),
}

impl Broker {
    /// Connects (when AMQP is configured), declares the exchanges and starts the actor.
    pub async fn start(config: BrokerConfig) -> Result<BrokerHandle, BrokerError> {
        let stats = Arc::new(BrokerStats::default());
        let transport = match &config.amqp_url {
            None => Transport::Local(LocalBus::new(&config, stats.clone())),
            Some(url) => Transport::Amqp(AmqpLink::connect(url, &config, stats.clone()).await?),
        };
        let addr = Broker {
            transport,
            stats: stats.clone(),
        }
        .start();
        Ok(BrokerHandle { addr, stats })
    }
}

impl Actor for Broker {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        if let Transport::Amqp(link) = &mut self.transport {
            link.supervise(ctx);
        }
    }
}

impl Handler<Publish> for Broker {
    type Result = ResponseFuture<Result<(), BrokerError>>;

    fn handle(&mut self, Publish(envelope): Publish, ctx: &mut Self::Context) -> Self::Result {
        self.stats
            .record(&envelope.event_type, |c| c.published += 1);
        match &mut self.transport {
            Transport::Local(bus) => {
                let result = bus.publish(envelope, ctx);
                Box::pin(std::future::ready(result))
            }
            Transport::Amqp(link) => {
                let publisher = link.publisher();
                Box::pin(async move { publisher.publish(&envelope).await })
            }
        }
    }
}

impl Handler<Subscribe> for Broker {
    type Result = ResponseActFuture<Self, Result<(), BrokerError>>;

    fn handle(&mut self, subscription: Subscribe, ctx: &mut Self::Context) -> Self::Result {
        match &mut self.transport {
            Transport::Local(bus) => {
                bus.subscribe(subscription, ctx);
                Box::pin(actix::fut::ready(Ok(())))
            }
            Transport::Amqp(link) => link.subscribe(subscription, ctx),
        }
    }
}

impl Handler<GetStatus> for Broker {
    type Result = MessageResult<GetStatus>;

    fn handle(&mut self, _: GetStatus, _: &mut Self::Context) -> Self::Result {
        MessageResult(match &self.transport {
            Transport::Local(_) => BrokerStatus {
                transport: "in-process",
                connected: true,
                detail: "in-process bus".to_owned(),
            },
            Transport::Amqp(link) => link.status(),
        })
    }
}

impl Handler<Drain> for Broker {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, _: Drain, ctx: &mut Self::Context) -> Self::Result {
        match &mut self.transport {
            Transport::Local(bus) => bus.drain(),
            Transport::Amqp(link) => link.drain(ctx),
        }
    }
}

impl Handler<ListDeadLetters> for Broker {
    type Result = ResponseFuture<Result<Vec<DeadLetter>, BrokerError>>;

    fn handle(&mut self, msg: ListDeadLetters, _: &mut Self::Context) -> Self::Result {
        match &mut self.transport {
            Transport::Local(bus) => Box::pin(std::future::ready(Ok(bus.dead_letters(msg.limit)))),
            Transport::Amqp(link) => link.list_dead_letters(msg.limit),
        }
    }
}

impl Handler<ReplayDeadLetters> for Broker {
    type Result = ResponseFuture<Result<usize, BrokerError>>;

    fn handle(&mut self, msg: ReplayDeadLetters, ctx: &mut Self::Context) -> Self::Result {
        match &mut self.transport {
            Transport::Local(bus) => {
                let replayed = bus.replay_dead_letters(msg.limit, ctx);
                Box::pin(std::future::ready(Ok(replayed)))
            }
            Transport::Amqp(link) => link.replay_dead_letters(msg.limit),
        }
    }
}

impl Handler<DeleteTopology> for Broker {
    type Result = ResponseFuture<Result<(), BrokerError>>;

    fn handle(&mut self, _: DeleteTopology, _: &mut Self::Context) -> Self::Result {
        match &mut self.transport {
            Transport::Local(_) => Box::pin(std::future::ready(Ok(()))),
            Transport::Amqp(link) => link.delete_topology(),
        }
    }
}

/// The cheap, cloneable way services talk to the Broker.
#[derive(Clone)]
pub struct BrokerHandle {
    addr: Addr<Broker>,
    stats: Arc<BrokerStats>,
}

impl BrokerHandle {
    /// Publishes and waits for the broker's confirm (AMQP) or the enqueue (in-process).
    pub async fn publish(&self, envelope: Envelope) -> Result<(), BrokerError> {
        self.addr.send(Publish(envelope)).await?
    }

    /// Publishes an event that starts a causal chain.
    pub async fn publish_event<E: Event>(
        &self,
        chat_id: uuid::Uuid,
        event: &E,
    ) -> Result<(), BrokerError> {
        self.publish(Envelope::new(chat_id, event)).await
    }

    pub async fn subscribe(
        &self,
        group: ConsumerGroup,
        event_types: Vec<&'static str>,
        handler: Recipient<Deliver>,
        workload: Workload,
    ) -> Result<(), BrokerError> {
        self.addr
            .send(Subscribe {
                group,
                event_types,
                handler,
                workload,
            })
            .await?
    }

    pub async fn status(&self) -> BrokerStatus {
        match self.addr.send(GetStatus).await {
            Ok(status) => status,
            Err(_) => BrokerStatus {
                transport: "unknown",
                connected: false,
                detail: "the broker actor is gone".to_owned(),
            },
        }
    }

    /// Stops consuming and waits for the handlers in flight.
    pub async fn drain(&self) {
        let _ = self.addr.send(Drain).await;
    }

    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, BrokerError> {
        self.addr.send(ListDeadLetters { limit }).await?
    }

    pub async fn replay_dead_letters(&self, limit: usize) -> Result<usize, BrokerError> {
        self.addr.send(ReplayDeadLetters { limit }).await?
    }

    pub async fn delete_topology(&self) -> Result<(), BrokerError> {
        self.addr.send(DeleteTopology).await?
    }

    pub fn stats(&self) -> &BrokerStats {
        &self.stats
    }
}
