use async_trait::async_trait;

use super::extractor;
use crate::services::provider::ProviderError;
use crate::vocabulary::Locale;

/// Reads the public text of a social profile (bio, captions, hashtags).
#[async_trait]
pub trait ProfileReader: Send + Sync {
    async fn read(&self, network: &str, url: &str) -> Result<String, ProviderError>;

    /// A remote scraper's reads are cached per URL (`scrape_cache`); local readers need no
    /// cache.
    fn is_remote(&self) -> bool {
        false
    }
}

/// Turns profile text into short gift-relevant facts.
#[async_trait]
pub trait FactExtractor: Send + Sync {
    async fn extract(&self, texts: &[String], locale: Locale)
    -> Result<Vec<String>, ProviderError>;
}

/// The default with no scraper credentials: every profile is reported as not available and
/// the interview carries the session.
pub struct UnconfiguredProfileReader;

#[async_trait]
impl ProfileReader for UnconfiguredProfileReader {
    async fn read(&self, _network: &str, _url: &str) -> Result<String, ProviderError> {
        Err(ProviderError::NotConfigured {
            provider: "profile reading (BrightData)",
        })
    }
}

/// The keyword and hashtag extractor: no keys, no network.
pub struct EmbeddedFactExtractor;

#[async_trait]
impl FactExtractor for EmbeddedFactExtractor {
    async fn extract(
        &self,
        texts: &[String],
        locale: Locale,
    ) -> Result<Vec<String>, ProviderError> {
        let mut facts: Vec<String> = Vec::new();
        for text in texts {
            for fact in extractor::extract_facts(text, locale) {
                if !facts.contains(&fact) {
                    facts.push(fact);
                }
            }
        }
        Ok(facts)
    }
}
