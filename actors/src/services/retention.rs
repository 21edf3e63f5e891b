//! Bounded storage: a retention sweeper per database the process owns deletes what is no
//! longer needed — inbox entries, erasure tombstones, expired cache entries and the old
//! marketplace call log — and the restapi service expires unused guest accounts on the same
//! schedule ([`RunningServices::every`](super::RunningServices::every)).
//!
//! Deletion goes in small batches, each one statement and so its own short transaction:
//! `DELETE … WHERE ctid = ANY(ARRAY(SELECT ctid … ORDER BY <time> LIMIT n FOR UPDATE SKIP
//! LOCKED))`. A batch locks only the rows it deletes, and skips rows another sweeper holds:
//! several processes sweeping at once take disjoint batches, none waits for another, and a
//! row is deleted (and counted) once.
//!
//! Trade-off of pruning the inbox: an event redelivered after its inbox entry was pruned is
//! handled a second time. Redeliveries come within minutes (the broker dead-letters a message
//! after `DELIVERY_LIMIT` failed deliveries, and a dead letter is replayed only by hand), so
//! with days of retention this only happens for a replay of an old dead letter; and then
//! the handlers' own state checks make it harmless: an answer with no question waiting, a
//! fetch of a finalized wave, a second erasure of an erased chat change nothing, and an event
//! of an erased chat meets its tombstone, which is why tombstones are kept at least as long
//! as inbox entries.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use actix::prelude::*;
use chrono::Utc;
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::RunQueryDsl;
use futures_util::future::BoxFuture;
use present_finder_schema::{DbPool, ServiceDatabase};

use super::Lifecycle;

const DAY: Duration = Duration::from_secs(24 * 3600);

/// How long each kind of data is kept (see the README's configuration table).
#[derive(Debug, Clone)]
pub struct Retention {
    /// Inbox entries (`INBOX_RETENTION_DAYS`).
    pub inbox: Duration,
    /// Erasure tombstones (`TOMBSTONE_RETENTION_DAYS`); at least as long as `inbox`.
    pub tombstones: Duration,
    /// The marketplace call log (`CALL_LOG_RETENTION_DAYS`).
    pub call_log: Duration,
    /// Guest accounts unused for this long are deleted with their data (`GUEST_TTL_DAYS`).
    pub guest_ttl: Duration,
    /// Time between two sweeps (`RETENTION_INTERVAL_S`).
    pub interval: Duration,
    /// Rows deleted per statement (`RETENTION_BATCH_SIZE`).
    pub batch_size: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            inbox: 14 * DAY,
            tombstones: 30 * DAY,
            call_log: 7 * DAY,
            guest_ttl: 30 * DAY,
            interval: Duration::from_secs(3600),
            batch_size: 500,
        }
    }
}

/// Which age makes a row of a table prunable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Age {
    Inbox,
    Tombstone,
    CallLog,
    /// The row's time column is an expiry: gone once it passed.
    Expired,
}

/// A table the sweeper prunes: rows whose `column` is older than the cutoff of `age`.
#[derive(Debug, Clone, Copy)]
struct Target {
    table: &'static str,
    column: &'static str,
    age: Age,
}

/// What the sweeper prunes in `database`.
fn targets(database: ServiceDatabase) -> Vec<Target> {
    let mut targets = vec![Target {
        table: "inbox",
        column: "received_at",
        age: Age::Inbox,
    }];
    if database != ServiceDatabase::Fetch {
        targets.push(Target {
            table: "erased_chats",
            column: "erased_at",
            age: Age::Tombstone,
        });
    }
    match database {
        ServiceDatabase::Fetch => {
            targets.push(Target {
                table: "query_cache",
                column: "expires_at",
                age: Age::Expired,
            });
            targets.push(Target {
                table: "provider_calls",
                column: "called_at",
                age: Age::CallLog,
            });
        }
        ServiceDatabase::Stalking => targets.push(Target {
            table: "scrape_cache",
            column: "expires_at",
            age: Age::Expired,
        }),
        _ => {}
    }
    targets
}

/// The tables the sweeper prunes in `database`.
pub fn pruned_tables(database: ServiceDatabase) -> Vec<&'static str> {
    targets(database).into_iter().map(|t| t.table).collect()
}

impl Retention {
    fn cutoff(&self, age: Age) -> chrono::DateTime<Utc> {
        let kept = match age {
            Age::Inbox => self.inbox,
            Age::Tombstone => self.tombstones,
            Age::CallLog => self.call_log,
            Age::Expired => Duration::ZERO,
        };
        before_now(kept)
    }
}

/// The time `age` ago (the earliest time there is when that is out of range).
pub fn before_now(age: Duration) -> chrono::DateTime<Utc> {
    chrono::Duration::from_std(age)
        .ok()
        .and_then(|age| Utc::now().checked_sub_signed(age))
        .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC)
}

/// Rows pruned by one sweep, per table (only tables where some were).
pub type Pruned = BTreeMap<&'static str, u64>;

/// One sweep of `database`: deletes, batch by batch, every row older than its retention,
/// until none is left (or the process is stopping). Safe to run from several processes at
/// once. Returns what was pruned; the process-wide totals are updated too ([`pruned_totals`]).
pub async fn sweep(
    pool: &DbPool,
    database: ServiceDatabase,
    retention: &Retention,
    lifecycle: Option<&Lifecycle>,
) -> anyhow::Result<Pruned> {
    let mut pruned = Pruned::new();
    let batch = i64::from(retention.batch_size.max(1));
    for target in targets(database) {
        let statement = format!(
            "DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} \
             WHERE {column} < $1 ORDER BY {column} LIMIT $2 FOR UPDATE SKIP LOCKED))",
            table = target.table,
            column = target.column,
        );
        let cutoff = retention.cutoff(target.age);
        let mut total = 0u64;
        loop {
            // A connection per batch: nothing is held between batches.
            let mut conn = pool.get().await?;
            let deleted = diesel::sql_query(&statement)
                .bind::<Timestamptz, _>(cutoff)
                .bind::<BigInt, _>(batch)
                .execute(&mut conn)
                .await
                .map_err(|e| anyhow::anyhow!("pruning {database}.{}: {e}", target.table))?;
            drop(conn);
            total += deleted as u64;
            record_pruned(database, target.table, deleted as u64);
            if (deleted as i64) < batch || lifecycle.is_some_and(Lifecycle::is_stopping) {
                break;
            }
        }
        if total > 0 {
            pruned.insert(target.table, total);
        }
    }
    Ok(pruned)
}

/// "pruned 3 inbox, 1 erased_chats", for the one-line summary of a run.
pub fn describe(pruned: &BTreeMap<&'static str, u64>) -> String {
    pruned
        .iter()
        .map(|(table, rows)| format!("{rows} {table}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn totals() -> &'static Mutex<BTreeMap<(String, String), u64>> {
    static TOTALS: OnceLock<Mutex<BTreeMap<(String, String), u64>>> = OnceLock::new();
    TOTALS.get_or_init(Default::default)
}

/// Counts rows deleted for retention (the `/metrics` counter).
pub fn record_pruned(database: ServiceDatabase, table: &str, rows: u64) {
    if rows == 0 {
        return;
    }
    // Each update is one addition: whatever panicked while holding the map left it whole.
    let mut totals = totals()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *totals
        .entry((database.key().to_owned(), table.to_owned()))
        .or_default() += rows;
}

/// Rows deleted for retention by this process since it started, by (database, table).
pub fn pruned_totals() -> BTreeMap<(String, String), u64> {
    totals()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

/// The sweep of one database, as a periodic job.
pub(crate) fn sweep_job(
    database: ServiceDatabase,
    pool: DbPool,
    retention: Retention,
    lifecycle: Arc<Lifecycle>,
) -> Job {
    Arc::new(move || {
        let pool = pool.clone();
        let retention = retention.clone();
        let lifecycle = lifecycle.clone();
        Box::pin(async move {
            match sweep(&pool, database, &retention, Some(&lifecycle)).await {
                Ok(pruned) if !pruned.is_empty() => {
                    log::info!("retention: pruned {} in {database}", describe(&pruned))
                }
                Ok(_) => {}
                Err(error) => log::warn!("retention sweep of {database} failed: {error:#}"),
            }
        })
    })
}

/// Background work run at an interval.
pub type Job = Arc<dyn Fn() -> BoxFuture<'static, ()> + Send + Sync>;

/// Runs a [`Job`] every `interval` (the first time after `min(interval, 60 s)`), one run at a
/// time, as background work of the process: no run starts once it is stopping, and its stop
/// waits for the run in progress.
pub struct Periodic {
    interval: Duration,
    job: Job,
    lifecycle: Arc<Lifecycle>,
    running: bool,
}

impl Periodic {
    pub fn new(interval: Duration, lifecycle: Arc<Lifecycle>, job: Job) -> Self {
        Self {
            interval,
            job,
            lifecycle,
            running: false,
        }
    }

    fn tick(&mut self, ctx: &mut Context<Self>) {
        if self.running {
            return;
        }
        let Some(busy) = self.lifecycle.enter() else {
            return;
        };
        self.running = true;
        let run = (self.job)();
        ctx.spawn(
            actix::fut::wrap_future::<_, Self>(async move {
                run.await;
                drop(busy);
            })
            .map(|(), periodic, _| periodic.running = false),
        );
    }
}

impl Actor for Periodic {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_later(
            self.interval.min(Duration::from_secs(60)),
            |periodic, ctx| periodic.tick(ctx),
        );
        ctx.run_interval(self.interval, |periodic, ctx| periodic.tick(ctx));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_database_prunes_its_inbox_and_the_chat_keeping_ones_their_tombstones() {
        for database in ServiceDatabase::ALL {
            let tables = pruned_tables(database);
            assert!(tables.contains(&"inbox"), "{database}");
            assert_eq!(
                tables.contains(&"erased_chats"),
                database != ServiceDatabase::Fetch,
                "{database}"
            );
        }
        assert!(pruned_tables(ServiceDatabase::Fetch).contains(&"query_cache"));
        assert!(pruned_tables(ServiceDatabase::Fetch).contains(&"provider_calls"));
    }

    #[test]
    fn expired_rows_are_cut_at_now_and_kept_ones_at_their_retention() {
        let retention = Retention::default();
        let now = Utc::now();
        let inbox = now - retention.cutoff(Age::Inbox);
        assert!((inbox - chrono::Duration::days(14)).num_seconds().abs() < 5);
        assert!((now - retention.cutoff(Age::Expired)).num_seconds().abs() < 5);
        assert_eq!(
            before_now(Duration::from_secs(u64::MAX)),
            chrono::DateTime::<Utc>::MIN_UTC
        );
    }
}
