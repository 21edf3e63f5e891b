//! What can go wrong with a provider (an LLM, a scraper, a marketplace), whichever it is, and
//! the time limit every provider call runs under.

use std::future::Future;
use std::time::Duration;

use crate::broker::{HandlerError, RetryPolicy};

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// Down, slow, rate-limited: worth another attempt later.
    #[error("{provider} is unavailable: {reason}")]
    Unavailable {
        provider: &'static str,
        reason: String,
    },
    /// Asked to slow down (HTTP 429), possibly saying for how long (`Retry-After`).
    #[error("{provider} is rate-limited: {reason}")]
    RateLimited {
        provider: &'static str,
        reason: String,
        retry_after: Option<Duration>,
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
    /// The state kept for the provider between calls cannot be read back (a bug, or a hand
    /// edit). Neither another attempt nor another provider can help, and starting afresh
    /// would silently drop what the state held: the caller fails its work visibly.
    #[error("{provider} cannot read its stored state: {reason}")]
    UnreadableState {
        provider: &'static str,
        reason: String,
    },
}

impl ProviderError {
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ProviderError::Unavailable { .. } | ProviderError::RateLimited { .. }
        )
    }

    /// The error an HTTP provider's non-success `status` means: 429 is rate limiting (with the
    /// `Retry-After` the provider sent), 408 and 5xx are unavailability worth another attempt,
    /// any other status is an unusable answer. `detail` (a short excerpt of the body) goes
    /// into the reason; callers keep secrets out of it.
    pub fn from_status(
        provider: &'static str,
        status: reqwest::StatusCode,
        headers: &reqwest::header::HeaderMap,
        detail: &str,
    ) -> Self {
        let reason = format!("HTTP {status}: {}", excerpt(detail));
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            ProviderError::RateLimited {
                provider,
                reason,
                retry_after: retry_after(headers),
            }
        } else if status.is_server_error() || status == reqwest::StatusCode::REQUEST_TIMEOUT {
            ProviderError::Unavailable { provider, reason }
        } else {
            ProviderError::Invalid { provider, reason }
        }
    }
}

/// At most 200 characters of a provider's body, on one line, for error messages.
fn excerpt(body: &str) -> String {
    let line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// How a remote provider call is repeated: `retries` more attempts after the first for
/// retryable errors, each attempt under `timeout`, pausing by `backoff` (exponential with
/// jitter) or by the provider's `Retry-After` when it sent one (capped at `backoff.max`, so a
/// provider cannot park a session past its deadline).
#[derive(Debug, Clone, Copy)]
pub struct Attempts {
    pub retries: u32,
    pub timeout: Duration,
    pub backoff: RetryPolicy,
}

impl Attempts {
    /// Runs `call` (given the attempt number, from 1) until it succeeds, fails with an error
    /// that is not retryable, or the attempts run out; returns the last error then.
    pub async fn run<T, F, Fut>(
        &self,
        provider: &'static str,
        mut call: F,
    ) -> Result<T, ProviderError>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match within(provider, self.timeout, call(attempt)).await {
                Ok(value) => return Ok(value),
                Err(error) if error.is_retryable() && attempt <= self.retries => {
                    let pause = match &error {
                        ProviderError::RateLimited {
                            retry_after: Some(wait),
                            ..
                        } => (*wait).min(self.backoff.max),
                        _ => self.backoff.delay(attempt),
                    };
                    log::warn!("{error} (attempt {attempt}); retrying in {pause:?}");
                    tokio::time::sleep(pause).await;
                }
                Err(error) => return Err(error),
            }
        }
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

    use super::{Attempts, ProviderError, retry_after, within};
    use crate::broker::RetryPolicy;

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

    fn quick(retries: u32) -> Attempts {
        Attempts {
            retries,
            timeout: Duration::from_secs(5),
            backoff: RetryPolicy {
                base: Duration::from_millis(1),
                max: Duration::from_millis(50),
            },
        }
    }

    #[actix_rt::test]
    async fn retryable_errors_are_retried_until_the_attempts_run_out() {
        let calls = std::cell::Cell::new(0);
        let result: Result<u32, _> = quick(2)
            .run("shop", |attempt| {
                calls.set(attempt);
                async {
                    Err(ProviderError::Unavailable {
                        provider: "shop",
                        reason: "502".into(),
                    })
                }
            })
            .await;
        assert!(matches!(result, Err(ProviderError::Unavailable { .. })));
        assert_eq!(calls.get(), 3, "one attempt and two retries");

        let recovered = quick(2)
            .run("shop", |attempt| async move {
                if attempt == 1 {
                    Err(ProviderError::RateLimited {
                        provider: "shop",
                        reason: "429".into(),
                        retry_after: Some(Duration::from_millis(5)),
                    })
                } else {
                    Ok(attempt)
                }
            })
            .await;
        assert_eq!(recovered.unwrap(), 2);
    }

    #[actix_rt::test]
    async fn an_unusable_answer_is_not_retried() {
        let calls = std::cell::Cell::new(0);
        let result: Result<u32, _> = quick(3)
            .run("shop", |attempt| {
                calls.set(attempt);
                async {
                    Err(ProviderError::Invalid {
                        provider: "shop",
                        reason: "html".into(),
                    })
                }
            })
            .await;
        assert!(matches!(result, Err(ProviderError::Invalid { .. })));
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn statuses_map_to_the_error_they_mean() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        let limited = ProviderError::from_status(
            "shop",
            reqwest::StatusCode::TOO_MANY_REQUESTS,
            &headers,
            "slow down",
        );
        assert!(matches!(
            limited,
            ProviderError::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(7)
        ));
        let none = reqwest::header::HeaderMap::new();
        let down =
            ProviderError::from_status("shop", reqwest::StatusCode::BAD_GATEWAY, &none, "<html>");
        assert!(down.is_retryable());
        let refused =
            ProviderError::from_status("shop", reqwest::StatusCode::FORBIDDEN, &none, "denied");
        assert!(!refused.is_retryable());
        assert!(refused.to_string().contains("403"), "{refused}");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&headers),
            Some(Duration::ZERO),
            "a date in the past"
        );
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
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
