//! The event catalog: every message the services exchange, the wire envelope that carries it,
//! and the machine-readable description of both (`docs/events.schema.json`).

mod catalog;
mod envelope;
mod schema;

pub use catalog::*;
pub use envelope::{DecodeError, Envelope, Event};
pub use schema::catalog_schema;
