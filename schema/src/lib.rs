//! Persistence of Present Finder: one PostgreSQL database per bounded context, each with its
//! own role, `table!` module, embedded migrations and connection pool.
//!
//! Error types: query functions return [`diesel::QueryResult`]; pool and provisioning code
//! return [`PoolError`] / `anyhow::Error` (start-up paths only). Request handlers map both to
//! their own typed errors.

pub mod database;
pub mod erasure;
pub mod json;
pub mod messaging;
pub mod migrate;
pub mod pool;
pub mod provision;
pub mod redact;
pub mod tables;
#[cfg(feature = "testing")]
pub mod testing;

pub use database::ServiceDatabase;
pub use pool::{DbConn, DbPool, PoolError, connect_pool};
pub use redact::redact_url;
