//! The process's background work and its stop, as the services use it. It lives with the
//! Broker, one level down: the outbox relays run under the same lifecycle, and the Broker
//! knows no service.

pub use crate::broker::lifecycle::{Busy, Lifecycle};
