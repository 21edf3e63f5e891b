//! Which events each service consumes. The services subscribe to these, and every process
//! declares all of them at start, whichever services it runs (DESIGN.md §4), so that an
//! event published before its consumer's process first starts waits in its queue.

use super::ServiceName;
use actix::Recipient;

use crate::broker::{BrokerError, BrokerHandle, ConsumerGroup, Deliver, ServiceQueue, Workload};
use crate::events::{
    ChatDataErasedEvent, ChatInappropriateRequestEvent, ChatInterviewCompletedEvent,
    ChatQuestionAskedEvent, ChatStartInterviewEvent, ChatUserAnsweredEvent, Event,
    GiftContextInitializedEvent, GiftFinalizeRequestedEvent, GiftGenerateRequestedEvent,
    GiftReadyEvent, GiftRefinementRequestedEvent, GiftSessionFailedEvent, GiftSessionProgressEvent,
    LlmUsageRecordedEvent, ProductFetchedEvent, RegenerateIdeasLoopEvent,
    StalkingAnalyzeRequestedEvent, StalkingCompletedEvent, fetch_event_name,
};
use crate::vocabulary::Marketplace;

impl ServiceName {
    /// The events this service consumes; fetch consumes the requests of the marketplaces
    /// searched.
    pub fn consumed_events(self, marketplaces: &[Marketplace]) -> Vec<&'static str> {
        match self {
            ServiceName::Restapi => vec![
                ChatQuestionAskedEvent::NAME,
                ChatInterviewCompletedEvent::NAME,
                ChatInappropriateRequestEvent::NAME,
                GiftReadyEvent::NAME,
                GiftSessionProgressEvent::NAME,
                GiftSessionFailedEvent::NAME,
                LlmUsageRecordedEvent::NAME,
            ],
            ServiceName::Stalking => vec![
                StalkingAnalyzeRequestedEvent::NAME,
                // Its time starts the stalking deadline, as in the gift saga.
                ChatInterviewCompletedEvent::NAME,
                ChatDataErasedEvent::NAME,
            ],
            ServiceName::Chat => vec![
                ChatStartInterviewEvent::NAME,
                ChatUserAnsweredEvent::NAME,
                ChatDataErasedEvent::NAME,
            ],
            ServiceName::Gift => vec![
                StalkingAnalyzeRequestedEvent::NAME,
                ChatStartInterviewEvent::NAME,
                StalkingCompletedEvent::NAME,
                ChatInterviewCompletedEvent::NAME,
                ChatInappropriateRequestEvent::NAME,
                GiftContextInitializedEvent::NAME,
                RegenerateIdeasLoopEvent::NAME,
                GiftReadyEvent::NAME,
                GiftRefinementRequestedEvent::NAME,
                ChatDataErasedEvent::NAME,
            ],
            ServiceName::GiftIdeas => {
                vec![GiftGenerateRequestedEvent::NAME, ChatDataErasedEvent::NAME]
            }
            ServiceName::Fetch => {
                let mut events: Vec<&'static str> =
                    marketplaces.iter().map(|m| fetch_event_name(*m)).collect();
                events.sort_unstable();
                events.dedup();
                events
            }
            ServiceName::Reranking => vec![
                GiftContextInitializedEvent::NAME,
                ProductFetchedEvent::NAME,
                GiftFinalizeRequestedEvent::NAME,
                ChatDataErasedEvent::NAME,
            ],
        }
    }
}

impl ServiceName {
    /// What the service's handlers wait for. Those that call a model, a shop or a profile
    /// scraper do it with no database connection held (DESIGN.md §7), so they may take many
    /// deliveries at once; the saga and the web's read models only wait on their database.
    /// Reranking collects answers in short transactions, one wave at a time, and scores a
    /// complete wave through the model.
    pub fn workload(self) -> Workload {
        match self {
            ServiceName::Chat
            | ServiceName::Stalking
            | ServiceName::GiftIdeas
            | ServiceName::Fetch
            | ServiceName::Reranking => Workload::Provider,
            ServiceName::Gift | ServiceName::Restapi => Workload::Database,
        }
    }

    /// Subscribes `handler` to `events` on the service's durable queues, shared with its
    /// other replicas.
    pub async fn subscribe(
        self,
        broker: &BrokerHandle,
        events: Vec<&'static str>,
        handler: Recipient<Deliver>,
    ) -> Result<(), BrokerError> {
        let group = ConsumerGroup::Service(self.as_str().to_owned());
        broker
            .subscribe(group, events, handler, self.workload())
            .await
    }
}

/// Every consumer queue of every service: what each process declares at start.
pub fn whole_topology(marketplaces: &[Marketplace]) -> Vec<ServiceQueue> {
    ServiceName::ALL
        .into_iter()
        .flat_map(|service| {
            service
                .consumed_events(marketplaces)
                .into_iter()
                .map(move |event_type| ServiceQueue {
                    service: service.as_str().to_owned(),
                    event_type,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::NOTIFICATIONS;
    use crate::events::EVENT_NAMES;

    /// Every event but the notifications has a consumer, so a publish of any of them is
    /// routed (and an unroutable one is a misconfiguration worth an error).
    #[test]
    fn every_event_has_a_consuming_service() {
        let queues = whole_topology(&Marketplace::ALL);
        for event in EVENT_NAMES {
            let consumed = queues.iter().any(|q| q.event_type == *event);
            assert_eq!(consumed, !NOTIFICATIONS.contains(event), "{event}");
        }
    }

    #[test]
    fn fetch_queues_follow_the_marketplaces_searched() {
        let queues = whole_topology(&[Marketplace::Catalog]);
        let fetch: Vec<_> = queues.iter().filter(|q| q.service == "fetch").collect();
        assert_eq!(fetch.len(), 1);
        assert_eq!(fetch[0].event_type, "FetchCatalogEvent");
    }
}
