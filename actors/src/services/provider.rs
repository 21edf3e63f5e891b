//! What can go wrong with a provider (an LLM, a scraper, a marketplace), whichever it is, and
//! the time limit every provider call runs under.

use std::future::Future;
use std::time::Duration;

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

/// Runs one provider call with a time limit. A call still running when `limit` elapses is
/// dropped and reported as [`ProviderError::Unavailable`], naming `provider` and the limit.
///
/// Never run it while holding a pooled connection or inside a transaction: a slow call would
/// hold them for its whole duration (DESIGN.md §7, "Slow calls never run inside a
/// transaction").
pub async fn within<T>(
    provider: &'static str,
    limit: Duration,
    call: impl Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result,
        Err(_) => Err(ProviderError::Unavailable {
            provider,
            reason: format!("no answer within {limit:?}"),
        }),
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{ProviderError, within};

    #[actix_rt::test]
    async fn a_call_past_its_limit_is_unavailable_and_names_provider_and_limit() {
        let hanging = std::future::pending::<Result<u32, ProviderError>>();
        let error = within("interviewer", Duration::from_millis(20), hanging)
            .await
            .unwrap_err();
        assert!(error.is_retryable());
        let message = error.to_string();
        assert!(message.contains("interviewer"), "{message}");
        assert!(message.contains("20ms"), "{message}");
    }

    #[actix_rt::test]
    async fn a_call_within_its_limit_keeps_its_result() {
        let answer = within("scorer", Duration::from_secs(5), async { Ok(7) }).await;
        assert_eq!(answer.unwrap(), 7);
        let failed = within("scorer", Duration::from_secs(5), async {
            Err::<u32, _>(ProviderError::Invalid {
                provider: "scorer",
                reason: "garbage".into(),
            })
        })
        .await;
        assert!(matches!(failed, Err(ProviderError::Invalid { .. })));
    }
}
