//! The outbox: events produced by a state change are written in the same transaction as the
//! change, then published by the [`OutboxRelay`] of that database. A crash between commit and
//! publish loses nothing: the relay publishes whatever it finds when it starts again.

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_schema::DbPool;
use present_finder_schema::messaging::outbox;
use uuid::Uuid;

use super::BrokerHandle;
use crate::events::Envelope;
use crate::services::Lifecycle;

/// Rows published per transaction.
const BATCH_SIZE: i64 = 256;

/// Writes events to the outbox; call inside the transaction of the state change.
pub async fn enqueue(conn: &mut AsyncPgConnection, envelopes: &[Envelope]) -> QueryResult<()> {
    if envelopes.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = envelopes
        .iter()
        .map(|envelope| {
            (
                outbox::id.eq(envelope.id),
                outbox::event_type.eq(&envelope.event_type),
                outbox::envelope.eq(serde_json::to_value(envelope).unwrap_or_default()),
            )
        })
        .collect();
    diesel::insert_into(outbox::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Publishes one database's outbox. Woken by [`Kick`] after every commit that wrote to it, and
/// by a timer as a safety net (events left by a crash, publishes that failed).
pub struct OutboxRelay {
    name: String,
    pool: DbPool,
    broker: BrokerHandle,
    poll_interval: Duration,
    running: bool,
    kicked: bool,
    /// Nothing is published before [`Resume`]: at start-up, every subscription must exist
    /// first, or events routed to queues not yet declared would be lost.
    paused: bool,
    lifecycle: Arc<Lifecycle>,
}

impl OutboxRelay {
    pub fn new(
        name: impl Into<String>,
        pool: DbPool,
        broker: BrokerHandle,
        poll_interval: Duration,
        lifecycle: Arc<Lifecycle>,
    ) -> Self {
        Self {
            lifecycle,
            name: name.into(),
            pool,
            broker,
            poll_interval,
            running: false,
            kicked: false,
            paused: true,
        }
    }

    fn run(&mut self, ctx: &mut Context<Self>) {
        if self.running || self.paused {
            self.kicked = true;
            return;
        }
        let Some(busy) = self.lifecycle.enter() else {
            return;
        };
        self.running = true;
        self.kicked = false;
        let pool = self.pool.clone();
        let broker = self.broker.clone();
        let drain = async move {
            let published = drain(&pool, &broker).await;
            drop(busy);
            published
        };
        ctx.spawn(
            actix::fut::wrap_future::<_, Self>(drain).map(|result, relay, ctx| {
                relay.running = false;
                match result {
                    Ok(_) if relay.kicked => relay.run(ctx),
                    Ok(_) => {}
                    Err(error) => {
                        log::warn!("the {} outbox relay will retry: {error:#}", relay.name)
                    }
                }
            }),
        );
    }
}

impl Actor for OutboxRelay {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.poll_interval, |relay, ctx| relay.run(ctx));
    }
}

/// Start publishing (once the services have subscribed). Whatever a previous process
/// committed but did not publish goes out first.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Resume;

impl Handler<Resume> for OutboxRelay {
    type Result = ();

    fn handle(&mut self, _: Resume, ctx: &mut Self::Context) {
        self.paused = false;
        self.run(ctx);
    }
}

/// Something was committed to the outbox: publish it now.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Kick;

impl Handler<Kick> for OutboxRelay {
    type Result = ();

    fn handle(&mut self, _: Kick, ctx: &mut Self::Context) {
        self.run(ctx);
    }
}

/// Publish everything pending and answer when the outbox is empty (graceful shutdown).
#[derive(Message)]
#[rtype(result = "anyhow::Result<usize>")]
pub struct Flush;

impl Handler<Flush> for OutboxRelay {
    type Result = ResponseFuture<anyhow::Result<usize>>;

    fn handle(&mut self, _: Flush, _: &mut Self::Context) -> Self::Result {
        let pool = self.pool.clone();
        let broker = self.broker.clone();
        Box::pin(async move { drain(&pool, &broker).await })
    }
}

/// Publishes batches until the outbox is empty; returns how many events went out.
async fn drain(pool: &DbPool, broker: &BrokerHandle) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let published = publish_batch(pool, broker).await?;
        total += published;
        if published < BATCH_SIZE as usize {
            return Ok(total);
        }
    }
}

/// Locks a batch (other replicas skip it), publishes it, deletes what the broker confirmed.
async fn publish_batch(pool: &DbPool, broker: &BrokerHandle) -> anyhow::Result<usize> {
    let mut conn = pool.get().await?;
    let broker = broker.clone();
    let published = conn
        .transaction(async |conn| {
            let rows: Vec<(Uuid, serde_json::Value)> = outbox::table
                .select((outbox::id, outbox::envelope))
                .order(outbox::created_at)
                .limit(BATCH_SIZE)
                .for_update()
                .skip_locked()
                .load(conn)
                .await?;
            let publishes = rows.into_iter().map(|(id, value)| {
                let broker = broker.clone();
                async move {
                    match serde_json::from_value::<Envelope>(value) {
                        Ok(envelope) => broker
                            .publish(envelope)
                            .await
                            .map(|()| id)
                            .map_err(anyhow::Error::from),
                        // Unreadable rows cannot be published: drop them loudly.
                        Err(error) => {
                            log::error!("dropping unreadable outbox row {id}: {error}");
                            Ok(id)
                        }
                    }
                }
            });
            let results = futures_util::future::join_all(publishes).await;
            let mut sent = Vec::with_capacity(results.len());
            let mut failure = None;
            for result in results {
                match result {
                    Ok(id) => sent.push(id),
                    Err(error) => failure = Some(error),
                }
            }
            diesel::delete(outbox::table.filter(outbox::id.eq_any(&sent)))
                .execute(conn)
                .await?;
            if let Some(error) = failure {
                log::warn!("outbox publish failed, will retry: {error:#}");
            }
            Ok::<_, diesel::result::Error>(sent.len())
        })
        .await?;
    Ok(published)
}
