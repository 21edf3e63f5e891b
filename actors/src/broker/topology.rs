use crate::events::{Event, UiEventRecordedEvent};

/// One durable queue of a service: where `event_type` waits for that service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceQueue {
    pub service: String,
    pub event_type: &'static str,
}

/// Events only live listeners receive (each web instance's broadcast queue). When no
/// instance listens, nobody needs them: publishing one routed nowhere is not an error.
pub const NOTIFICATIONS: &[&str] = &[UiEventRecordedEvent::NAME];

/// Whether a publish of `event_type` that reached no queue is a failure.
pub fn must_be_routed(event_type: &str) -> bool {
    !NOTIFICATIONS.contains(&event_type)
}

/// Names of the exchanges and queues of one deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topology {
    /// Durable topic exchange every event is published to (routing key = event name).
    pub exchange: String,
    /// Where failed messages go once their deliveries are exhausted.
    pub dead_exchange: String,
    /// Keeps dead letters for inspection and replay.
    pub dead_queue: String,
    queue_prefix: String,
}

impl Topology {
    pub const DEFAULT_NAMESPACE: &'static str = "present-finder";

    pub fn new(namespace: &str) -> Self {
        // The default deployment uses the plain `<service>.<EventName>` queue names.
        let queue_prefix = if namespace == Self::DEFAULT_NAMESPACE {
            String::new()
        } else {
            format!("{namespace}.")
        };
        Self {
            exchange: format!("{namespace}.events"),
            dead_exchange: format!("{namespace}.dead"),
            dead_queue: format!("{namespace}.dead-letters"),
            queue_prefix,
        }
    }

    /// The durable queue of `service` for `event_type`, e.g. `gift.ChatInterviewCompletedEvent`.
    pub fn service_queue(&self, service: &str, event_type: &str) -> String {
        format!("{}{service}.{event_type}", self.queue_prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_namespace_uses_the_documented_names() {
        let topology = Topology::new(Topology::DEFAULT_NAMESPACE);
        assert_eq!(topology.exchange, "present-finder.events");
        assert_eq!(topology.dead_exchange, "present-finder.dead");
        assert_eq!(
            topology.service_queue("gift", "ChatInterviewCompletedEvent"),
            "gift.ChatInterviewCompletedEvent"
        );
    }

    #[test]
    fn other_namespaces_prefix_their_queues() {
        let topology = Topology::new("t1");
        assert_eq!(topology.service_queue("chat", "X"), "t1.chat.X");
        assert_eq!(topology.exchange, "t1.events");
    }
}
