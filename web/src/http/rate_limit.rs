//! Request limits, in memory per instance: per user on the endpoints that cost LLM calls
//! (searches started, answers sent), per client address on the ones that create state for
//! anyone who asks (guest accounts, Google sign-in starts). Token buckets of `governor`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use uuid::Uuid;

use super::{ApiError, RateLimits};

/// What a signed-in user is limited in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limited {
    Search,
    Answer,
}

/// What a client address is limited in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitedPerAddress {
    GuestAccount,
    SignInStart,
}

/// Keys kept before the ones whose buckets are full again are forgotten.
const KEYS_KEPT: usize = 100_000;

pub struct RateLimiter {
    searches: DefaultKeyedRateLimiter<Uuid>,
    answers: DefaultKeyedRateLimiter<Uuid>,
    guests: DefaultKeyedRateLimiter<IpAddr>,
    sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

/// `count` per `period`, all of them at once if need be.
fn quota(count: u32, period: Duration) -> Quota {
    let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period / count.get())
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(count)
}

const HOUR: Duration = Duration::from_secs(3600);

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            searches: governor::RateLimiter::keyed(quota(limits.searches_per_hour, HOUR)),
            answers: governor::RateLimiter::keyed(quota(
                limits.answers_per_minute,
                Duration::from_secs(60),
            )),
            guests: governor::RateLimiter::keyed(quota(limits.guests_per_hour, HOUR)),
            sign_ins: governor::RateLimiter::keyed(quota(limits.sign_ins_per_hour, HOUR)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one token for `user` and `kind`, or answers 429 with the wait until the next.
    pub fn check(&self, user: Uuid, kind: Limited) -> Result<(), ApiError> {
        let limiter = match kind {
            Limited::Search => &self.searches,
            Limited::Answer => &self.answers,
        };
        self.take(limiter, &user)
    }

    /// Takes one token for the client `address` and `kind`, or answers 429.
    pub fn check_address(&self, address: IpAddr, kind: LimitedPerAddress) -> Result<(), ApiError> {
        let limiter = match kind {
            LimitedPerAddress::GuestAccount => &self.guests,
            LimitedPerAddress::SignInStart => &self.sign_ins,
        };
        self.take(limiter, &address)
    }

    fn take<K>(&self, limiter: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), ApiError>
    where
        K: Clone + Eq + std::hash::Hash,
    {
        if limiter.len() > KEYS_KEPT {
            limiter.retain_recent();
        }
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::TooManyRequests {
                retry_after: Duration::from_secs(wait.as_secs_f64().ceil() as u64),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> RateLimits {
        RateLimits {
            searches_per_hour: 3,
            answers_per_minute: 10,
            guests_per_hour: 2,
            sign_ins_per_hour: 5,
        }
    }

    fn assert_refused(result: Result<(), ApiError>, at_least: Duration) {
        match result {
            Err(ApiError::TooManyRequests { retry_after }) => {
                assert!(retry_after >= at_least, "{retry_after:?}");
            }
            other => panic!("expected 429, got {other:?}"),
        }
    }

    #[test]
    fn allows_the_configured_burst_then_refuses_with_a_wait() {
        let limiter = RateLimiter::new(limits());
        let user = Uuid::new_v4();
        for _ in 0..3 {
            limiter.check(user, Limited::Search).unwrap();
        }
        // One search comes back every 20 minutes.
        assert_refused(
            limiter.check(user, Limited::Search),
            Duration::from_secs(1000),
        );
        // Another user and another kind are not affected.
        limiter.check(Uuid::new_v4(), Limited::Search).unwrap();
        limiter.check(user, Limited::Answer).unwrap();
    }

    #[test]
    fn each_address_has_its_own_guest_and_sign_in_allowance() {
        let limiter = RateLimiter::new(limits());
        let address: IpAddr = [203, 0, 113, 7].into();
        for _ in 0..2 {
            limiter
                .check_address(address, LimitedPerAddress::GuestAccount)
                .unwrap();
        }
        assert_refused(
            limiter.check_address(address, LimitedPerAddress::GuestAccount),
            Duration::from_secs(1000),
        );
        limiter
            .check_address(address, LimitedPerAddress::SignInStart)
            .unwrap();
        limiter
            .check_address([203, 0, 113, 8].into(), LimitedPerAddress::GuestAccount)
            .unwrap();
    }
}
