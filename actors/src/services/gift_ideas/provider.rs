use async_trait::async_trait;

use super::generator::{self, GeneratedIdeas, IdeaRequest};
use crate::services::provider::ProviderError;

/// Proposes gift ideas and the search queries to find them.
#[async_trait]
pub trait IdeaGenerator: Send + Sync {
    async fn generate(&self, request: &IdeaRequest<'_>) -> Result<GeneratedIdeas, ProviderError>;
}

/// The taxonomy-driven generator: no keys, no network, deterministic.
pub struct EmbeddedIdeaGenerator;

#[async_trait]
impl IdeaGenerator for EmbeddedIdeaGenerator {
    async fn generate(&self, request: &IdeaRequest<'_>) -> Result<GeneratedIdeas, ProviderError> {
        Ok(generator::generate(request))
    }
}
