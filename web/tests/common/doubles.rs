//! Providers that misbehave on purpose: slow, hanging, failing.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use present_finder_actors::events::FetchRequest;
use present_finder_actors::services::fetch::{CatalogSearch, ProductSearch};
use present_finder_actors::services::provider::ProviderError;
use present_finder_actors::services::reranking::scorer::{Assessment, ScoringContext};
use present_finder_actors::services::reranking::{EmbeddedScorer, ProductScorer};
use present_finder_actors::services::stalking::ProfileReader;
use present_finder_actors::vocabulary::Product;

/// Reads a profile after a delay, always the same text.
pub struct SlowReader {
    pub delay: Duration,
    pub text: String,
}

#[async_trait]
impl ProfileReader for SlowReader {
    async fn read(&self, _network: &str, _url: &str) -> Result<String, ProviderError> {
        tokio::time::sleep(self.delay).await;
        Ok(self.text.clone())
    }
}

/// Never answers.
pub struct HangingReader;

#[async_trait]
impl ProfileReader for HangingReader {
    async fn read(&self, _network: &str, _url: &str) -> Result<String, ProviderError> {
        std::future::pending().await
    }
}

/// A marketplace that is always down.
pub struct DownMarketplace;

#[async_trait]
impl ProductSearch for DownMarketplace {
    async fn search(&self, _request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        Err(ProviderError::Unavailable {
            provider: "olx",
            reason: "503 Service Unavailable".into(),
        })
    }
}

/// The catalog, answering each request after a delay.
pub struct SlowCatalog(pub Duration);

#[async_trait]
impl ProductSearch for SlowCatalog {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        tokio::time::sleep(self.0).await;
        CatalogSearch.search(request).await
    }

    fn is_remote(&self) -> bool {
        false
    }
}

/// The embedded scorer, except that its first `failures` calls fail (a crash mid-scoring).
pub struct FlakyScorer {
    pub failures: usize,
    pub calls: AtomicUsize,
}

#[async_trait]
impl ProductScorer for FlakyScorer {
    async fn assess(
        &self,
        context: &ScoringContext<'_>,
        products: &[Product],
    ) -> Result<Vec<Assessment>, ProviderError> {
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.failures {
            return Err(ProviderError::Unavailable {
                provider: "scorer",
                reason: "crashed".into(),
            });
        }
        EmbeddedScorer.assess(context, products).await
    }
}
