//! Per-user limits on the endpoints that cost LLM calls (searches started, answers sent):
//! a token bucket per user and kind, in memory per instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::{ApiError, RateLimits};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limited {
    Search,
    Answer,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<HashMap<(Uuid, Limited), Bucket>>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `user` and `kind`, or answers 429 with the wait until the next.
    pub fn check(&self, user: Uuid, kind: Limited) -> Result<(), ApiError> {
        let (capacity, period) = match kind {
            Limited::Search => (self.limits.searches_per_hour, Duration::from_secs(3600)),
            Limited::Answer => (self.limits.answers_per_minute, Duration::from_secs(60)),
        };
        let capacity = f64::from(capacity);
        let refill_per_second = capacity / period.as_secs_f64();
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > 100_000 {
            // Forget users whose buckets are full again.
            buckets.retain(|_, b| {
                now.duration_since(b.updated).as_secs_f64() * refill_per_second < capacity
            });
        }
        let bucket = buckets.entry((user, kind)).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * refill_per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / refill_per_second;
        Err(ApiError::TooManyRequests {
            retry_after: Duration::from_secs_f64(wait.ceil()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_configured_burst_then_refuses_with_a_wait() {
        let limiter = RateLimiter::new(RateLimits {
            searches_per_hour: 3,
            answers_per_minute: 10,
        });
        let user = Uuid::new_v4();
        for _ in 0..3 {
            limiter.check(user, Limited::Search).unwrap();
        }
        match limiter.check(user, Limited::Search) {
            Err(ApiError::TooManyRequests { retry_after }) => {
                assert!(retry_after > Duration::from_secs(1000), "{retry_after:?}");
            }
            other => panic!("expected 429, got {other:?}"),
        }
        // Another user and another kind are not affected.
        limiter.check(Uuid::new_v4(), Limited::Search).unwrap();
        limiter.check(user, Limited::Answer).unwrap();
    }
}
