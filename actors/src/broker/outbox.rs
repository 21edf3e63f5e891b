//! The outbox: events produced by a state change are written in the same transaction as the
//! change, then published by the [`OutboxRelay`] of that database. A crash between commit and
//! publish loses nothing: whatever stays in the outbox is published later.
//!
//! Two paths: right after a commit the relay publishes the committed events at once (they are
//! in memory) and deletes their rows in batches; a poller publishes rows that stayed longer
//! than [`STALE_AFTER`] (a failed publish, a crash), and at start everything left over.
//! Either path may publish an event twice in rare cases; consumers' inboxes make that harmless.

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_schema::DbPool;
use present_finder_schema::messaging::outbox;
use uuid::Uuid;

use super::BrokerHandle;
use super::lifecycle::Lifecycle;
use crate::events::Envelope;

/// Rows published per poller transaction.
const BATCH_SIZE: i64 = 256;
/// Rows younger than this are left to the path that committed them.
const STALE_AFTER: Duration = Duration::from_secs(5);
/// Published rows are deleted together after this pause.
const DELETE_DELAY: Duration = Duration::from_millis(20);

/// Writes events to the outbox; call inside the transaction of the state change.
pub async fn enqueue(conn: &mut AsyncPgConnection, envelopes: &[Envelope]) -> QueryResult<()> {
    if envelopes.is_empty() {
        return Ok(());
    }
    let rows = envelopes
        .iter()
        .map(|envelope| {
            Ok((
                outbox::id.eq(envelope.id),
                outbox::event_type.eq(&envelope.event_type),
                outbox::envelope.eq(present_finder_schema::json::to_column(envelope)?),
            ))
        })
        .collect::<QueryResult<Vec<_>>>()?;
    diesel::insert_into(outbox::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Publishes one database's outbox.
pub struct OutboxRelay {
    name: String,
    pool: DbPool,
    broker: BrokerHandle,
    poll_interval: Duration,
    polling: bool,
    /// A poll of everything was asked for while one was running (whose query may have been
    /// made before the newest rows committed): run it when the current one ends.
    poll_all_again: bool,
    /// Nothing is published before [`Resume`]: at start-up, every subscription must exist
    /// first, or events routed to queues not yet declared would be lost.
    paused: bool,
    /// Ids published by the fast path, waiting for their rows to be deleted.
    published: Vec<Uuid>,
    delete_scheduled: bool,
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
            name: name.into(),
            pool,
            broker,
            poll_interval,
            polling: false,
            poll_all_again: false,
            paused: true,
            published: Vec::new(),
            delete_scheduled: false,
            lifecycle,
        }
    }

    /// Publishes rows older than `min_age` (all of them with `None`).
    fn poll(&mut self, min_age: Option<Duration>, ctx: &mut Context<Self>) {
        if self.paused {
            return;
        }
        if self.polling {
            self.poll_all_again |= min_age.is_none();
            return;
        }
        let Some(busy) = self.lifecycle.enter() else {
            return;
        };
        self.polling = true;
        let pool = self.pool.clone();
        let broker = self.broker.clone();
        let work = async move {
            let published = drain(&pool, &broker, min_age).await;
            drop(busy);
            published
        };
        ctx.spawn(
            actix::fut::wrap_future::<_, Self>(work).map(|result, relay, ctx| {
                relay.polling = false;
                if std::mem::take(&mut relay.poll_all_again) {
                    relay.poll(None, ctx);
                }
                match result {
                    Ok(0) => {}
                    Ok(count) => log::info!(
                        "the {} outbox relay published {count} left-over events",
                        relay.name
                    ),
                    Err(error) => {
                        log::warn!("the {} outbox relay will retry: {error:#}", relay.name)
                    }
                }
            }),
        );
    }

    fn published(&mut self, ids: Vec<Uuid>, ctx: &mut Context<Self>) {
        self.published.extend(ids);
        if !self.delete_scheduled && !self.published.is_empty() {
            self.delete_scheduled = true;
            ctx.run_later(DELETE_DELAY, |relay, ctx| relay.delete_published(ctx));
        }
    }

    fn delete_published(&mut self, ctx: &mut Context<Self>) {
        self.delete_scheduled = false;
        let ids = std::mem::take(&mut self.published);
        if ids.is_empty() {
            return;
        }
        // Deletion goes ahead even while stopping: it is the end of work already done.
        let pool = self.pool.clone();
        let name = self.name.clone();
        ctx.spawn(actix::fut::wrap_future(async move {
            if let Err(error) = delete(&pool, &ids).await {
                // The rows stay and are published again later: a harmless duplicate.
                log::warn!("the {name} outbox relay could not delete published rows: {error:#}");
            }
        }));
    }
}

impl Actor for OutboxRelay {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.poll_interval, |relay, ctx| {
            relay.poll(Some(STALE_AFTER), ctx)
        });
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
        self.poll(None, ctx);
    }
}

/// These events were just committed to the outbox: publish them now.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Committed(pub Vec<Envelope>);

impl Handler<Committed> for OutboxRelay {
    type Result = ();

    fn handle(&mut self, Committed(envelopes): Committed, ctx: &mut Self::Context) {
        if self.paused || envelopes.is_empty() {
            return;
        }
        let Some(busy) = self.lifecycle.enter() else {
            return;
        };
        let broker = self.broker.clone();
        let work = async move {
            let sent = publish_all(&broker, envelopes.into_iter().map(|e| (e.id, e))).await;
            drop(busy);
            sent
        };
        ctx.spawn(
            actix::fut::wrap_future::<_, Self>(work)
                .map(|sent, relay, ctx| relay.published(sent, ctx)),
        );
    }
}

/// Publish whatever is pending now, however recent (tests and tooling).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Kick;

impl Handler<Kick> for OutboxRelay {
    type Result = ();

    fn handle(&mut self, _: Kick, ctx: &mut Self::Context) {
        self.poll(None, ctx);
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
        let published = std::mem::take(&mut self.published);
        Box::pin(async move {
            delete(&pool, &published).await?;
            drain(&pool, &broker, None).await
        })
    }
}

/// Publishes concurrently; returns the ids the broker accepted.
async fn publish_all(
    broker: &BrokerHandle,
    envelopes: impl Iterator<Item = (Uuid, Envelope)>,
) -> Vec<Uuid> {
    let publishes = envelopes.map(|(id, envelope)| {
        let broker = broker.clone();
        async move {
            match broker.publish(envelope).await {
                Ok(()) => Some(id),
                Err(error) => {
                    log::warn!("outbox publish failed, will retry: {error}");
                    None
                }
            }
        }
    });
    futures_util::future::join_all(publishes)
        .await
        .into_iter()
        .flatten()
        .collect()
}

async fn delete(pool: &DbPool, ids: &[Uuid]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut conn = pool.get().await?;
    diesel::delete(outbox::table.filter(outbox::id.eq_any(ids)))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// Publishes batches of rows older than `min_age` until none is left; returns how many
/// events went out.
async fn drain(
    pool: &DbPool,
    broker: &BrokerHandle,
    min_age: Option<Duration>,
) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let (published, seen) = publish_batch(pool, broker, min_age).await?;
        total += published;
        if seen < BATCH_SIZE as usize || published < seen {
            return Ok(total);
        }
    }
}

/// Locks a batch (other replicas skip it), publishes it, deletes what the broker confirmed.
/// Returns (published, rows seen).
async fn publish_batch(
    pool: &DbPool,
    broker: &BrokerHandle,
    min_age: Option<Duration>,
) -> anyhow::Result<(usize, usize)> {
    let mut conn = pool.get().await?;
    let broker = broker.clone();
    let cutoff = Utc::now() - min_age.unwrap_or_default();
    let counts = conn
        .transaction(async |conn| {
            let rows: Vec<(Uuid, serde_json::Value)> = outbox::table
                .filter(outbox::created_at.le(cutoff))
                .select((outbox::id, outbox::envelope))
                .order(outbox::created_at)
                .limit(BATCH_SIZE)
                .for_update()
                .skip_locked()
                .load(conn)
                .await?;
            let seen = rows.len();
            let mut unreadable = Vec::new();
            let envelopes: Vec<(Uuid, Envelope)> = rows
                .into_iter()
                .filter_map(
                    |(id, value)| match serde_json::from_value::<Envelope>(value) {
                        Ok(envelope) => Some((id, envelope)),
                        Err(error) => {
                            // Unreadable rows can never be published: drop them loudly.
                            log::error!("dropping unreadable outbox row {id}: {error}");
                            unreadable.push(id);
                            None
                        }
                    },
                )
                .collect();
            let mut sent = publish_all(&broker, envelopes.into_iter()).await;
            let published = sent.len();
            sent.extend(unreadable);
            diesel::delete(outbox::table.filter(outbox::id.eq_any(&sent)))
                .execute(conn)
                .await?;
            Ok::<_, diesel::result::Error>((published, seen))
        })
        .await?;
    Ok(counts)
}
