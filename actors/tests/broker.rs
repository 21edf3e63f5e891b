//! Behaviour of the Broker on both transports: the same scenarios run on the in-process bus
//! and on the machine's RabbitMQ (each test in its own namespace), plus the RabbitMQ-only
//! failures (a consumer process killed before acking, the broker stopped mid-stream).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix::prelude::*;
use diesel::sql_query;
use diesel_async::{AsyncConnection, RunQueryDsl};
use present_finder_actors::broker::{
    Broker, BrokerError, BrokerHandle, ConsumerGroup, Deliver, HandlerError, ServiceQueue,
    Workload, inbox,
};
use present_finder_actors::events::{ChatUserAnsweredEvent, Envelope, Event, UiEventRecordedEvent};
use present_finder_actors::testing::{self, Transport, eventually};
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use uuid::Uuid;

const WAIT: Duration = Duration::from_secs(30);

fn answer(n: usize) -> Envelope {
    Envelope::new(
        Uuid::now_v7(),
        &ChatUserAnsweredEvent {
            message_id: Uuid::now_v7(),
            content: format!("answer {n}"),
        },
    )
}

/// How a test handler behaves.
#[derive(Clone)]
enum Behaviour {
    Succeed,
    /// Fails (transiently) while the flag is set.
    FailWhile(Arc<AtomicBool>),
    FailPermanently,
    /// Stops the actor without answering the first delivery (a consumer that dies).
    DieOnFirst,
}

#[derive(Default)]
struct Log {
    deliveries: Vec<(Uuid, u32)>,
}

impl Log {
    fn count(&self, id: Uuid) -> usize {
        self.deliveries
            .iter()
            .filter(|(seen, _)| *seen == id)
            .count()
    }

    fn unique(&self) -> usize {
        let mut ids: Vec<Uuid> = self.deliveries.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

struct Recorder {
    behaviour: Behaviour,
    log: Arc<Mutex<Log>>,
}

impl Actor for Recorder {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Recorder {
    type Result = ResponseActFuture<Self, Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, ctx: &mut Self::Context) -> Self::Result {
        self.log
            .lock()
            .unwrap()
            .deliveries
            .push((deliver.envelope.id, deliver.delivery_count));
        let outcome = match &self.behaviour {
            Behaviour::Succeed => Ok(()),
            Behaviour::FailWhile(flag) if AtomicBool::load(flag, Ordering::SeqCst) => {
                Err(HandlerError::Transient(anyhow::anyhow!("not yet")))
            }
            Behaviour::FailWhile(_) => Ok(()),
            Behaviour::FailPermanently => Err(HandlerError::Permanent(anyhow::anyhow!("never"))),
            Behaviour::DieOnFirst => {
                ctx.stop();
                return Box::pin(actix::fut::wrap_future(std::future::pending()));
            }
        };
        Box::pin(actix::fut::ready(outcome))
    }
}

fn recorder(behaviour: Behaviour) -> (Addr<Recorder>, Arc<Mutex<Log>>) {
    let log = Arc::new(Mutex::new(Log::default()));
    let addr = Recorder {
        behaviour,
        log: log.clone(),
    }
    .start();
    (addr, log)
}

async fn start_broker(transport: Transport) -> BrokerHandle {
    let _ = env_logger::builder().is_test(true).try_init();
    Broker::start(testing::broker_config(transport))
        .await
        .unwrap()
}

async fn subscribe(broker: &BrokerHandle, service: &str, handler: &Addr<Recorder>) {
    broker
        .subscribe(
            ConsumerGroup::Service(service.to_owned()),
            vec![ChatUserAnsweredEvent::NAME],
            handler.clone().recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
}

macro_rules! on_both_transports {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            use super::*;

            #[actix_rt::test]
            async fn in_process() {
                super::$scenario(Transport::InProcess).await;
            }

            #[actix_rt::test]
            async fn amqp() {
                super::$scenario(Transport::Amqp).await;
            }
        }
    )*};
}

on_both_transports!(
    publish_consume_round_trip,
    failing_handler_is_retried_then_dead_lettered_and_can_be_replayed,
    permanent_failure_is_dead_lettered_at_once,
    handler_recovering_within_the_limit_is_not_dead_lettered,
    event_consumed_by_two_services_reaches_both_and_replicas_compete,
    duplicate_delivery_has_no_second_effect,
    consumer_dying_before_ack_gets_the_message_redelivered,
    unroutable_publish_is_an_error,
    declared_queues_keep_events_until_their_consumer_subscribes,
    chaos_delivers_every_event_twice_and_out_of_order,
    each_workload_takes_its_own_number_of_deliveries_at_once,
);

/// Holds every delivery until released, counting those it holds.
struct Holder {
    held: Arc<HeldCount>,
    release: tokio::sync::watch::Receiver<bool>,
}

#[derive(Default)]
struct HeldCount {
    now: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
    handled: std::sync::atomic::AtomicUsize,
}

impl HeldCount {
    fn read(counter: &std::sync::atomic::AtomicUsize) -> usize {
        std::sync::atomic::AtomicUsize::load(counter, Ordering::SeqCst)
    }
}

impl Actor for Holder {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Holder {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, _: Deliver, _: &mut Self::Context) -> Self::Result {
        let held = self.held.clone();
        let mut release = self.release.clone();
        let now = held.now.fetch_add(1, Ordering::SeqCst) + 1;
        held.most.fetch_max(now, Ordering::SeqCst);
        Box::pin(async move {
            let _ = release.wait_for(|released| *released).await;
            held.now.fetch_sub(1, Ordering::SeqCst);
            held.handled.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }
}

/// A service waiting on a provider takes `provider_prefetch` deliveries at once, one waiting
/// on its database `prefetch`, each per queue, whatever the number waiting.
async fn each_workload_takes_its_own_number_of_deliveries_at_once(transport: Transport) {
    let broker = start_broker(transport).await;
    let config = testing::broker_config(transport);
    let (limit_database, limit_provider) = (
        usize::from(config.prefetch),
        usize::from(config.provider_prefetch),
    );
    assert!(limit_database < limit_provider);
    let (release, released) = tokio::sync::watch::channel(false);
    let mut counts = Vec::new();
    for (service, workload) in [("db", Workload::Database), ("slow", Workload::Provider)] {
        let held = Arc::new(HeldCount::default());
        let holder = Holder {
            held: held.clone(),
            release: released.clone(),
        }
        .start();
        broker
            .subscribe(
                ConsumerGroup::Service(service.to_owned()),
                vec![ChatUserAnsweredEvent::NAME],
                holder.recipient(),
                workload,
            )
            .await
            .unwrap();
        counts.push(held);
    }
    let sent = limit_provider + 20;
    for n in 0..sent {
        broker.publish(answer(n)).await.unwrap();
    }
    let (database, provider) = (&counts[0], &counts[1]);
    assert!(
        eventually(WAIT, || HeldCount::read(&database.now) == limit_database
            && HeldCount::read(&provider.now) == limit_provider)
        .await,
        "held {} and {}",
        HeldCount::read(&database.now),
        HeldCount::read(&provider.now)
    );
    release.send_replace(true);
    assert!(
        eventually(WAIT, || HeldCount::read(&database.handled) == sent
            && HeldCount::read(&provider.handled) == sent)
        .await
    );
    assert_eq!(HeldCount::read(&database.most), limit_database);
    assert_eq!(HeldCount::read(&provider.most), limit_provider);
    broker.delete_topology().await.unwrap();
}

/// The chaos switch of the fault benchmark: each event reaches its handler twice, and the
/// deliveries come out of publishing order.
async fn chaos_delivers_every_event_twice_and_out_of_order(transport: Transport) {
    let _ = env_logger::builder().is_test(true).try_init();
    let mut config = testing::broker_config(transport);
    config.chaos = true;
    let broker = Broker::start(config).await.unwrap();
    let (handler, log) = recorder(Behaviour::Succeed);
    subscribe(&broker, "svc", &handler).await;
    let mut ids = Vec::new();
    for n in 0..20 {
        let envelope = answer(n);
        ids.push(envelope.id);
        broker.publish(envelope).await.unwrap();
    }
    assert!(
        eventually(WAIT, || {
            let log = log.lock().unwrap();
            ids.iter().all(|id| log.count(*id) == 2)
        })
        .await
    );
    let log = log.lock().unwrap();
    let mut first_seen: Vec<Uuid> = Vec::new();
    for (id, _) in &log.deliveries {
        if !first_seen.contains(id) {
            first_seen.push(*id);
        }
    }
    assert_ne!(first_seen, ids, "delivered in publishing order");
    assert_eq!(log.deliveries.len(), 40);
}

/// Publishes are mandatory: an event no queue is bound for is refused, not dropped; a
/// notification that no instance listens to is not needed by anyone.
async fn unroutable_publish_is_an_error(transport: Transport) {
    let broker = start_broker(transport).await;
    let error = broker.publish(answer(1)).await.unwrap_err();
    assert!(
        matches!(error, BrokerError::Unroutable { ref event_type } if event_type == "ChatUserAnsweredEvent"),
        "{error}"
    );
    let notification = Envelope::new(
        Uuid::now_v7(),
        &UiEventRecordedEvent {
            seq: 1,
            event_name: "progress".into(),
            data: serde_json::json!({}),
        },
    );
    broker.publish(notification).await.unwrap();
    broker.delete_topology().await.unwrap();
}

/// A process declares the queues of services it does not run: what is published for them
/// waits until a consumer subscribes (here, on another Broker, as another process would).
async fn declared_queues_keep_events_until_their_consumer_subscribes(transport: Transport) {
    let mut config = testing::broker_config(transport);
    config.service_queues = vec![ServiceQueue {
        service: "svc".into(),
        event_type: ChatUserAnsweredEvent::NAME,
    }];
    let publisher = Broker::start(config.clone()).await.unwrap();
    let sent: Vec<Envelope> = (0..5).map(answer).collect();
    for envelope in &sent {
        publisher.publish(envelope.clone()).await.unwrap();
    }
    let consumer = match transport {
        // In-process there is one process: the same bus.
        Transport::InProcess => publisher.clone(),
        Transport::Amqp => Broker::start(config).await.unwrap(),
    };
    let (handler, log) = recorder(Behaviour::Succeed);
    subscribe(&consumer, "svc", &handler).await;
    assert!(eventually(WAIT, || log.lock().unwrap().unique() == sent.len()).await);
    publisher.delete_topology().await.unwrap();
}

async fn publish_consume_round_trip(transport: Transport) {
    let broker = start_broker(transport).await;
    let (handler, log) = recorder(Behaviour::Succeed);
    subscribe(&broker, "svc", &handler).await;
    let sent: Vec<Envelope> = (0..200).map(answer).collect();
    let publishes = sent.iter().cloned().map(|e| broker.publish(e));
    for result in futures_util::future::join_all(publishes).await {
        result.unwrap();
    }
    assert!(eventually(WAIT, || log.lock().unwrap().unique() == 200).await);
    {
        let log = log.lock().unwrap();
        for envelope in &sent {
            assert_eq!(log.count(envelope.id), 1, "each event once");
        }
    }
    assert_eq!(
        broker.stats().snapshot()["ChatUserAnsweredEvent"].published,
        200
    );
    broker.delete_topology().await.unwrap();
}

async fn failing_handler_is_retried_then_dead_lettered_and_can_be_replayed(transport: Transport) {
    let broker = start_broker(transport).await;
    let failing = Arc::new(AtomicBool::new(true));
    let (handler, log) = recorder(Behaviour::FailWhile(failing.clone()));
    subscribe(&broker, "svc", &handler).await;
    let envelope = answer(1);
    broker.publish(envelope.clone()).await.unwrap();

    // delivery limit 2: the first delivery and two redeliveries, then the dead-letter queue.
    assert!(eventually(WAIT, || log.lock().unwrap().count(envelope.id) == 3).await);
    assert!(
        eventually_async(WAIT, || async {
            !broker.dead_letters(10).await.unwrap().is_empty()
        })
        .await
    );
    let dead = broker.dead_letters(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].event_id, Some(envelope.id));
    assert!(
        dead[0].queue.ends_with("svc.ChatUserAnsweredEvent"),
        "{}",
        dead[0].queue
    );
    let counts: Vec<u32> = log
        .lock()
        .unwrap()
        .deliveries
        .iter()
        .map(|(_, c)| *c)
        .collect();
    assert_eq!(
        counts,
        vec![0, 1, 2],
        "delivery counts grow with each redelivery"
    );
    // Listing keeps them; nothing else is delivered meanwhile.
    actix_rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(log.lock().unwrap().count(envelope.id), 3);

    failing.store(false, Ordering::SeqCst);
    assert_eq!(broker.replay_dead_letters(10).await.unwrap(), 1);
    assert!(eventually(WAIT, || log.lock().unwrap().count(envelope.id) == 4).await);
    assert!(broker.dead_letters(10).await.unwrap().is_empty());
    broker.delete_topology().await.unwrap();
}

async fn permanent_failure_is_dead_lettered_at_once(transport: Transport) {
    let broker = start_broker(transport).await;
    let (handler, log) = recorder(Behaviour::FailPermanently);
    subscribe(&broker, "svc", &handler).await;
    let envelope = answer(1);
    broker.publish(envelope.clone()).await.unwrap();
    assert!(
        eventually_async(WAIT, || async {
            broker.dead_letters(10).await.unwrap().len() == 1
        })
        .await
    );
    assert_eq!(log.lock().unwrap().count(envelope.id), 1);
    broker.delete_topology().await.unwrap();
}

async fn handler_recovering_within_the_limit_is_not_dead_lettered(transport: Transport) {
    let broker = start_broker(transport).await;
    let failing = Arc::new(AtomicBool::new(true));
    let (handler, log) = recorder(Behaviour::FailWhile(failing.clone()));
    subscribe(&broker, "svc", &handler).await;
    let envelope = answer(1);
    broker.publish(envelope.clone()).await.unwrap();
    assert!(eventually(WAIT, || log.lock().unwrap().count(envelope.id) == 2).await);
    failing.store(false, Ordering::SeqCst);
    assert!(
        eventually(WAIT, || broker
            .stats()
            .snapshot()
            .get("ChatUserAnsweredEvent")
            .is_some_and(|c| c.consumed == 1))
        .await
    );
    assert!(log.lock().unwrap().count(envelope.id) <= 3);
    assert!(broker.dead_letters(10).await.unwrap().is_empty());
    broker.delete_topology().await.unwrap();
}

async fn event_consumed_by_two_services_reaches_both_and_replicas_compete(transport: Transport) {
    let broker = start_broker(transport).await;
    let (gift, gift_log) = recorder(Behaviour::Succeed);
    let (restapi_1, restapi_log_1) = recorder(Behaviour::Succeed);
    let (restapi_2, restapi_log_2) = recorder(Behaviour::Succeed);
    subscribe(&broker, "gift", &gift).await;
    subscribe(&broker, "restapi", &restapi_1).await;
    subscribe(&broker, "restapi", &restapi_2).await;
    let sent: Vec<Envelope> = (0..100).map(answer).collect();
    for envelope in &sent {
        broker.publish(envelope.clone()).await.unwrap();
    }
    assert!(eventually(WAIT, || gift_log.lock().unwrap().unique() == 100).await);
    assert!(
        eventually(WAIT, || {
            restapi_log_1.lock().unwrap().unique() + restapi_log_2.lock().unwrap().unique() == 100
        })
        .await
    );
    for envelope in &sent {
        let replicas = restapi_log_1.lock().unwrap().count(envelope.id)
            + restapi_log_2.lock().unwrap().count(envelope.id);
        assert_eq!(replicas, 1, "replicas of one service share its queue");
    }
    assert!(restapi_log_1.lock().unwrap().unique() > 0);
    assert!(restapi_log_2.lock().unwrap().unique() > 0);
    broker.delete_topology().await.unwrap();
}

/// The inbox turns a second delivery of the same event into a no-op.
async fn duplicate_delivery_has_no_second_effect(transport: Transport) {
    let databases = TestDatabases::create().await.unwrap();
    let pool = databases.pool(ServiceDatabase::Chat);
    {
        let mut conn = pool.get().await.unwrap();
        sql_query("CREATE TABLE effects (event_id uuid NOT NULL)")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let broker = start_broker(transport).await;
    let handled = Arc::new(Mutex::new(0));
    let handler = InboxConsumer {
        pool: pool.clone(),
        handled: handled.clone(),
    }
    .start();
    broker
        .subscribe(
            ConsumerGroup::Service("chat".into()),
            vec![ChatUserAnsweredEvent::NAME],
            handler.recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
    let envelope = answer(1);
    broker.publish(envelope.clone()).await.unwrap();
    broker.publish(envelope.clone()).await.unwrap();
    assert!(eventually(WAIT, || *handled.lock().unwrap() == 2).await);
    let mut conn = pool.get().await.unwrap();
    let effects: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM effects)",
    ))
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(effects, 1, "the duplicate was acknowledged without effect");
    broker.delete_topology().await.unwrap();
}

struct InboxConsumer {
    pool: present_finder_schema::DbPool,
    handled: Arc<Mutex<usize>>,
}

impl Actor for InboxConsumer {
    type Context = Context<Self>;
}

impl Handler<Deliver> for InboxConsumer {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let pool = self.pool.clone();
        let handled = self.handled.clone();
        Box::pin(async move {
            let mut conn = pool.get().await?;
            let envelope = deliver.envelope;
            conn.transaction(async |conn| {
                if inbox::claim(conn, "chat", &envelope).await? {
                    sql_query("INSERT INTO effects (event_id) VALUES ($1)")
                        .bind::<diesel::sql_types::Uuid, _>(envelope.id)
                        .execute(conn)
                        .await?;
                }
                Ok::<_, HandlerError>(())
            })
            .await?;
            *handled.lock().unwrap() += 1;
            Ok(())
        })
    }
}

/// In-process, a consumer actor that dies mid-delivery gives the message back to the queue;
/// on RabbitMQ the same is proven with a real process, see `amqp_consumer_process_killed_before_ack`.
async fn consumer_dying_before_ack_gets_the_message_redelivered(transport: Transport) {
    if transport == Transport::Amqp {
        return amqp_consumer_process_killed_before_ack().await;
    }
    let broker = start_broker(transport).await;
    let (dying, dying_log) = recorder(Behaviour::DieOnFirst);
    subscribe(&broker, "svc", &dying).await;
    let envelope = answer(1);
    broker.publish(envelope.clone()).await.unwrap();
    assert!(eventually(WAIT, || dying_log.lock().unwrap().count(envelope.id) == 1).await);
    let (survivor, survivor_log) = recorder(Behaviour::Succeed);
    subscribe(&broker, "svc", &survivor).await;
    assert!(
        eventually(WAIT, || survivor_log.lock().unwrap().count(envelope.id)
            == 1)
        .await
    );
}

const CHILD_NAMESPACE: &str = "PF_TEST_CHILD_NAMESPACE";
const CHILD_SIGNAL_DIR: &str = "PF_TEST_CHILD_SIGNAL_DIR";

/// Runs `child_consumer_that_never_acks` in a child process, kills it (SIGKILL) while it holds
/// the message unacknowledged, and checks that the next consumer receives it.
async fn amqp_consumer_process_killed_before_ack() {
    let config = testing::broker_config(Transport::Amqp);
    let signals = tempdir();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_consumer_that_never_acks",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_NAMESPACE, &config.namespace)
        .env(CHILD_SIGNAL_DIR, &signals)
        .spawn()
        .unwrap();
    let ready = signals.join("ready");
    let received = signals.join("received");
    assert!(
        eventually(WAIT, || ready.exists()).await,
        "the child subscribed"
    );

    let broker = Broker::start(config).await.unwrap();
    let envelope = answer(1);
    broker.publish(envelope.clone()).await.unwrap();
    assert!(
        eventually(WAIT, || received.exists()).await,
        "the child got the message"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let (survivor, log) = recorder(Behaviour::Succeed);
    subscribe(&broker, "svc", &survivor).await;
    assert!(eventually(WAIT, || log.lock().unwrap().count(envelope.id) == 1).await);
    let delivery_count = log.lock().unwrap().deliveries[0].1;
    assert!(
        delivery_count >= 1,
        "RabbitMQ counted the first, unacknowledged delivery"
    );
    broker.delete_topology().await.unwrap();
    let _ = std::fs::remove_dir_all(&signals);
}

#[actix_rt::test]
#[ignore = "a child process of amqp_consumer_process_killed_before_ack, not a test of its own"]
async fn child_consumer_that_never_acks() {
    let (Ok(namespace), Ok(signals)) = (
        std::env::var(CHILD_NAMESPACE),
        std::env::var(CHILD_SIGNAL_DIR),
    ) else {
        return;
    };
    let mut config = testing::broker_config(Transport::Amqp);
    config.namespace = namespace;
    let broker = Broker::start(config).await.unwrap();
    let signals = std::path::PathBuf::from(signals);
    let handler = Hanging {
        received: signals.join("received"),
    }
    .start();
    broker
        .subscribe(
            ConsumerGroup::Service("svc".into()),
            vec![ChatUserAnsweredEvent::NAME],
            handler.recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
    std::fs::write(signals.join("ready"), b"").unwrap();
    std::future::pending::<()>().await;
}

struct Hanging {
    received: std::path::PathBuf,
}

impl Actor for Hanging {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Hanging {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, _: Deliver, _: &mut Self::Context) -> Self::Result {
        let _ = std::fs::write(&self.received, b"");
        Box::pin(std::future::pending())
    }
}

/// RabbitMQ stopped and started while events flow: every event still arrives.
#[actix_rt::test]
async fn amqp_broker_restart_mid_stream_loses_nothing() {
    let _ = env_logger::builder().is_test(true).try_init();
    let rabbit = std::sync::Arc::new(testing::PrivateRabbit::start().unwrap());
    let config = testing::broker_config_at(Transport::Amqp, &rabbit.url());
    let broker = Broker::start(config).await.unwrap();
    let (handler, log) = recorder(Behaviour::Succeed);
    subscribe(&broker, "svc", &handler).await;
    // rabbitmqctl blocks: run it off the event loop, which goes on serving the broker (as a
    // process of its own would while RabbitMQ restarts).
    let ctl = |command: fn(&testing::PrivateRabbit) -> anyhow::Result<()>| {
        let rabbit = rabbit.clone();
        async move {
            actix_rt::task::spawn_blocking(move || command(&rabbit))
                .await
                .unwrap()
                .unwrap()
        }
    };

    let total = 300;
    let publisher = {
        let broker = broker.clone();
        actix_rt::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..total {
                let envelope = answer(n);
                ids.push(envelope.id);
                broker.publish(envelope).await.unwrap();
                actix_rt::time::sleep(Duration::from_millis(10)).await;
            }
            ids
        })
    };
    assert!(eventually(WAIT, || log.lock().unwrap().unique() >= 50).await);
    ctl(testing::PrivateRabbit::stop_app).await;
    actix_rt::time::sleep(Duration::from_secs(2)).await;
    ctl(testing::PrivateRabbit::start_app).await;

    let ids = publisher.await.unwrap();
    assert!(
        eventually(Duration::from_secs(90), || log.lock().unwrap().unique()
            == total)
        .await,
        "received {} of {total}",
        log.lock().unwrap().unique()
    );
    let log = log.lock().unwrap();
    let seen: HashMap<Uuid, usize> = ids.iter().map(|id| (*id, log.count(*id))).collect();
    assert!(seen.values().all(|&n| n >= 1));
}

async fn eventually_async<F, Fut>(timeout: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if condition().await {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("present-finder-test-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Connections the Broker replaces after losing them are closed, not left behind. With
/// RabbitMQ stopped for a few seconds, lapin's recovery brings the old publishing connection
/// back about when the link opens its new pair; dropped, it stayed open (owned by no one)
/// beside the new one.
#[actix_rt::test]
async fn amqp_replaced_connections_are_closed() {
    let _ = env_logger::builder().is_test(true).try_init();
    let rabbit = std::sync::Arc::new(testing::PrivateRabbit::start().unwrap());
    let config = testing::broker_config_at(Transport::Amqp, &rabbit.url());
    let name = config.connection_name.clone();
    let broker = Broker::start(config).await.unwrap();
    let (handler, log) = recorder(Behaviour::Succeed);
    subscribe(&broker, "svc", &handler).await;
    // rabbitmqctl blocks: off the event loop, which goes on serving the broker.
    let names = || {
        let rabbit = rabbit.clone();
        async move {
            actix_rt::task::spawn_blocking(move || rabbit.connection_names())
                .await
                .unwrap()
                .unwrap()
        }
    };
    let ours = vec![format!("{name} (consume)"), format!("{name} (publish)")];
    assert_eq!(names().await, ours);

    let restart = rabbit.clone();
    actix_rt::task::spawn_blocking(move || {
        restart.stop_app().unwrap();
        std::thread::sleep(Duration::from_secs(3));
        restart.start_app()
    })
    .await
    .unwrap()
    .unwrap();
    // Three listings in a row (each takes about a second) with just the link's pair: the
    // old connection's recovery, due within seconds of the restart, was closed or failed.
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    let mut in_a_row = 0;
    while in_a_row < 3 {
        let listed = names().await;
        in_a_row = if listed == ours { in_a_row + 1 } else { 0 };
        assert!(
            std::time::Instant::now() < deadline,
            "connections left open: {listed:?}"
        );
    }
    broker.publish(answer(1)).await.unwrap();
    assert!(eventually(WAIT, || log.lock().unwrap().unique() == 1).await);
    assert_eq!(names().await, ours);
}
