use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Background work of a process (outbox relays, deadline sweeps) and its stop: once
/// stopping, no new work starts, and [`Lifecycle::stop`] waits for what is running.
#[derive(Debug, Default)]
pub struct Lifecycle {
    stopping: AtomicBool,
    busy: AtomicUsize,
}

/// Held while a piece of background work runs.
pub struct Busy(Arc<Lifecycle>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Lifecycle {
    /// Permission to start background work; `None` once stopping.
    pub fn enter(self: &Arc<Self>) -> Option<Busy> {
        self.busy.fetch_add(1, Ordering::SeqCst);
        let busy = Busy(self.clone());
        (!self.stopping.load(Ordering::SeqCst)).then_some(busy)
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Starts nothing new and waits (at most `timeout`) for the work in progress.
    pub async fn stop(&self, timeout: Duration) {
        self.stopping.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + timeout;
        while self.busy.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            actix_rt::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
