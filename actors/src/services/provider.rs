//! What can go wrong with a provider (an LLM, a scraper, a marketplace), whichever it is.

use crate::broker::HandlerError;

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// Down, slow, rate-limited: worth another attempt later.
    #[error("{provider} is unavailable: {reason}")]
    Unavailable {
        provider: &'static str,
        reason: String,
    },
    /// Answered, but with something that cannot be used.
    #[error("{provider} gave an unusable answer: {reason}")]
    Invalid {
        provider: &'static str,
        reason: String,
    },
    /// No credentials or endpoint configured.
    #[error("{provider} is not configured")]
    NotConfigured { provider: &'static str },
}

impl ProviderError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, ProviderError::Unavailable { .. })
    }
}

impl From<ProviderError> for HandlerError {
    fn from(error: ProviderError) -> Self {
        if error.is_retryable() {
            HandlerError::Transient(error.into())
        } else {
            HandlerError::Permanent(error.into())
        }
    }
}
