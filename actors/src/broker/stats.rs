use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Counters per event type, for `/metrics`.
#[derive(Debug, Default)]
pub struct BrokerStats {
    events: Mutex<BTreeMap<String, EventCounters>>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EventCounters {
    pub published: u64,
    pub consumed: u64,
    pub retried: u64,
    pub dead_lettered: u64,
}

impl BrokerStats {
    pub(crate) fn record(&self, event_type: &str, update: impl FnOnce(&mut EventCounters)) {
        let mut events = self.events();
        match events.get_mut(event_type) {
            Some(counters) => update(counters),
            None => update(events.entry(event_type.to_owned()).or_default()),
        }
    }

    /// A copy of every counter, by event type.
    pub fn snapshot(&self) -> BTreeMap<String, EventCounters> {
        self.events().clone()
    }

    /// Counters stay whole whatever panicked while holding them (each update is one
    /// increment), so they keep counting.
    fn events(&self) -> MutexGuard<'_, BTreeMap<String, EventCounters>> {
        self.events
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
