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

/// Runs CPU-heavy embedded work (scoring, catalog search) on the blocking thread pool: the
/// actors of a process share one event-loop thread, which must keep serving other sessions'
/// events meanwhile (and the second core gets used).
pub async fn off_the_event_loop<T: Send + 'static>(
    provider: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ProviderError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ProviderError::Invalid {
            provider,
            reason: format!("the computation did not finish: {error}"),
        })
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
