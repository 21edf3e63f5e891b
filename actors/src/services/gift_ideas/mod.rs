//! The idea service: turns a wave request into gift ideas and marketplace queries, announces
//! the wave to reranking with the exact list of fetch request ids, then sends the fetches.

pub mod generator;
mod llm;
mod provider;
mod repository;
mod service;

pub use llm::LlmIdeaGenerator;
pub use provider::{EmbeddedIdeaGenerator, IdeaGenerator};
pub use service::{GiftIdeasService, start};
