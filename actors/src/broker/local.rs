//! The in-process transport: the AMQP contract kept in memory. Messages are not durable
//! across process restarts (nothing in memory is); the outbox and the saga deadlines cover
//! that. Everything else — a queue per consuming service and event, bounded prefetch,
//! handler-then-ack, retries with backoff, a delivery limit, dead letters — behaves as on
//! RabbitMQ.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;

use super::topology::must_be_routed;
use super::{
    Broker, BrokerConfig, BrokerError, BrokerStats, ConsumerGroup, DeadLetter, Deliver,
    HandlerError, Subscribe, Transport,
};
use crate::events::Envelope;

/// How many dead letters are kept; the oldest are dropped beyond that.
const DEAD_LETTER_CAPACITY: usize = 10_000;

pub(super) struct LocalBus {
    config: BrokerConfig,
    stats: Arc<BrokerStats>,
    bindings: HashMap<&'static str, Vec<usize>>,
    queues: Vec<LocalQueue>,
    queue_index: HashMap<String, usize>,
    dead_letters: VecDeque<DeadLetter>,
    next_consumer_id: u64,
    in_flight: Rc<Cell<usize>>,
    draining: bool,
}

struct LocalQueue {
    name: String,
    ready: VecDeque<Pending>,
    consumers: Vec<LocalConsumer>,
    next: usize,
    /// A broadcast queue whose only consumer is gone: it takes no more messages.
    closed: bool,
    broadcast: bool,
}

struct LocalConsumer {
    id: u64,
    handler: Recipient<Deliver>,
    in_flight: usize,
    prefetch: usize,
}

#[derive(Clone)]
struct Pending {
    envelope: Arc<Envelope>,
    failures: u32,
}

impl LocalBus {
    pub(super) fn new(config: &BrokerConfig, stats: Arc<BrokerStats>) -> Self {
        let mut bus = Self {
            config: config.clone(),
            stats,
            bindings: HashMap::new(),
            queues: Vec::new(),
            queue_index: HashMap::new(),
            dead_letters: VecDeque::new(),
            next_consumer_id: 0,
            in_flight: Rc::new(Cell::new(0)),
            draining: false,
        };
        // The whole topology, as on RabbitMQ: events wait for services not subscribed yet.
        for queue in &config.service_queues {
            bus.declare_queue(
                service_queue_name(&queue.service, queue.event_type),
                queue.event_type,
                false,
            );
        }
        bus
    }

    pub(super) fn publish(
        &mut self,
        envelope: Envelope,
        ctx: &mut Context<Broker>,
    ) -> Result<(), BrokerError> {
        if self.draining {
            return Err(BrokerError::ShuttingDown);
        }
        let queues: Vec<usize> = self
            .bindings
            .get(envelope.event_type.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&queue| !self.queues[queue].closed)
            .collect();
        if queues.is_empty() && must_be_routed(&envelope.event_type) {
            return Err(BrokerError::Unroutable {
                event_type: envelope.event_type,
            });
        }
        let envelope = Arc::new(envelope);
        for queue in queues {
            self.queues[queue].ready.push_back(Pending {
                envelope: envelope.clone(),
                failures: 0,
            });
            self.dispatch(queue, ctx);
        }
        Ok(())
    }

    pub(super) fn subscribe(&mut self, subscription: Subscribe, ctx: &mut Context<Broker>) {
        let Subscribe {
            group,
            event_types,
            handler,
            workload,
        } = subscription;
        let prefetch = usize::from(workload.prefetch(&self.config));
        for event_type in event_types {
            let queue = match &group {
                ConsumerGroup::Service(service) => {
                    self.declare_queue(service_queue_name(service, event_type), event_type, false)
                }
                ConsumerGroup::Broadcast => {
                    let name = format!("broadcast-{}.{event_type}", self.next_consumer_id);
                    self.declare_queue(name, event_type, true)
                }
            };
            self.next_consumer_id += 1;
            self.queues[queue].consumers.push(LocalConsumer {
                id: self.next_consumer_id,
                handler: handler.clone(),
                in_flight: 0,
                prefetch,
            });
            self.dispatch(queue, ctx);
        }
    }

    /// Queues outlive their consumers (like durable queues), so events published while a
    /// service restarts wait for it.
    fn declare_queue(&mut self, name: String, event_type: &'static str, broadcast: bool) -> usize {
        if let Some(&index) = self.queue_index.get(&name) {
            return index;
        }
        let index = self.queues.len();
        self.queues.push(LocalQueue {
            name: name.clone(),
            ready: VecDeque::new(),
            consumers: Vec::new(),
            next: 0,
            closed: false,
            broadcast,
        });
        self.queue_index.insert(name, index);
        self.bindings.entry(event_type).or_default().push(index);
        index
    }

    fn dispatch(&mut self, queue_index: usize, ctx: &mut Context<Broker>) {
        if self.draining {
            return;
        }
        let queue = &mut self.queues[queue_index];
        while !queue.ready.is_empty() {
            let Some(slot) = queue.free_consumer() else {
                return;
            };
            let Some(pending) = queue.ready.pop_front() else {
                return;
            };
            let consumer = &mut queue.consumers[slot];
            consumer.in_flight += 1;
            self.in_flight.set(self.in_flight.get() + 1);
            let consumer_id = consumer.id;
            let deliver = Deliver {
                envelope: pending.envelope.clone(),
                delivery_count: pending.failures,
            };
            let request = super::hand_over(&consumer.handler, deliver, self.config.chaos);
            ctx.spawn(actix::fut::wrap_future::<_, Broker>(request).map(
                move |outcome, broker, ctx| {
                    if let Transport::Local(bus) = &mut broker.transport {
                        bus.settle(queue_index, consumer_id, pending, outcome, ctx);
                    }
                },
            ));
        }
    }

    fn settle(
        &mut self,
        queue_index: usize,
        consumer_id: u64,
        mut pending: Pending,
        outcome: Result<Result<(), HandlerError>, MailboxError>,
        ctx: &mut Context<Broker>,
    ) {
        self.in_flight.set(self.in_flight.get().saturating_sub(1));
        let queue = &mut self.queues[queue_index];
        if let Some(consumer) = queue.consumers.iter_mut().find(|c| c.id == consumer_id) {
            consumer.in_flight = consumer.in_flight.saturating_sub(1);
        }
        let event_type = pending.envelope.event_type.clone();
        match outcome {
            Ok(Ok(())) => self.stats.record(&event_type, |c| c.consumed += 1),
            Ok(Err(error)) => {
                pending.failures += 1;
                if error.is_permanent() || pending.failures > self.config.delivery_limit {
                    let queue_name = queue.name.clone();
                    self.dead_letter(queue_name, pending, error.to_string());
                } else {
                    self.stats.record(&event_type, |c| c.retried += 1);
                    log::warn!(
                        "{} failed in {} (attempt {}), retrying: {error}",
                        event_type,
                        queue.name,
                        pending.failures
                    );
                    let delay = self.config.retry.delay(pending.failures);
                    ctx.run_later(delay, move |broker, ctx| {
                        if let Transport::Local(bus) = &mut broker.transport {
                            bus.queues[queue_index].ready.push_back(pending);
                            bus.dispatch(queue_index, ctx);
                        }
                    });
                }
            }
            Err(_) => {
                // The consumer died before answering: as with a dropped AMQP connection, the
                // message goes back to the queue for the next consumer.
                queue.consumers.retain(|c| c.id != consumer_id);
                if queue.broadcast && queue.consumers.is_empty() {
                    queue.closed = true;
                    queue.ready.clear();
                } else {
                    queue.ready.push_front(pending);
                }
            }
        }
        self.dispatch(queue_index, ctx);
    }

    fn dead_letter(&mut self, queue: String, pending: Pending, reason: String) {
        log::error!(
            "dead-lettering {} {} from {queue}: {reason}",
            pending.envelope.event_type,
            pending.envelope.id
        );
        self.stats
            .record(&pending.envelope.event_type, |c| c.dead_lettered += 1);
        if self.dead_letters.len() == DEAD_LETTER_CAPACITY {
            self.dead_letters.pop_front();
        }
        let envelope = Arc::unwrap_or_clone(pending.envelope);
        self.dead_letters.push_back(DeadLetter {
            queue,
            event_type: envelope.event_type.clone(),
            event_id: Some(envelope.id),
            reason,
            envelope: Some(envelope),
        });
    }

    pub(super) fn dead_letters(&self, limit: usize) -> Vec<DeadLetter> {
        self.dead_letters.iter().take(limit).cloned().collect()
    }

    pub(super) fn replay_dead_letters(&mut self, limit: usize, ctx: &mut Context<Broker>) -> usize {
        let mut replayed = 0;
        while replayed < limit {
            let Some(letter) = self.dead_letters.pop_front() else {
                break;
            };
            let (Some(envelope), Some(&queue)) =
                (letter.envelope, self.queue_index.get(&letter.queue))
            else {
                continue;
            };
            self.queues[queue].ready.push_back(Pending {
                envelope: Arc::new(envelope),
                failures: 0,
            });
            self.dispatch(queue, ctx);
            replayed += 1;
        }
        replayed
    }

    /// Stops dispatching, then resolves once no handler is running.
    pub(super) fn drain(&mut self) -> ResponseActFuture<Broker, ()> {
        self.draining = true;
        let in_flight = self.in_flight.clone();
        Box::pin(actix::fut::wrap_future(async move {
            while in_flight.get() > 0 {
                actix_rt::time::sleep(Duration::from_millis(10)).await;
            }
        }))
    }
}

fn service_queue_name(service: &str, event_type: &str) -> String {
    format!("{service}.{event_type}")
}

impl LocalQueue {
    /// The next consumer, round-robin, that may take one more delivery.
    fn free_consumer(&mut self) -> Option<usize> {
        let count = self.consumers.len();
        (0..count)
            .map(|offset| (self.next + offset) % count)
            .find(|&i| self.consumers[i].in_flight < self.consumers[i].prefetch)
            .inspect(|&i| self.next = (i + 1) % count)
    }
}
