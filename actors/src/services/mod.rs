//! The six service hierarchies. Each service is a supervisor actor that owns its database
//! pool, its providers and its workers, consumes its events through the Broker and produces
//! the next ones through its database's outbox.

pub mod chat;
mod context;
pub mod erasure;
mod failure;
pub mod fetch;
#[cfg(test)]
mod fuzzing;
pub mod gift;
pub mod gift_ideas;
pub mod http;
mod lifecycle;
mod progress;
pub mod provider;
pub mod reranking;
pub mod retention;
mod runtime;
pub use runtime::{ProviderConfig, Providers, RunningServices, start_services};
pub mod stalking;
mod topology;
pub use topology::whole_topology;
mod turns;
pub use turns::Turns;

use std::time::Duration;

pub use context::ServiceContext;
pub use lifecycle::{Busy, Lifecycle};

use crate::vocabulary::Marketplace;
use present_finder_schema::ServiceDatabase;

/// The parts of the system `SERVICES` selects from. `restapi` is the web layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceName {
    Restapi,
    Stalking,
    Chat,
    Gift,
    GiftIdeas,
    Fetch,
    Reranking,
}

impl ServiceName {
    pub const ALL: [ServiceName; 7] = [
        ServiceName::Restapi,
        ServiceName::Stalking,
        ServiceName::Chat,
        ServiceName::Gift,
        ServiceName::GiftIdeas,
        ServiceName::Fetch,
        ServiceName::Reranking,
    ];

    /// The name used in `SERVICES`, queue names and the inbox.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceName::Restapi => "restapi",
            ServiceName::Stalking => "stalking",
            ServiceName::Chat => "chat",
            ServiceName::Gift => "gift",
            ServiceName::GiftIdeas => "gift-ideas",
            ServiceName::Fetch => "fetch",
            ServiceName::Reranking => "reranking",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the service keeps data of a chat: it erases it on `ChatDataErasedEvent` and
    /// ignores the chat's events from then on (its database has the `erased_chats`
    /// tombstones). restapi deletes its rows itself, when the chat or account is deleted;
    /// fetch keeps nothing per chat.
    pub fn keeps_chat_data(self) -> bool {
        matches!(
            self,
            ServiceName::Stalking
                | ServiceName::Chat
                | ServiceName::Gift
                | ServiceName::GiftIdeas
                | ServiceName::Reranking
        )
    }

    /// The database the service owns (gift and gift-ideas share one).
    pub fn database(self) -> ServiceDatabase {
        match self {
            ServiceName::Restapi => ServiceDatabase::Restapi,
            ServiceName::Stalking => ServiceDatabase::Stalking,
            ServiceName::Chat => ServiceDatabase::Chat,
            ServiceName::Gift | ServiceName::GiftIdeas => ServiceDatabase::GiftIdeas,
            ServiceName::Fetch => ServiceDatabase::Fetch,
            ServiceName::Reranking => ServiceDatabase::Reranking,
        }
    }
}

impl std::fmt::Display for ServiceName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tuning knobs of a gift search (see the README's configuration table).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Hard cap on interview questions, the first one included.
    pub max_questions: u32,
    /// The interview never ends earlier unless the giver asks to stop.
    pub min_questions: u32,
    /// Products scoring below this are not recommended.
    pub minimal_score: f64,
    /// At most this many gifts per search; fewer good ones trigger a regeneration wave.
    pub top_best_count: usize,
    /// Regeneration waves allowed after the first.
    pub max_ideas_loop: u32,
    /// A wave with no answer for this long is scored with what arrived.
    pub event_timeout: Duration,
    /// How long after the interview the search waits for the profile analysis.
    pub stalking_deadline: Duration,
    /// Results or a failure reach the user within this time after the interview.
    pub session_deadline: Duration,
    /// The time idea generation may take before the session fails.
    pub ideas_deadline: Duration,
    /// Marketplaces searched.
    pub marketplaces: Vec<Marketplace>,
    /// Products requested per search query.
    pub products_per_query: u32,
    /// How long an identical marketplace query is answered from the cache.
    pub query_cache_ttl: Duration,
    /// Time allowed per marketplace call, and retries after a failed one.
    pub provider_timeout: Duration,
    pub provider_retries: u32,
    /// Time allowed per interview turn (the first question or the next one). Past it, or
    /// when the interviewer fails, the embedded interviewer asks that turn.
    pub interview_timeout: Duration,
    /// Time allowed per social profile read. Past it, that profile is reported as not
    /// available and the analysis goes on without it.
    pub profile_timeout: Duration,
    /// How long a scraped profile is read from the stalking database instead of again.
    pub scrape_cache_ttl: Duration,
    /// Time allowed to extract facts from the profiles read. Past it, or when the extractor
    /// fails, the embedded extractor does it.
    pub extraction_timeout: Duration,
    /// Time allowed to generate a wave's ideas and queries. Past it, or when the generator
    /// fails, the embedded generator does it.
    pub ideas_timeout: Duration,
    /// Time allowed to score a wave's products. Past it, or when the scorer fails, the
    /// embedded scorer does it.
    pub scoring_timeout: Duration,
    /// How often deadlines are checked.
    pub sweep_interval: Duration,
    /// How often each outbox is checked besides the wake-ups after commits.
    pub outbox_poll_interval: Duration,
    /// What is kept how long, and how often it is pruned.
    pub retention: retention::Retention,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_questions: 12,
            min_questions: 5,
            minimal_score: 6.0,
            top_best_count: 40,
            max_ideas_loop: 1,
            event_timeout: Duration::from_millis(30_000),
            stalking_deadline: Duration::from_secs(20),
            session_deadline: Duration::from_secs(120),
            ideas_deadline: Duration::from_secs(30),
            marketplaces: vec![Marketplace::Catalog],
            products_per_query: 20,
            query_cache_ttl: Duration::from_secs(600),
            provider_timeout: Duration::from_secs(15),
            provider_retries: 2,
            interview_timeout: Duration::from_secs(30),
            profile_timeout: Duration::from_secs(180),
            scrape_cache_ttl: Duration::from_secs(24 * 3600),
            extraction_timeout: Duration::from_secs(30),
            ideas_timeout: Duration::from_secs(20),
            scoring_timeout: Duration::from_secs(30),
            sweep_interval: Duration::from_secs(1),
            outbox_poll_interval: Duration::from_secs(1),
            retention: retention::Retention::default(),
        }
    }
}

/// The error for an envelope a service did not subscribe to.
pub(crate) fn unexpected_event(envelope: &crate::events::Envelope) -> crate::broker::HandlerError {
    crate::broker::HandlerError::Permanent(anyhow::anyhow!(
        "unexpected {} event",
        envelope.event_type
    ))
}
