//! Every process declares every service's queues (DESIGN.md §4): on RabbitMQ, a search
//! started while no process runs the other services waits in their queues and completes once
//! a process running them starts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{Harness, Search, fast_settings};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_actors::services::ServiceName;
use present_finder_actors::testing::Transport;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::messaging::outbox;
use present_finder_schema::tables::restapi::chats;
use present_finder_web::driver::{Ending, FirstSuggestion};
use present_finder_web::system::{RunningSystem, SystemConfig};

#[actix_rt::test]
async fn events_published_before_their_consumers_process_starts_wait_for_it() {
    let web_only = BTreeSet::from([ServiceName::Restapi]);
    let harness = Harness::start_with(Transport::Amqp, fast_settings(), web_only).await;
    let search = harness.search(Search::budget(50.0, 500.0), FirstSuggestion);
    let late_start = async {
        // The search's first events (for stalking, chat and gift) leave the restapi outbox:
        // RabbitMQ took them, although no process consumes them yet.
        let pool = harness.databases.pool(ServiceDatabase::Restapi);
        let deadline = Instant::now() + Duration::from_secs(20);
        let published = loop {
            let mut conn = pool.get().await.unwrap();
            let queued: i64 = outbox::table.count().get_result(&mut conn).await.unwrap();
            let chats: i64 = chats::table.count().get_result(&mut conn).await.unwrap();
            if (chats == 1 && queued == 0) || Instant::now() > deadline {
                break chats == 1 && queued == 0;
            }
            actix_rt::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(published, "the search's events were published");
        let others: BTreeSet<ServiceName> = ServiceName::ALL
            .into_iter()
            .filter(|s| *s != ServiceName::Restapi)
            .collect();
        RunningSystem::start(SystemConfig {
            services: others,
            ..harness.system_config.clone()
        })
        .await
        .unwrap()
    };
    let (outcome, services) = futures_util::join!(search, late_start);
    assert!(
        matches!(outcome.ending, Ending::Ready { ref gifts, .. } if !gifts.is_empty()),
        "{:?}",
        outcome.ending
    );
    services.shutdown(Duration::from_secs(10)).await;
    harness.stop().await;
}
