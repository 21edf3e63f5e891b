//! The cap on the event streams one user holds open on this instance (`SSE_MAX_PER_USER`):
//! each costs the server a connection's buffers and a place in the hub, and a browser needs
//! one per open chat page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

pub struct StreamSlots {
    max_per_user: usize,
    open: Mutex<HashMap<Uuid, usize>>,
}

/// One open stream of a user; dropping it (the stream ended) frees the place.
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    user: Uuid,
}

impl StreamSlots {
    pub fn new(max_per_user: usize) -> Arc<Self> {
        Arc::new(Self {
            max_per_user,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more stream of `user`, or `None` when they hold the most allowed.
    pub fn take(self: &Arc<Self>, user: Uuid) -> Option<StreamSlot> {
        let mut open = self.open();
        let count = open.entry(user).or_insert(0);
        if *count >= self.max_per_user {
            return None;
        }
        *count += 1;
        Some(StreamSlot {
            slots: self.clone(),
            user,
        })
    }

    /// The map stays consistent whatever panicked while holding it: each change is one
    /// statement.
    fn open(&self) -> MutexGuard<'_, HashMap<Uuid, usize>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open();
        if let Some(count) = open.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_holds_at_most_the_cap_and_a_closed_stream_frees_its_place() {
        let slots = StreamSlots::new(2);
        let (user, other) = (Uuid::new_v4(), Uuid::new_v4());
        let first = slots.take(user);
        let second = slots.take(user);
        assert!(first.is_some() && second.is_some());
        assert!(slots.take(user).is_none());
        assert!(slots.take(other).is_some(), "another user is not affected");
        drop(first);
        assert!(slots.take(user).is_some());
        drop(second);
        assert!(
            !slots.open().contains_key(&other),
            "nobody's count is kept at zero"
        );
    }
}
