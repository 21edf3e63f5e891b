//! An in-process queue per key (a wave, a chat) in front of the database lock of the same
//! key. Handlers of one process that would all wait on one row or advisory lock wait here
//! instead, before they take a connection: a burst of answers for one wave then holds one
//! of the pool's connections, not one each while they queue. The database lock still
//! orders the handlers of different processes.

use tokio::sync::{Mutex, MutexGuard};
use uuid::Uuid;

/// Keys share a turn when they fall in the same stripe: a handler may now and then wait for
/// another key's short transaction, which costs little; a map of one lock per key would
/// have to be pruned.
pub struct Turns {
    stripes: Box<[Mutex<()>]>,
}

impl Turns {
    /// Enough stripes that hundreds of searches at once rarely share one.
    const STRIPES: usize = 1024;

    pub fn new() -> Self {
        Self {
            stripes: (0..Self::STRIPES).map(|_| Mutex::new(())).collect(),
        }
    }

    /// Waits for `key`'s turn; it lasts as long as the guard.
    pub async fn wait(&self, key: Uuid) -> MutexGuard<'_, ()> {
        // UUIDv7's first bytes are a timestamp; the random tail spreads keys evenly.
        let tail = key.as_u64_pair().1;
        let stripe = (tail % self.stripes.len() as u64) as usize;
        self.stripes[stripe].lock().await
    }
}

impl Default for Turns {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn one_key_waits_for_its_turn_and_others_do_not() {
        let turns = Turns::new();
        let wave = Uuid::now_v7();
        let held = turns.wait(wave).await;
        let same = tokio::time::timeout(Duration::from_millis(50), turns.wait(wave)).await;
        assert!(same.is_err(), "a second turn of the same key must wait");
        let other = (0..)
            .map(|_| Uuid::now_v7())
            .find(|key| key.as_u64_pair().1 % 1024 != wave.as_u64_pair().1 % 1024)
            .unwrap_or_default();
        let elsewhere = tokio::time::timeout(Duration::from_secs(5), turns.wait(other)).await;
        assert!(elsewhere.is_ok(), "another stripe's key must not wait");
        drop(held);
        assert!(
            tokio::time::timeout(Duration::from_secs(5), turns.wait(wave))
                .await
                .is_ok()
        );
    }
}
