//! The six service hierarchies. Each service is a supervisor actor that owns its database
//! pool, its providers and its workers, consumes its events through the Broker and produces
//! the next ones through its database's outbox.

pub mod chat;
pub mod fetch;
pub mod gift;
pub mod gift_ideas;
pub mod reranking;
pub mod stalking;
