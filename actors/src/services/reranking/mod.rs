//! The collecting and scoring service. A wave is complete when every fetch request it was
//! told to expect has answered (a set, never a counter: duplicates, reordering and late
//! answers cannot break it) or when it has been quiet for `EVENT_TIMEOUT_MS`. It is finalised
//! exactly once: scored (with no transaction open, within `SCORING_TIMEOUT_S`, else by the
//! embedded scorer), then, in one transaction that finalises it only if it is still
//! collecting, either one more wave is asked for or the result is delivered.

mod llm;
mod provider;
mod repository;
pub mod scorer;
mod service;
mod texts;

pub use llm::LlmScorer;
pub use provider::{EmbeddedScorer, ProductScorer};
pub use service::{RerankingService, start};
