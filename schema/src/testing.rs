//! Test support: every test gets its own six "databases" as PostgreSQL schemas of one shared
//! test database, each created and migrated for that test and dropped when it ends.
//!
//! Schemas rather than databases because `DROP DATABASE` forces a checkpoint (seconds each),
//! while `DROP SCHEMA` is instant; services cannot tell the difference because every
//! connection's `search_path` points at its own schema.

use std::collections::BTreeMap;

use anyhow::Context;
use diesel::sql_query;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use crate::{DbPool, ServiceDatabase, connect_pool, migrate};

/// The server's maintenance database, used to create the shared test database.
const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_TEST_DATABASE: &str = "present_finder_test";

/// Administrator URL of the test server (`TEST_ADMIN_DATABASE_URL`).
pub fn admin_url() -> String {
    std::env::var("TEST_ADMIN_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

fn test_database_url() -> anyhow::Result<String> {
    let mut url = url::Url::parse(&admin_url()).context("TEST_ADMIN_DATABASE_URL")?;
    url.set_path(DEFAULT_TEST_DATABASE);
    Ok(url.to_string())
}

/// Six isolated, migrated databases (schemas) for one test. Dropped with the value.
pub struct TestDatabases {
    base_url: String,
    schemas: BTreeMap<ServiceDatabase, String>,
    /// Only the owner drops the schemas.
    owner: bool,
}

impl TestDatabases {
    /// Creates and migrates all six.
    pub async fn create() -> anyhow::Result<Self> {
        let this = Self::create_empty().await?;
        let migrations = ServiceDatabase::ALL.map(|db| {
            let url = this.url(db);
            migrate::run_pending_async(url, db)
        });
        for result in futures_util::future::join_all(migrations).await {
            result?;
        }
        Ok(this)
    }

    /// Creates all six, empty (no migrations applied).
    pub async fn create_empty() -> anyhow::Result<Self> {
        let base_url = test_database_url()?;
        ensure_test_database(&base_url).await?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let schemas: BTreeMap<_, _> = ServiceDatabase::ALL
            .into_iter()
            .map(|db| (db, format!("t{}_{}", &id[..12], db.key())))
            .collect();
        let mut conn = AsyncPgConnection::establish(&base_url).await?;
        reap_orphans(&mut conn).await;
        // Created with their owner in one transaction: other tests never see an unowned one.
        let owner = format!("{OWNER_PREFIX}{}", std::process::id());
        let statements: Vec<String> = schemas
            .values()
            .flat_map(|schema| {
                [
                    format!("CREATE SCHEMA \"{schema}\""),
                    format!("COMMENT ON SCHEMA \"{schema}\" IS '{owner}'"),
                ]
            })
            .collect();
        conn.batch_execute(&format!("BEGIN; {}; COMMIT", statements.join("; ")))
            .await?;
        Ok(Self {
            base_url,
            schemas,
            owner: true,
        })
    }

    /// The same databases for a second instance of the application; dropping it leaves
    /// them in place (the original drops them).
    pub fn clone_handle(&self) -> Self {
        Self {
            base_url: self.base_url.clone(),
            schemas: self.schemas.clone(),
            owner: false,
        }
    }

    /// A connection URL whose `search_path` is this test's schema for `database`.
    pub fn url(&self, database: ServiceDatabase) -> String {
        let schema = &self.schemas[&database];
        let separator = if self.base_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{}{separator}options=-csearch_path%3D{schema}",
            self.base_url
        )
    }

    pub fn schema(&self, database: ServiceDatabase) -> &str {
        &self.schemas[&database]
    }

    /// A small pool on this test's schema for `database`.
    pub fn pool(&self, database: ServiceDatabase) -> DbPool {
        // Building a lazy pool only fails on an invalid configuration, which is fixed here.
        #[allow(clippy::expect_used)]
        connect_pool(&self.url(database), 4).expect("test pool configuration is valid")
    }

    pub fn urls(&self) -> BTreeMap<ServiceDatabase, String> {
        ServiceDatabase::ALL
            .into_iter()
            .map(|db| (db, self.url(db)))
            .collect()
    }
}

impl Drop for TestDatabases {
    fn drop(&mut self) {
        if !self.owner {
            return;
        }
        let base_url = self.base_url.clone();
        let schemas: Vec<String> = self.schemas.values().cloned().collect();
        // Drop runs outside any runtime guarantee, so clean up on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let mut conn = AsyncPgConnection::establish(&base_url).await?;
                // Never wait forever on a lock a leftover connection holds.
                sql_query("SET lock_timeout = '10s'")
                    .execute(&mut conn)
                    .await?;
                for schema in schemas {
                    sql_query(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                        .execute(&mut conn)
                        .await?;
                }
                anyhow::Ok(())
            })
        });
        match cleanup.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => log::warn!("could not drop test schemas: {e:#}"),
            Err(_) => log::warn!("the test schema cleanup thread panicked"),
        }
    }
}

/// The comment of a test schema naming the test process that owns it.
const OWNER_PREFIX: &str = "present-finder test, process ";

#[derive(diesel::QueryableByName)]
struct TestSchema {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    owner: Option<String>,
}

/// Drops the test schemas whose test process is gone: a test killed by a timeout never runs
/// `Drop`, and its schemas would otherwise stay. Best effort: a failure leaves them for the
/// next test to try.
async fn reap_orphans(conn: &mut AsyncPgConnection) {
    let found = sql_query(
        "SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS owner \
         FROM pg_namespace WHERE nspname ~ '^t[0-9a-f]{12}_'",
    )
    .load::<TestSchema>(conn)
    .await;
    let Ok(found) = found else { return };
    let orphans = found.into_iter().filter(|schema| {
        let pid = schema
            .owner
            .as_deref()
            .and_then(|owner| owner.strip_prefix(OWNER_PREFIX))
            .and_then(|pid| pid.parse::<u32>().ok());
        !pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists())
    });
    for schema in orphans {
        let drop = format!(
            "SET lock_timeout = '2s'; DROP SCHEMA IF EXISTS \"{}\" CASCADE",
            schema.name
        );
        if let Err(error) = conn.batch_execute(&drop).await {
            log::debug!(
                "could not drop the orphaned schema {}: {error}",
                schema.name
            );
        }
    }
}

async fn ensure_test_database(base_url: &str) -> anyhow::Result<()> {
    if AsyncPgConnection::establish(base_url).await.is_ok() {
        return Ok(());
    }
    let mut admin = AsyncPgConnection::establish(&admin_url())
        .await
        .context("cannot connect to the test PostgreSQL server")?;
    let created = sql_query(format!("CREATE DATABASE \"{DEFAULT_TEST_DATABASE}\""))
        .execute(&mut admin)
        .await;
    match created {
        Ok(_) => Ok(()),
        // Another test process created it first.
        Err(diesel::result::Error::DatabaseError(_, info))
            if info.message().contains("already exists") =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
