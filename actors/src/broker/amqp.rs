//! The RabbitMQ transport (lapin 4).
//!
//! Two connections (publishing and consuming, so a publishing block by a memory alarm cannot
//! stall consumers), one confirm-mode channel for publishing, one channel per consumer actor.
//! lapin's auto-recovery handles ordinary restarts; on top of it the Broker runs a supervised
//! loop every second: when a connection is lost for good it reconnects with backoff, declares
//! the topology again and restarts every consumer whose stream ended. The connections it
//! replaces are closed (within bounded waits), never just dropped.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use actix::prelude::*;
use futures_util::FutureExt;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions,
    BasicPublishOptions, BasicQosOptions, ConfirmSelectOptions, ExchangeDeclareOptions,
    ExchangeDeleteOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, ExchangeKind,
};

use super::topology::must_be_routed;
use super::{
    Broker, BrokerConfig, BrokerError, BrokerStats, BrokerStatus, ConsumerGroup, DeadLetter,
    Deliver, HandlerError, RetryPolicy, Subscribe, Topology, Transport, hand_over,
};
use crate::events::Envelope;
use present_finder_schema::redact_url;

const PERSISTENT: u8 = 2;
const SUPERVISION_INTERVAL: Duration = Duration::from_secs(1);
const MAX_RECONNECT_BACKOFF: Duration = Duration::from_secs(30);
/// How long lapin's own recovery may try before the link opens new connections.
const RECOVERY_GRACE: Duration = Duration::from_secs(10);

struct Connections {
    publish: Connection,
    consume: Connection,
}

impl Connections {
    /// The publishing connection recovers by itself (lapin); the consuming one does not:
    /// lapin would also re-register the consumers of actors that already stopped, and their
    /// prefetched messages would sit unacknowledged on it. The link reopens consumers itself
    /// on a new connection instead.
    async fn open(url: &str, name: &str) -> Result<Self, BrokerError> {
        let open = |role: &str, recover: bool| {
            let properties = ConnectionProperties::default()
                .with_connection_name(format!("{name} ({role})").into());
            let properties = if recover {
                properties.enable_auto_recover()
            } else {
                properties
            };
            Connection::connect(url, properties)
        };
        let publish = open("publish", true).await.map_err(BrokerError::Connect)?;
        let consume = open("consume", false).await.map_err(BrokerError::Connect)?;
        Ok(Self { publish, consume })
    }

    /// Usable now, or being recovered by lapin.
    fn alive(&self) -> bool {
        let alive = |c: &Connection| c.status().connected() || c.status().reconnecting();
        alive(&self.publish) && alive(&self.consume)
    }

    fn connected(&self) -> bool {
        self.publish.status().connected() && self.consume.status().connected()
    }

    /// Closes connections the link has replaced. Dropping them is not enough: lapin closes a
    /// connection on drop only while it is connected, and a publishing connection whose
    /// recovery was given up on may still be recovering, to come back later with no owner,
    /// open until the process ends.
    async fn retire(&self) {
        futures_util::future::join(
            retire(&self.publish, "publish"),
            retire(&self.consume, "consume"),
        )
        .await;
    }
}

/// How long a replaced connection still recovering is waited for before it is given up.
const RETIRE_WAIT: Duration = Duration::from_secs(60);
const RETIRE_POLL: Duration = Duration::from_millis(200);

/// Closes `connection` (a replaced one): at once when connected, when lapin's recovery
/// brings it back within [`RETIRE_WAIT`], not at all when it is closed or failed already.
/// The close itself waits for the broker's answer at most [`CLOSE_WAIT`].
async fn retire(connection: &Connection, role: &str) {
    let deadline = Instant::now() + RETIRE_WAIT;
    loop {
        let status = connection.status();
        if status.connected() {
            let closing = connection.close(200, "replaced by a new connection".into());
            match tokio::time::timeout(CLOSE_WAIT, closing).await {
                Ok(Ok(())) => log::debug!("closed the replaced {role} connection"),
                Ok(Err(error)) => log::debug!("closing the replaced {role} connection: {error}"),
                Err(_) => {
                    log::warn!("the replaced {role} connection did not close within {CLOSE_WAIT:?}")
                }
            }
            return;
        }
        if !status.connecting() && !status.reconnecting() {
            return;
        }
        if Instant::now() >= deadline {
            log::warn!(
                "the replaced {role} connection is still recovering after {RETIRE_WAIT:?}; \
                 it is left to lapin"
            );
            return;
        }
        actix_rt::time::sleep(RETIRE_POLL).await;
    }
}

/// How long closing a connection waits for the broker's answer.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// Declares the exchanges and the dead-letter queue (idempotent).
async fn declare_exchanges(
    channel: &Channel,
    topology: &Topology,
    queue_expiry: Option<Duration>,
) -> Result<(), lapin::Error> {
    let durable = ExchangeDeclareOptions {
        durable: true,
        ..Default::default()
    };
    channel
        .exchange_declare(
            topology.exchange.as_str().into(),
            ExchangeKind::Topic,
            durable,
            FieldTable::default(),
        )
        .await?;
    channel
        .exchange_declare(
            topology.dead_exchange.as_str().into(),
            ExchangeKind::Fanout,
            durable,
            FieldTable::default(),
        )
        .await?;
    let arguments = quorum_arguments(queue_expiry);
    channel
        .queue_declare(
            topology.dead_queue.as_str().into(),
            QueueDeclareOptions::durable(),
            arguments,
        )
        .await?;
    channel
        .queue_bind(
            topology.dead_queue.as_str().into(),
            topology.dead_exchange.as_str().into(),
            "".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
}

/// Declares the exchanges and every service queue of `config`, bound to its event: the whole
/// topology, whichever services this process runs (idempotent).
async fn declare_topology(
    channel: &Channel,
    topology: &Topology,
    config: &BrokerConfig,
) -> Result<(), lapin::Error> {
    declare_exchanges(channel, topology, config.queue_expiry).await?;
    let declarations = config.service_queues.iter().map(|queue| {
        let spec = QueueSpec::Service {
            name: topology.service_queue(&queue.service, queue.event_type),
            event_type: queue.event_type,
        };
        async move { declare_queue(channel, topology, &spec, config).await }
    });
    for declared in futures_util::future::join_all(declarations).await {
        declared?;
    }
    Ok(())
}

fn quorum_arguments(expiry: Option<Duration>) -> FieldTable {
    let mut arguments = FieldTable::default();
    arguments.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    if let Some(expiry) = expiry {
        let millis = i64::try_from(expiry.as_millis()).unwrap_or(i64::MAX);
        arguments.insert("x-expires".into(), AMQPValue::LongLongInt(millis));
    }
    arguments
}

/// How long one publish attempt waits for the broker's confirmation.
const CONFIRM_WAIT: Duration = Duration::from_secs(5);

/// Publishes with confirms, retrying through outages until the publish timeout.
#[derive(Clone)]
pub(super) struct Publisher {
    channel: Arc<RwLock<Option<Channel>>>,
    exchange: Arc<str>,
    timeout: Duration,
    retry: RetryPolicy,
}

impl Publisher {
    fn current(&self) -> Option<Channel> {
        self.channel.read().ok().and_then(|c| c.clone())
    }

    fn replace(&self, channel: Channel) {
        if let Ok(mut current) = self.channel.write() {
            *current = Some(channel);
        }
    }

    pub(super) async fn publish(&self, envelope: &Envelope) -> Result<(), BrokerError> {
        let payload = envelope.to_bytes();
        let properties = BasicProperties::default()
            .with_delivery_mode(PERSISTENT)
            .with_content_type("application/json".into())
            .with_message_id(envelope.id.to_string().into())
            .with_type(envelope.event_type.as_str().into());
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let reason = match self.current() {
                None => "not connected".to_owned(),
                Some(channel) => {
                    // A confirmation lost with the connection is never resolved: wait a
                    // bounded time, then publish again (consumers deduplicate by event id).
                    let wait = CONFIRM_WAIT.min(self.timeout.saturating_sub(started.elapsed()));
                    let outcome = tokio::time::timeout(
                        wait,
                        publish_once(
                            &channel,
                            &self.exchange,
                            &envelope.event_type,
                            &payload,
                            properties.clone(),
                        ),
                    )
                    .await;
                    match outcome {
                        Err(_) => format!("no confirmation within {wait:?}"),
                        // Returned: no queue is bound. Trying again cannot help; the caller
                        // keeps the event (in its outbox) for when a queue exists.
                        Ok(Ok(Confirmation::Ack(Some(_)))) => {
                            return if must_be_routed(&envelope.event_type) {
                                Err(BrokerError::Unroutable {
                                    event_type: envelope.event_type.clone(),
                                })
                            } else {
                                Ok(())
                            };
                        }
                        Ok(Ok(Confirmation::Ack(None) | Confirmation::NotRequested)) => {
                            return Ok(());
                        }
                        Ok(Ok(Confirmation::Nack(_))) => {
                            "the broker refused the message".to_owned()
                        }
                        Ok(Err(error)) => {
                            let reason = error.to_string();
                            // Bounded too: lapin's recovery can stall, and meanwhile the link
                            // may have replaced the channel, which the next attempt picks up.
                            let wait =
                                CONFIRM_WAIT.min(self.timeout.saturating_sub(started.elapsed()));
                            let recovered =
                                tokio::time::timeout(wait, channel.wait_for_recovery(error)).await;
                            if matches!(recovered, Ok(Ok(()))) && attempt < 100 {
                                continue;
                            }
                            reason
                        }
                    }
                }
            };
            let remaining = self.timeout.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(BrokerError::PublishTimeout {
                    event_type: envelope.event_type.clone(),
                    waited: started.elapsed(),
                    reason,
                });
            }
            log::warn!(
                "publishing {} failed (attempt {attempt}): {reason}",
                envelope.event_type
            );
            actix_rt::time::sleep(self.retry.delay(attempt).min(remaining)).await;
        }
    }
}

async fn publish_once(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    payload: &[u8],
    properties: BasicProperties,
) -> Result<Confirmation, lapin::Error> {
    channel
        .basic_publish(
            exchange.into(),
            routing_key.into(),
            // Unroutable messages come back instead of vanishing.
            BasicPublishOptions {
                mandatory: true,
                ..Default::default()
            },
            payload,
            properties,
        )
        .await?
        .await
}

async fn confirm_channel(connection: &Connection) -> Result<Channel, lapin::Error> {
    let channel = connection.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await?;
    Ok(channel)
}

/// One subscribed queue and the actor consuming it (if running).
struct ConsumerSlot {
    queue: QueueSpec,
    handler: Recipient<Deliver>,
    prefetch: u16,
    consumer: Option<Addr<AmqpConsumer>>,
    generation: u64,
    opening: bool,
}

#[derive(Clone)]
enum QueueSpec {
    Service {
        name: String,
        event_type: &'static str,
    },
    Broadcast {
        event_type: &'static str,
    },
}

impl QueueSpec {
    fn label(&self) -> String {
        match self {
            QueueSpec::Service { name, .. } => name.clone(),
            QueueSpec::Broadcast { event_type } => format!("broadcast:{event_type}"),
        }
    }
}

pub(super) struct AmqpLink {
    url: String,
    config: BrokerConfig,
    topology: Topology,
    stats: Arc<BrokerStats>,
    connections: Rc<Connections>,
    publisher: Publisher,
    slots: Vec<ConsumerSlot>,
    reconnecting: bool,
    reconnect_failures: u32,
    next_reconnect: Instant,
    /// Since when the connections have been down (lapin's recovery may be under way).
    down_since: Option<Instant>,
    draining: bool,
    last_error: Rc<RefCell<Option<String>>>,
}

impl AmqpLink {
    pub(super) async fn connect(
        url: &str,
        config: &BrokerConfig,
        stats: Arc<BrokerStats>,
    ) -> Result<Self, BrokerError> {
        let topology = Topology::new(&config.namespace);
        let connections = Connections::open(url, &config.connection_name).await?;
        let channel = confirm_channel(&connections.publish).await?;
        declare_topology(&channel, &topology, config).await?;
        let publisher = Publisher {
            channel: Arc::new(RwLock::new(Some(channel))),
            exchange: topology.exchange.as_str().into(),
            timeout: config.publish_timeout,
            retry: config.retry,
        };
        Ok(Self {
            url: url.to_owned(),
            config: config.clone(),
            topology,
            stats,
            connections: Rc::new(connections),
            publisher,
            slots: Vec::new(),
            reconnecting: false,
            reconnect_failures: 0,
            next_reconnect: Instant::now(),
            down_since: None,
            draining: false,
            last_error: Rc::new(RefCell::new(None)),
        })
    }

    pub(super) fn publisher(&self) -> Publisher {
        self.publisher.clone()
    }

    pub(super) fn status(&self) -> BrokerStatus {
        let connected = self.connections.connected();
        let detail = if connected {
            format!("connected to {}", redact_url(&self.url))
        } else if self.connections.alive() {
            "reconnecting (lapin recovery in progress)".to_owned()
        } else {
            match self.last_error.borrow().as_deref() {
                Some(error) => format!("disconnected: {error}"),
                None => "disconnected".to_owned(),
            }
        };
        BrokerStatus {
            transport: "amqp",
            connected,
            detail,
        }
    }

    /// Starts the supervision loop (reconnect, restart lost consumers).
    pub(super) fn supervise(&mut self, ctx: &mut Context<Broker>) {
        ctx.run_interval(SUPERVISION_INTERVAL, |broker, ctx| {
            if let Transport::Amqp(link) = &mut broker.transport {
                link.tick(ctx);
            }
        });
    }

    fn tick(&mut self, ctx: &mut Context<Broker>) {
        if self.reconnecting || self.draining {
            return;
        }
        if !self.connections.connected() {
            let down_since = *self.down_since.get_or_insert_with(Instant::now);
            // lapin's own recovery gets a grace period; it can stall for good (channels left
            // "Reconnecting"), so past it the link opens connections of its own.
            let recovery_stalled = down_since.elapsed() >= RECOVERY_GRACE;
            if (!self.connections.alive() || recovery_stalled)
                && Instant::now() >= self.next_reconnect
            {
                self.reconnect(ctx);
            }
            return;
        }
        self.down_since = None;
        for index in 0..self.slots.len() {
            let slot = &self.slots[index];
            let lost = slot.consumer.as_ref().is_none_or(|c| !c.connected());
            if lost && !slot.opening {
                log::warn!("restarting the consumer of {}", slot.queue.label());
                ctx.spawn(self.open_consumer(index).map(|result, _, _| {
                    if let Err(error) = result {
                        log::error!("restarting a consumer failed: {error}");
                    }
                }));
            }
        }
    }

    fn reconnect(&mut self, ctx: &mut Context<Broker>) {
        self.reconnecting = true;
        log::warn!(
            "RabbitMQ connection lost; reconnecting to {}",
            redact_url(&self.url)
        );
        let url = self.url.clone();
        let name = self.config.connection_name.clone();
        let topology = self.topology.clone();
        let config = self.config.clone();
        let work = async move {
            let connections = Connections::open(&url, &name).await?;
            let channel = confirm_channel(&connections.publish).await?;
            declare_topology(&channel, &topology, &config).await?;
            Ok::<_, BrokerError>((connections, channel))
        };
        ctx.spawn(
            actix::fut::wrap_future::<_, Broker>(work).map(|result, broker, ctx| {
                let Transport::Amqp(link) = &mut broker.transport else {
                    return;
                };
                link.reconnecting = false;
                match result {
                    Ok((connections, channel)) => {
                        log::info!("reconnected to RabbitMQ");
                        link.down_since = None;
                        let replaced =
                            std::mem::replace(&mut link.connections, Rc::new(connections));
                        link.publisher.replace(channel);
                        // Closed in the background: the old publishing connection may still
                        // be recovering, and is closed once (if) it comes back.
                        ctx.spawn(actix::fut::wrap_future(async move {
                            replaced.retire().await;
                        }));
                        link.reconnect_failures = 0;
                        *link.last_error.borrow_mut() = None;
                        // Consumers on the old connection are gone; the next tick reopens them.
                        for slot in &mut link.slots {
                            if let Some(consumer) = slot.consumer.take() {
                                consumer.do_send(StopNow);
                            }
                        }
                    }
                    Err(error) => {
                        link.reconnect_failures += 1;
                        let backoff = link
                            .config
                            .retry
                            .delay(link.reconnect_failures)
                            .min(MAX_RECONNECT_BACKOFF);
                        log::error!(
                            "reconnecting to RabbitMQ failed, next try in {backoff:?}: {error}"
                        );
                        *link.last_error.borrow_mut() = Some(error.to_string());
                        link.next_reconnect = Instant::now() + backoff;
                    }
                }
            }),
        );
    }

    pub(super) fn subscribe(
        &mut self,
        subscription: Subscribe,
        _ctx: &mut Context<Broker>,
    ) -> ResponseActFuture<Broker, Result<(), BrokerError>> {
        let Subscribe {
            group,
            event_types,
            handler,
            workload,
        } = subscription;
        let prefetch = workload.prefetch(&self.config);
        let mut openings = Vec::new();
        for event_type in event_types {
            let queue = match &group {
                ConsumerGroup::Service(service) => QueueSpec::Service {
                    name: self.topology.service_queue(service, event_type),
                    event_type,
                },
                ConsumerGroup::Broadcast => QueueSpec::Broadcast { event_type },
            };
            self.slots.push(ConsumerSlot {
                queue,
                handler: handler.clone(),
                prefetch,
                consumer: None,
                generation: 0,
                opening: false,
            });
            openings.push(self.open_consumer(self.slots.len() - 1));
        }
        let mut all: ResponseActFuture<Broker, Result<(), BrokerError>> =
            Box::pin(actix::fut::ready(Ok(())));
        for opening in openings {
            all =
                Box::pin(all.then(move |previous, _, _| {
                    opening.map(move |result, _, _| previous.and(result))
                }));
        }
        all
    }

    /// Declares the slot's queue, opens a channel on it and starts its consumer actor.
    fn open_consumer(
        &mut self,
        index: usize,
    ) -> impl ActorFuture<Broker, Output = Result<(), BrokerError>> + use<> {
        let slot = &mut self.slots[index];
        slot.opening = true;
        slot.generation += 1;
        let generation = slot.generation;
        let queue = slot.queue.clone();
        let prefetch = slot.prefetch;
        let connections = self.connections.clone();
        let topology = self.topology.clone();
        let config = self.config.clone();
        let (retry, delivery_limit, chaos) = (config.retry, config.delivery_limit, config.chaos);
        let stats = self.stats.clone();
        let work = async move {
            let channel = connections.consume.create_channel().await?;
            let opened = async {
                let queue_name = declare_queue(&channel, &topology, &queue, &config).await?;
                channel
                    .basic_qos(prefetch, BasicQosOptions::default())
                    .await?;
                let consumer = channel
                    .basic_consume(
                        queue_name.as_str().into(),
                        "".into(),
                        BasicConsumeOptions::default(),
                        FieldTable::default(),
                    )
                    .await?;
                Ok::<_, lapin::Error>((queue_name, consumer))
            }
            .await;
            match opened {
                Ok((queue_name, consumer)) => Ok((channel, queue_name, consumer)),
                Err(error) => {
                    // Each tick tries again: a channel left open per failed attempt would
                    // use up the connection's channels.
                    let _ = channel.close(200, "consumer not opened".into()).await;
                    Err(error)
                }
            }
        };
        actix::fut::wrap_future::<_, Broker>(work).map(move |result, broker, ctx| {
            let Transport::Amqp(link) = &mut broker.transport else {
                return Err(BrokerError::ShuttingDown);
            };
            let slot = &mut link.slots[index];
            slot.opening = false;
            let (channel, queue_name, consumer) = result.map_err(BrokerError::Amqp)?;
            let broker_addr = ctx.address();
            let tag = consumer.tag().to_string();
            let handler = slot.handler.clone();
            slot.consumer = Some(AmqpConsumer::create(move |consumer_ctx| {
                consumer_ctx.add_stream(consumer);
                AmqpConsumer {
                    channel,
                    tag,
                    queue: queue_name,
                    handler,
                    stats,
                    retry,
                    delivery_limit,
                    chaos,
                    in_flight: 0,
                    stream_ended: false,
                    idle_waiters: Vec::new(),
                    broker: broker_addr,
                    slot: index,
                    generation,
                }
            }));
            Ok(())
        })
    }

    pub(super) fn drain(&mut self, _ctx: &mut Context<Broker>) -> ResponseActFuture<Broker, ()> {
        self.draining = true;
        let stops: Vec<_> = self
            .slots
            .iter()
            .filter_map(|slot| slot.consumer.clone())
            .map(|consumer| consumer.send(StopConsuming))
            .collect();
        let connections = self.connections.clone();
        Box::pin(actix::fut::wrap_future(async move {
            futures_util::future::join_all(stops).await;
            let _ = connections.consume.close(200, "shutting down".into()).await;
        }))
    }

    pub(super) fn list_dead_letters(
        &self,
        limit: usize,
    ) -> futures_util::future::LocalBoxFuture<'static, Result<Vec<DeadLetter>, BrokerError>> {
        let connections = self.connections.clone();
        let queue = self.topology.dead_queue.clone();
        async move {
            let channel = connections.consume.create_channel().await?;
            let mut letters = Vec::new();
            while letters.len() < limit {
                let Some(message) = channel
                    .basic_get(queue.as_str().into(), BasicGetOptions::default())
                    .await?
                else {
                    break;
                };
                letters.push(dead_letter_of(&message.delivery));
            }
            // Closing the channel returns every fetched message to the dead-letter queue.
            channel.close(200, "listed".into()).await?;
            Ok(letters)
        }
        .boxed_local()
    }

    pub(super) fn replay_dead_letters(
        &self,
        limit: usize,
    ) -> futures_util::future::LocalBoxFuture<'static, Result<usize, BrokerError>> {
        let connections = self.connections.clone();
        let queue = self.topology.dead_queue.clone();
        async move {
            let consume = connections.consume.create_channel().await?;
            let publish = confirm_channel(&connections.publish).await?;
            let mut replayed = 0;
            while replayed < limit {
                let Some(message) = consume
                    .basic_get(queue.as_str().into(), BasicGetOptions::default())
                    .await?
                else {
                    break;
                };
                let delivery = message.delivery;
                let letter = dead_letter_of(&delivery);
                // Straight back into the queue it died in, through the default exchange; a new
                // message, so its delivery count starts again.
                let properties = BasicProperties::default()
                    .with_delivery_mode(PERSISTENT)
                    .with_content_type("application/json".into());
                let confirmation =
                    publish_once(&publish, "", &letter.queue, &delivery.data, properties).await?;
                // Refused, or returned because its queue is gone: it stays a dead letter.
                if !matches!(confirmation, Confirmation::Ack(None)) {
                    delivery
                        .acker
                        .nack(BasicNackOptions {
                            requeue: true,
                            multiple: false,
                        })
                        .await?;
                    break;
                }
                delivery.acker.ack(BasicAckOptions::default()).await?;
                replayed += 1;
            }
            consume.close(200, "replayed".into()).await?;
            publish.close(200, "replayed".into()).await?;
            Ok(replayed)
        }
        .boxed_local()
    }

    pub(super) fn delete_topology(
        &self,
    ) -> futures_util::future::LocalBoxFuture<'static, Result<(), BrokerError>> {
        let connections = self.connections.clone();
        let topology = self.topology.clone();
        let mut queues: Vec<String> = self
            .slots
            .iter()
            .filter_map(|slot| match &slot.queue {
                QueueSpec::Service { name, .. } => Some(name.clone()),
                QueueSpec::Broadcast { .. } => None,
            })
            .chain(self.config.service_queues.iter().map(|queue| {
                self.topology
                    .service_queue(&queue.service, queue.event_type)
            }))
            .collect();
        queues.sort();
        queues.dedup();
        async move {
            let channel = connections.publish.create_channel().await?;
            for queue in queues.iter().chain([&topology.dead_queue]) {
                channel
                    .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
                    .await?;
            }
            for exchange in [&topology.exchange, &topology.dead_exchange] {
                channel
                    .exchange_delete(exchange.as_str().into(), ExchangeDeleteOptions::default())
                    .await?;
            }
            channel.close(200, "deleted".into()).await?;
            Ok(())
        }
        .boxed_local()
    }

    fn consumer_lost(&mut self, slot: usize, generation: u64) {
        if let Some(slot) = self.slots.get_mut(slot)
            && slot.generation == generation
        {
            slot.consumer = None;
        }
    }
}

/// Declares (idempotently) and binds a queue; returns its name (server-chosen for broadcast).
async fn declare_queue(
    channel: &Channel,
    topology: &Topology,
    queue: &QueueSpec,
    config: &BrokerConfig,
) -> Result<String, lapin::Error> {
    let (name, event_type) = match queue {
        QueueSpec::Service { name, event_type } => {
            let mut arguments = quorum_arguments(config.queue_expiry);
            arguments.insert(
                "x-delivery-limit".into(),
                AMQPValue::LongInt(i32::try_from(config.delivery_limit).unwrap_or(i32::MAX)),
            );
            arguments.insert(
                "x-dead-letter-exchange".into(),
                AMQPValue::LongString(topology.dead_exchange.as_str().into()),
            );
            channel
                .queue_declare(
                    name.as_str().into(),
                    QueueDeclareOptions::durable(),
                    arguments,
                )
                .await?;
            (name.clone(), *event_type)
        }
        QueueSpec::Broadcast { event_type } => {
            let options = QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..Default::default()
            };
            let declared = channel
                .queue_declare("".into(), options, FieldTable::default())
                .await?;
            (declared.name().to_string(), *event_type)
        }
    };
    channel
        .queue_bind(
            name.as_str().into(),
            topology.exchange.as_str().into(),
            event_type.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok(name)
}

fn header<'a>(properties: &'a BasicProperties, key: &str) -> Option<&'a AMQPValue> {
    properties
        .headers()
        .as_ref()
        .and_then(|headers| headers.inner().get(&ShortString::from(key)))
}

fn as_u32(value: &AMQPValue) -> Option<u32> {
    match value {
        AMQPValue::LongInt(v) => u32::try_from(*v).ok(),
        AMQPValue::LongLongInt(v) => u32::try_from(*v).ok(),
        AMQPValue::LongUInt(v) => Some(*v),
        AMQPValue::ShortInt(v) => u32::try_from(*v).ok(),
        AMQPValue::ShortUInt(v) => Some(u32::from(*v)),
        _ => None,
    }
}

fn as_text(value: &AMQPValue) -> Option<String> {
    match value {
        AMQPValue::LongString(s) => Some(s.to_string()),
        AMQPValue::ShortString(s) => Some(s.to_string()),
        _ => None,
    }
}

/// RabbitMQ counts redeliveries of quorum-queue messages in `x-delivery-count`.
fn delivery_count(delivery: &Delivery) -> u32 {
    header(&delivery.properties, "x-delivery-count")
        .and_then(as_u32)
        .unwrap_or(u32::from(delivery.redelivered))
}

/// Reads the queue and reason of the most recent death from the `x-death` header.
fn dead_letter_of(delivery: &Delivery) -> DeadLetter {
    let death = header(&delivery.properties, "x-death").and_then(|value| match value {
        AMQPValue::FieldArray(deaths) => deaths.as_slice().first().and_then(|d| match d {
            AMQPValue::FieldTable(table) => Some(table.clone()),
            _ => None,
        }),
        _ => None,
    });
    let field = |key: &str| {
        death
            .as_ref()
            .and_then(|t| t.inner().get(&ShortString::from(key)))
            .and_then(as_text)
    };
    let envelope = Envelope::from_bytes(&delivery.data).ok();
    DeadLetter {
        queue: field("queue").unwrap_or_default(),
        event_type: envelope
            .as_ref()
            .map(|e| e.event_type.clone())
            .unwrap_or_else(|| delivery.routing_key.to_string()),
        event_id: envelope.as_ref().map(|e| e.id),
        reason: field("reason").unwrap_or_else(|| "unknown".to_owned()),
        envelope,
    }
}

/// Consumes one queue on its own channel: delivers to the handler, acks after success,
/// retries failures with backoff (nack + requeue, the quorum queue's delivery limit then
/// dead-letters), dead-letters permanent failures at once.
struct AmqpConsumer {
    channel: Channel,
    tag: String,
    queue: String,
    handler: Recipient<Deliver>,
    stats: Arc<BrokerStats>,
    retry: RetryPolicy,
    delivery_limit: u32,
    chaos: bool,
    in_flight: usize,
    stream_ended: bool,
    idle_waiters: Vec<tokio::sync::oneshot::Sender<()>>,
    broker: Addr<Broker>,
    slot: usize,
    generation: u64,
}

impl Actor for AmqpConsumer {
    type Context = Context<Self>;

    fn stopped(&mut self, _: &mut Self::Context) {
        self.broker.do_send(ConsumerLost {
            slot: self.slot,
            generation: self.generation,
        });
    }
}

impl AmqpConsumer {
    fn settled(&mut self, ctx: &mut Context<Self>) {
        self.in_flight -= 1;
        if self.in_flight == 0 {
            for waiter in self.idle_waiters.drain(..) {
                let _ = waiter.send(());
            }
            if self.stream_ended {
                ctx.stop();
            }
        }
    }
}

impl StreamHandler<Result<Delivery, lapin::Error>> for AmqpConsumer {
    fn handle(&mut self, item: Result<Delivery, lapin::Error>, ctx: &mut Self::Context) {
        let delivery = match item {
            Ok(delivery) => delivery,
            Err(error) => {
                log::warn!("consumer of {} got an error: {error}", self.queue);
                let channel = self.channel.clone();
                ctx.wait(
                    actix::fut::wrap_future(async move { channel.wait_for_recovery(error).await })
                        .map(|recovered, consumer: &mut Self, ctx| {
                            if let Err(error) = recovered {
                                log::error!(
                                    "consumer of {} cannot recover: {error}",
                                    consumer.queue
                                );
                                ctx.stop();
                            }
                        }),
                );
                return;
            }
        };
        let count = delivery_count(&delivery);
        let envelope = match Envelope::from_bytes(&delivery.data) {
            Ok(envelope) => envelope,
            Err(error) => {
                log::error!(
                    "dead-lettering an unreadable message from {}: {error}",
                    self.queue
                );
                self.stats
                    .record(delivery.routing_key.as_str(), |c| c.dead_lettered += 1);
                ctx.spawn(actix::fut::wrap_future(async move {
                    let _ = delivery
                        .acker
                        .nack(BasicNackOptions {
                            requeue: false,
                            multiple: false,
                        })
                        .await;
                }));
                return;
            }
        };
        self.in_flight += 1;
        let event_type = envelope.event_type.clone();
        let deliver = Deliver {
            envelope: Arc::new(envelope),
            delivery_count: count,
        };
        let request = hand_over(&self.handler, deliver, self.chaos);
        let stats = self.stats.clone();
        let retry = self.retry;
        let will_dead_letter = count >= self.delivery_limit;
        let queue = self.queue.clone();
        let work = async move {
            let acker = delivery.acker;
            let acked = match request.await {
                Ok(Ok(())) => {
                    stats.record(&event_type, |c| c.consumed += 1);
                    acker.ack(BasicAckOptions::default()).await
                }
                Ok(Err(error)) if error.is_permanent() || will_dead_letter => {
                    log::error!(
                        "dead-lettering {event_type} from {queue} after {} deliveries: {error}",
                        count + 1
                    );
                    stats.record(&event_type, |c| c.dead_lettered += 1);
                    acker
                        .nack(BasicNackOptions {
                            requeue: false,
                            multiple: false,
                        })
                        .await
                }
                Ok(Err(error)) => {
                    failed_delivery(&stats, &event_type, &queue, count, retry, &error, acker).await
                }
                Err(_) => {
                    acker
                        .nack(BasicNackOptions {
                            requeue: true,
                            multiple: false,
                        })
                        .await
                }
            };
            // After a recovery the old channel's deliveries cannot be acknowledged; RabbitMQ
            // redelivers them and the inbox makes the second delivery harmless.
            if let Err(error) = acked {
                log::debug!("could not settle a delivery from {queue}: {error}");
            }
        };
        ctx.spawn(
            actix::fut::wrap_future(work).map(|(), consumer: &mut Self, ctx| consumer.settled(ctx)),
        );
    }

    fn finished(&mut self, ctx: &mut Self::Context) {
        self.stream_ended = true;
        if self.in_flight == 0 {
            ctx.stop();
        }
    }
}

async fn failed_delivery(
    stats: &BrokerStats,
    event_type: &str,
    queue: &str,
    count: u32,
    retry: RetryPolicy,
    error: &HandlerError,
    acker: lapin::Acker,
) -> Result<bool, lapin::Error> {
    log::warn!(
        "{event_type} failed in {queue} (delivery {}), retrying: {error}",
        count + 1
    );
    stats.record(event_type, |c| c.retried += 1);
    actix_rt::time::sleep(retry.delay(count + 1)).await;
    acker
        .nack(BasicNackOptions {
            requeue: true,
            multiple: false,
        })
        .await
}

/// Graceful stop: cancel the consumer, then resolve once no handler is in flight.
#[derive(Message)]
#[rtype(result = "()")]
struct StopConsuming;

impl Handler<StopConsuming> for AmqpConsumer {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, _: StopConsuming, _: &mut Self::Context) -> Self::Result {
        let channel = self.channel.clone();
        let tag = self.tag.clone();
        let idle = if self.in_flight == 0 {
            None
        } else {
            let (tx, rx) = tokio::sync::oneshot::channel();
            self.idle_waiters.push(tx);
            Some(rx)
        };
        Box::pin(async move {
            let _ = channel
                .basic_cancel(tag.as_str().into(), BasicCancelOptions::default())
                .await;
            if let Some(idle) = idle {
                let _ = idle.await;
            }
            // Closed here, before its connection: a channel still open when the connection
            // closes makes lapin log an error for a stop that went as planned.
            let _ = channel.close(200, "stopped".into()).await;
        })
    }
}

/// The connection was replaced: this consumer's channel is dead.
#[derive(Message)]
#[rtype(result = "()")]
struct StopNow;

impl Handler<StopNow> for AmqpConsumer {
    type Result = ();

    fn handle(&mut self, _: StopNow, ctx: &mut Self::Context) {
        ctx.stop();
    }
}

#[derive(Message)]
#[rtype(result = "()")]
struct ConsumerLost {
    slot: usize,
    generation: u64,
}

impl Handler<ConsumerLost> for Broker {
    type Result = ();

    fn handle(&mut self, lost: ConsumerLost, _: &mut Self::Context) {
        if let Transport::Amqp(link) = &mut self.transport {
            link.consumer_lost(lost.slot, lost.generation);
        }
    }
}
