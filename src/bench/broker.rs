//! `bench broker`: publish N events as fast as the Broker takes them, with a bounded window
//! of publishes in flight, and count them out of a consumer that acknowledges each one.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix::prelude::*;
use anyhow::Context as _;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use present_finder_actors::broker::{
    Broker, BrokerConfig, ConsumerGroup, Deliver, HandlerError, Workload,
};
use present_finder_actors::events::{ChatUserAnsweredEvent, Envelope, Event};
use uuid::Uuid;

use super::{Transports, report};
use crate::config::Config;

struct Counter(Arc<AtomicUsize>);

impl Actor for Counter {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Counter {
    type Result = Result<(), HandlerError>;

    fn handle(&mut self, _: Deliver, _: &mut Self::Context) -> Self::Result {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

pub async fn run(
    config: Config,
    events: usize,
    window: usize,
    transports: Transports,
) -> anyhow::Result<()> {
    report(format!(
        "bench broker: {events} events per transport, {window} publishes in flight"
    ));
    for transport in transports.selected() {
        let mut broker_config = BrokerConfig {
            namespace: format!("bench-{}", &Uuid::new_v4().simple().to_string()[..8]),
            queue_expiry: Some(Duration::from_secs(60)),
            ..config.broker.clone()
        };
        broker_config.amqp_url = match transport {
            Transports::Amqp => Some(
                config
                    .broker
                    .amqp_url
                    .clone()
                    .unwrap_or_else(|| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned()),
            ),
            _ => None,
        };
        let label = if broker_config.amqp_url.is_some() {
            "RabbitMQ (persistent, publisher confirms, manual ack)"
        } else {
            "in-process"
        };
        let rate = measure(broker_config, events, window)
            .await
            .with_context(|| label.to_owned())?;
        report(format!("  {label:<55} {:>10.0} events/s", rate));
    }
    Ok(())
}

async fn measure(config: BrokerConfig, events: usize, window: usize) -> anyhow::Result<f64> {
    let broker = Broker::start(config).await?;
    let consumed = Arc::new(AtomicUsize::new(0));
    let counter = Counter(consumed.clone()).start();
    broker
        .subscribe(
            ConsumerGroup::Service("bench".into()),
            vec![ChatUserAnsweredEvent::NAME],
            counter.recipient(),
            Workload::Database,
        )
        .await?;
    let chat_id = Uuid::now_v7();
    let event = ChatUserAnsweredEvent {
        message_id: Uuid::now_v7(),
        content: "Biega kilka razy w tygodniu".to_owned(),
    };
    let started = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    for _ in 0..events {
        if in_flight.len() >= window
            && let Some(result) = in_flight.next().await
        {
            result?;
        }
        let broker = broker.clone();
        let envelope = Envelope::new(chat_id, &event);
        in_flight.push(async move { broker.publish(envelope).await });
    }
    while let Some(result) = in_flight.next().await {
        result?;
    }
    while consumed.load(Ordering::Relaxed) < events {
        actix_rt::time::sleep(Duration::from_millis(2)).await;
        if started.elapsed() > Duration::from_secs(600) {
            anyhow::bail!(
                "only {} of {events} events consumed",
                consumed.load(Ordering::Relaxed)
            );
        }
    }
    let elapsed = started.elapsed();
    broker.delete_topology().await?;
    Ok(events as f64 / elapsed.as_secs_f64())
}
