//! Embedded migrations, run over a synchronous wrapper of the async connection.
//!
//! diesel-async's `AsyncMigrationHarness` calls `block_in_place`, which panics on actix-rt's
//! current-thread runtime. So migrations run on a dedicated thread with its own small runtime
//! ([`run_pending`]); async callers await that thread ([`run_pending_async`]).

use anyhow::Context;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::MigrationHarness;

use crate::{ServiceDatabase, redact_url};

type SyncConnection = AsyncConnectionWrapper<AsyncPgConnection>;

fn establish(url: &str) -> anyhow::Result<SyncConnection> {
    <SyncConnection as diesel::Connection>::establish(url)
        .with_context(|| format!("cannot connect to {}", redact_url(url)))
}

/// Applies every pending migration of `database`; returns the names of those applied.
/// Blocking: call it from `main` before the actix System starts, or use [`run_pending_async`].
///
/// Replicas starting together take turns: each holds an advisory lock of the database (and
/// schema) while it migrates, so the second finds nothing pending instead of failing on a
/// half-applied migration.
pub fn run_pending(url: &str, database: ServiceDatabase) -> anyhow::Result<Vec<String>> {
    let mut conn = establish(url)?;
    let context = || format!("migrating the {database} database");
    diesel::RunQueryDsl::execute(diesel::sql_query(MIGRATION_LOCK), &mut conn)
        .with_context(context)?;
    let applied = conn
        .run_pending_migrations(database.migrations())
        .map(|applied| applied.iter().map(ToString::to_string).collect())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(context);
    // Closing the connection releases the lock too; unlocking first keeps it short.
    let _ = diesel::RunQueryDsl::execute(diesel::sql_query(MIGRATION_UNLOCK), &mut conn);
    applied
}

/// The advisory lock migrations hold, one per schema (tests migrate many schemas of one
/// database at once).
const MIGRATION_LOCK: &str =
    "SELECT pg_advisory_lock(hashtext('present-finder migrations ' || current_schema()))";
const MIGRATION_UNLOCK: &str =
    "SELECT pg_advisory_unlock(hashtext('present-finder migrations ' || current_schema()))";

/// Reverts every applied migration of `database`, newest first.
pub fn revert_all(url: &str, database: ServiceDatabase) -> anyhow::Result<Vec<String>> {
    let mut conn = establish(url)?;
    let reverted = conn
        .revert_all_migrations(database.migrations())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("reverting the {database} database"))?;
    Ok(reverted.iter().map(ToString::to_string).collect())
}

/// Versions of the migrations embedded for `database`, oldest first (as [`run_pending`]
/// and [`revert_all`] report them).
pub fn embedded_versions(database: ServiceDatabase) -> anyhow::Result<Vec<String>> {
    let migrations = MigrationSource::<Pg>::migrations(&database.migrations())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}

/// Whether `database` has migrations not yet applied.
pub fn has_pending(url: &str, database: ServiceDatabase) -> anyhow::Result<bool> {
    let mut conn = establish(url)?;
    let pending = conn
        .pending_migrations(database.migrations())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(!pending.is_empty())
}

/// How far a database is migrated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Versions applied to the database, oldest first.
    pub applied: Vec<String>,
    /// Versions of the embedded migrations not applied yet, oldest first.
    pub pending: Vec<String>,
    /// Applied versions this binary does not know (a newer binary migrated the database).
    pub unknown: Vec<String>,
}

/// Applied, pending and unknown migrations of `database` (blocking, like [`run_pending`]).
pub fn status(url: &str, database: ServiceDatabase) -> anyhow::Result<MigrationStatus> {
    let mut conn = establish(url)?;
    let context = || format!("reading the migrations of the {database} database");
    let mut applied: Vec<String> = conn
        .applied_migrations()
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(context)?
        .iter()
        .map(ToString::to_string)
        .collect();
    applied.sort();
    let embedded = embedded_versions(database)?;
    let pending = embedded
        .iter()
        .filter(|version| !applied.contains(version))
        .cloned()
        .collect();
    let unknown = applied
        .iter()
        .filter(|version| !embedded.contains(version))
        .cloned()
        .collect();
    Ok(MigrationStatus {
        applied,
        pending,
        unknown,
    })
}

/// [`run_pending`] on a dedicated thread, awaited without blocking the caller's runtime.
pub async fn run_pending_async(
    url: String,
    database: ServiceDatabase,
) -> anyhow::Result<Vec<String>> {
    on_own_thread(move || run_pending(&url, database)).await
}

/// Runs blocking database work on a fresh thread (which gets its own runtime from the
/// connection wrapper) and awaits its result.
pub async fn on_own_thread<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("migrations".into())
        .spawn(move || {
            let _ = tx.send(work());
        })
        .context("cannot start the migrations thread")?;
    rx.await.context("the migrations thread panicked")?
}
