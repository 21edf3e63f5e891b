use async_trait::async_trait;

use super::scorer::{self, Assessment, OwnedScoringContext, ScoringContext};
use crate::services::provider::{ProviderError, off_the_event_loop};
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
        let context = OwnedScoringContext::of(context);
        let products = products.to_vec();
        off_the_event_loop("embedded scorer", move || {
            scorer::assess(&context.context(), &products)
        })
        .await
    }
}
