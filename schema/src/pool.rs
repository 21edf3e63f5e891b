use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{self, Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

/// The one pool type of the system. Query functions take `&mut AsyncPgConnection`, so the same
/// query runs on a pooled connection (`&mut conn`) or inside a transaction.
pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;
pub type PoolError = deadpool::PoolError;

#[derive(Debug, thiserror::Error)]
#[error("cannot build the connection pool: {0}")]
pub struct BuildPoolError(#[from] deadpool::BuildError);

/// Builds a lazily connecting pool. Connections are created on first use and waits are
/// bounded, so a database outage turns into errors instead of hangs.
///
/// A connection is not pinged when it leaves the pool (that was one `SELECT 1` for every
/// transaction, a ninth of all statements under load): a connection that died is marked broken
/// by its first failing query and dropped, and the event it served is retried by the broker.
pub fn connect_pool(url: &str, max_size: usize) -> Result<DbPool, BuildPoolError> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Ok(Pool::builder(manager)
        .max_size(max_size)
        .runtime(::deadpool::Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(10)))
        .create_timeout(Some(Duration::from_secs(5)))
        .recycle_timeout(Some(Duration::from_secs(5)))
        .build()?)
}
