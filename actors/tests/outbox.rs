//! The outbox: events committed with a state change are published even when the process
//! died between the commit and the publish.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix::prelude::*;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use present_finder_actors::broker::outbox::{self, OutboxRelay, Resume};
use present_finder_actors::broker::{
    Broker, BrokerHandle, ConsumerGroup, Deliver, HandlerError, Workload,
};
use present_finder_actors::events::{ChatInappropriateRequestEvent, Envelope, Event};
use present_finder_actors::testing::{self, Transport, eventually};
use present_finder_schema::ServiceDatabase;
use present_finder_schema::messaging::outbox as outbox_table;
use present_finder_schema::testing::TestDatabases;
use uuid::Uuid;

struct Collector(Arc<Mutex<Vec<Uuid>>>);

impl Actor for Collector {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Collector {
    type Result = Result<(), HandlerError>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        self.0.lock().unwrap().push(deliver.envelope.id);
        Ok(())
    }
}

/// The chat database's relay, publishing.
fn resumed_relay(pool: &present_finder_schema::DbPool, broker: &BrokerHandle) -> Addr<OutboxRelay> {
    let relay = OutboxRelay::new(
        "chat",
        pool.clone(),
        broker.clone(),
        Duration::from_millis(100),
        Default::default(),
    )
    .start();
    relay.do_send(Resume);
    relay
}

async fn crash_between_commit_and_publish(transport: Transport) {
    let databases = TestDatabases::create().await.unwrap();
    let pool = databases.pool(ServiceDatabase::Chat);
    let envelopes: Vec<Envelope> = (0..3)
        .map(|n| {
            Envelope::new(
                Uuid::now_v7(),
                &ChatInappropriateRequestEvent {
                    reason: format!("reason {n}"),
                },
            )
        })
        .collect();

    // The first process commits its state change with the events, then dies before any
    // relay publishes them: nothing but the rows remains.
    {
        let mut conn = pool.get().await.unwrap();
        let written = envelopes.clone();
        conn.transaction(async |conn| outbox::enqueue(conn, &written).await)
            .await
            .unwrap();
    }

    // The next process starts: broker, subscribers, then its relay.
    let broker = Broker::start(testing::broker_config(transport))
        .await
        .unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));
    let collector = Collector(received.clone()).start();
    broker
        .subscribe(
            ConsumerGroup::Service("restapi".into()),
            vec![ChatInappropriateRequestEvent::NAME],
            collector.recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
    let _relay = resumed_relay(&pool, &broker);

    assert!(
        eventually(Duration::from_secs(20), || received.lock().unwrap().len()
            == 3)
        .await
    );
    let mut expected: Vec<Uuid> = envelopes.iter().map(|e| e.id).collect();
    let mut got = received.lock().unwrap().clone();
    expected.sort();
    got.sort();
    assert_eq!(
        got, expected,
        "the very events committed were published, once each"
    );
    // The relay deletes the rows once the broker accepted them (its commit may follow the
    // deliveries by a moment).
    let mut left = -1;
    for _ in 0..100 {
        let mut conn = pool.get().await.unwrap();
        left = outbox_table::table
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(left, 0, "published rows leave the outbox");
    broker.delete_topology().await.unwrap();
}

#[actix_rt::test]
async fn crash_between_commit_and_publish_in_process() {
    crash_between_commit_and_publish(Transport::InProcess).await;
}

#[actix_rt::test]
async fn crash_between_commit_and_publish_on_rabbitmq() {
    crash_between_commit_and_publish(Transport::Amqp).await;
}

/// An event returned unroutable stays in the outbox; once its queue exists, the relay
/// publishes it.
async fn unroutable_event_stays_in_the_outbox(transport: Transport) {
    let databases = TestDatabases::create().await.unwrap();
    let pool = databases.pool(ServiceDatabase::Chat);
    let broker = Broker::start(testing::broker_config(transport))
        .await
        .unwrap();
    let relay = resumed_relay(&pool, &broker);
    let envelope = Envelope::new(
        Uuid::now_v7(),
        &ChatInappropriateRequestEvent {
            reason: "unroutable".into(),
        },
    );
    {
        let mut conn = pool.get().await.unwrap();
        let written = vec![envelope.clone()];
        conn.transaction(async |conn| outbox::enqueue(conn, &written).await)
            .await
            .unwrap();
    }
    relay.do_send(outbox::Committed(vec![envelope.clone()]));
    relay.do_send(outbox::Kick);
    // Both publishing paths ran and were refused: the row is still there.
    let unroutable = eventually(Duration::from_secs(20), || {
        broker
            .stats()
            .snapshot()
            .get(ChatInappropriateRequestEvent::NAME)
            .is_some_and(|c| c.published >= 2)
    })
    .await;
    assert!(unroutable);
    assert_eq!(outbox_rows(&pool).await, 1, "the refused event is kept");

    let received = Arc::new(Mutex::new(Vec::new()));
    broker
        .subscribe(
            ConsumerGroup::Service("restapi".into()),
            vec![ChatInappropriateRequestEvent::NAME],
            Collector(received.clone()).start().recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
    relay.do_send(outbox::Kick);
    assert!(
        eventually(Duration::from_secs(20), || received
            .lock()
            .unwrap()
            .contains(&envelope.id))
        .await
    );
    broker.delete_topology().await.unwrap();
}

async fn outbox_rows(pool: &present_finder_schema::DbPool) -> i64 {
    let mut conn = pool.get().await.unwrap();
    outbox_table::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap()
}

#[actix_rt::test]
async fn unroutable_event_stays_in_the_outbox_in_process() {
    unroutable_event_stays_in_the_outbox(Transport::InProcess).await;
}

#[actix_rt::test]
async fn unroutable_event_stays_in_the_outbox_on_rabbitmq() {
    unroutable_event_stays_in_the_outbox(Transport::Amqp).await;
}
