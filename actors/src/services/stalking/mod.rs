//! The profile-reading service: reads the recipient's public profiles, extracts gift-relevant
//! facts and always answers with exactly one `StalkingCompletedEvent` per session.

mod brightdata;
pub mod extractor;
mod llm;
mod provider;
mod repository;
mod service;

pub use brightdata::{BrightData, BrightDataConfig};
pub use llm::LlmFactExtractor;
pub use provider::{
    EmbeddedFactExtractor, FactExtractor, ProfileReader, UnconfiguredProfileReader,
};
pub use service::{StalkingService, start};
