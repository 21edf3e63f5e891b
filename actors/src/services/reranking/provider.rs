use async_trait::async_trait;

use super::scorer::{self, Assessment, ScoringContext};
use crate::services::provider::ProviderError;
use crate::vocabulary::Product;

/// Scores products for one recipient (1–10 with a one-sentence reason).
#[async_trait]
pub trait ProductScorer: Send + Sync {
    /// One assessment per product, in the same order.
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError>;
}

/// The lexical scorer: relevance, price fit, owned-item and dislike penalties.
pub struct EmbeddedScorer;

#[async_trait]
impl ProductScorer for EmbeddedScorer {
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        Ok(scorer::assess(context, products))
    }
}
