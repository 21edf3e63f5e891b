//! Bounded storage: the retention sweep prunes each table it owns (old rows go, recent ones
//! stay), two sweeps at once share the work, an event redelivered after its inbox entry was
//! pruned changes nothing, and unused guest accounts are erased everywhere while recent guests
//! and Google accounts stay.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::{Harness, Search, fast_settings};
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use present_finder_actors::events::{
    ChatDataErasedEvent, ChatStartInterviewEvent, ChatUserAnsweredEvent, Envelope, ErasureReason,
    Event,
};
use present_finder_actors::services::retention::{self, Retention, pruned_totals};
use present_finder_actors::services::{ServiceName, Settings};
use present_finder_actors::testing::Transport;
use present_finder_schema::testing::TestDatabases;
use present_finder_schema::{DbPool, ServiceDatabase};
use present_finder_web::driver::{Ending, FirstSuggestion};
use present_finder_web::http::auth::expire_guests;
use present_finder_web::restapi::commands;
use uuid::Uuid;

const DAY: Duration = Duration::from_secs(24 * 3600);

/// The databases that keep data of a chat, and so a tombstone of each erased one.
const WITH_TOMBSTONES: [ServiceDatabase; 5] = [
    ServiceDatabase::Restapi,
    ServiceDatabase::Chat,
    ServiceDatabase::Stalking,
    ServiceDatabase::GiftIdeas,
    ServiceDatabase::Reranking,
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    table_name: String,
}

#[derive(QueryableByName)]
struct EventId {
    #[diesel(sql_type = SqlUuid)]
    event_id: Uuid,
}

async fn execute(pool: &DbPool, statement: &str) {
    let mut conn = pool.get().await.unwrap();
    sql_query(statement).execute(&mut conn).await.unwrap();
}

async fn count(pool: &DbPool, query: &str) -> i64 {
    let mut conn = pool.get().await.unwrap();
    sql_query(query)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .count
}

/// `old` rows older than their retention and `recent` ones younger, in `table`.
async fn seed(pool: &DbPool, table: &str, old: usize, recent: usize) {
    let (columns, old_values, recent_values) = match table {
        "inbox" => (
            "event_id, consumer, event_type, received_at",
            "gen_random_uuid(), 'test', 'TestEvent', now() - interval '15 days'",
            "gen_random_uuid(), 'test', 'TestEvent', now() - interval '13 days'",
        ),
        "erased_chats" => (
            "chat_digest, erased_at",
            "sha256(gen_random_uuid()::text::bytea), now() - interval '31 days'",
            "sha256(gen_random_uuid()::text::bytea), now() - interval '29 days'",
        ),
        "query_cache" => (
            "provider, query_key, products, fetched_at, expires_at",
            "'catalog', gen_random_uuid()::text, '[]', now() - interval '11 minutes', \
             now() - interval '1 minute'",
            "'catalog', gen_random_uuid()::text, '[]', now(), now() + interval '9 minutes'",
        ),
        "provider_calls" => (
            "provider, request_id, ok, duration_ms, called_at",
            "'catalog', gen_random_uuid(), true, 12, now() - interval '8 days'",
            "'catalog', gen_random_uuid(), true, 12, now() - interval '6 days'",
        ),
        "scrape_cache" => (
            "url, network, fetched_at, expires_at",
            "'https://instagram.com/' || gen_random_uuid(), 'instagram', \
             now() - interval '2 days', now() - interval '1 day'",
            "'https://instagram.com/' || gen_random_uuid(), 'instagram', now(), \
             now() + interval '1 day'",
        ),
        other => panic!("no seed for {other}"),
    };
    for (rows, values) in [(old, old_values), (recent, recent_values)] {
        if rows > 0 {
            execute(
                pool,
                &format!(
                    "INSERT INTO {table} ({columns}) SELECT {values} FROM generate_series(1, {rows})"
                ),
            )
            .await;
        }
    }
}

fn retention(batch_size: u32) -> Retention {
    Retention {
        batch_size,
        ..Retention::default()
    }
}

#[actix_rt::test]
async fn one_sweep_prunes_every_table_of_each_database_and_keeps_recent_rows() {
    let _ = env_logger::builder().is_test(true).try_init();
    let databases = TestDatabases::create().await.unwrap();
    let mut expected_tables = 0;
    for database in ServiceDatabase::ALL {
        let pool = databases.pool(database);
        let tables = retention::pruned_tables(database);
        // Five old rows in batches of two: three batches per table.
        for table in &tables {
            seed(&pool, table, 5, 3).await;
        }
        let pruned = retention::sweep(&pool, database, &retention(2), None)
            .await
            .unwrap();
        let expected: BTreeMap<&str, u64> = tables.iter().map(|t| (*t, 5)).collect();
        assert_eq!(pruned, expected, "{database}");
        for table in &tables {
            let left = count(&pool, &format!("SELECT count(*) AS count FROM {table}")).await;
            assert_eq!(left, 3, "{database}.{table}: the recent rows stay");
        }
        // Nothing older is left: a second sweep finds nothing.
        let again = retention::sweep(&pool, database, &retention(2), None)
            .await
            .unwrap();
        assert!(again.is_empty(), "{database}: {again:?}");
        expected_tables += tables.len();
    }
    // inbox ×6, erased_chats ×5, query_cache, provider_calls, scrape_cache.
    assert_eq!(expected_tables, 14);
    let totals = pruned_totals();
    assert_eq!(totals.len(), 14, "{totals:?}");
    assert!(totals.values().all(|rows| *rows == 5), "{totals:?}");
    assert_eq!(
        totals[&("fetch".to_owned(), "provider_calls".to_owned())],
        5
    );
}

#[actix_rt::test]
async fn two_sweeps_at_once_share_the_work_and_delete_each_row_once() {
    let _ = env_logger::builder().is_test(true).try_init();
    let databases = TestDatabases::create().await.unwrap();
    let database = ServiceDatabase::Chat;
    // Two pools: two processes.
    let (first, second) = (databases.pool(database), databases.pool(database));
    seed(&first, "inbox", 3000, 10).await;
    seed(&first, "erased_chats", 1000, 10).await;
    let settings = retention(50);
    let started = Instant::now();
    let (a, b) = futures_util::future::join(
        retention::sweep(&first, database, &settings, None),
        retention::sweep(&second, database, &settings, None),
    )
    .await;
    let (a, b) = (a.unwrap(), b.unwrap());
    log::info!("two sweeps: {a:?} and {b:?} in {:?}", started.elapsed());
    let sum = |table: &str| a.get(table).unwrap_or(&0) + b.get(table).unwrap_or(&0);
    assert_eq!(sum("inbox"), 3000, "{a:?} {b:?}");
    assert_eq!(sum("erased_chats"), 1000, "{a:?} {b:?}");
    assert_eq!(
        count(&first, "SELECT count(*) AS count FROM inbox").await,
        10
    );
    assert_eq!(
        count(&first, "SELECT count(*) AS count FROM erased_chats").await,
        10
    );
}

/// The chats of `user_id` (restapi).
async fn chats_of(harness: &Harness, user_id: Uuid) -> Vec<Uuid> {
    #[derive(QueryableByName)]
    struct ChatId {
        #[diesel(sql_type = SqlUuid)]
        chat_id: Uuid,
    }
    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    sql_query("SELECT chat_id FROM chats WHERE user_id = $1")
        .bind::<SqlUuid, _>(user_id)
        .load::<ChatId>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.chat_id)
        .collect()
}

/// Rows naming `chat_id` in every table with a `chat_id` column of every database, where
/// there are some.
async fn rows_of(databases: &TestDatabases, chat_id: Uuid) -> BTreeMap<String, i64> {
    let mut found = BTreeMap::new();
    for database in ServiceDatabase::ALL {
        let pool = databases.pool(database);
        let mut conn = pool.get().await.unwrap();
        let tables: Vec<TableName> = sql_query(
            "SELECT table_name::text AS table_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'chat_id'",
        )
        .load(&mut conn)
        .await
        .unwrap();
        for TableName { table_name } in tables {
            let rows: Count = sql_query(format!(
                "SELECT count(*) AS count FROM \"{table_name}\" WHERE chat_id = $1"
            ))
            .bind::<SqlUuid, _>(chat_id)
            .get_result(&mut conn)
            .await
            .unwrap();
            if rows.count > 0 {
                found.insert(format!("{database}.{table_name}"), rows.count);
            }
        }
    }
    found
}

/// The databases holding a tombstone of `chat_id`.
async fn tombstones_of(databases: &TestDatabases, chat_id: Uuid) -> Vec<ServiceDatabase> {
    let mut with = Vec::new();
    for database in WITH_TOMBSTONES {
        let pool = databases.pool(database);
        let mut conn = pool.get().await.unwrap();
        let rows: Count =
            sql_query("SELECT count(*) AS count FROM erased_chats WHERE chat_digest = sha256($1)")
                .bind::<diesel::sql_types::Bytea, _>(chat_id.as_bytes().to_vec())
                .get_result(&mut conn)
                .await
                .unwrap();
        if rows.count > 0 {
            with.push(database);
        }
    }
    with
}

fn consumed(harness: &Harness, event: &str) -> u64 {
    harness
        .system
        .broker
        .stats()
        .snapshot()
        .get(event)
        .map_or(0, |c| c.consumed)
}

/// Waits (up to 10 s) until `event` was handled `times` times in all.
async fn until_consumed(harness: &Harness, event: &str, times: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while consumed(harness, event) < times {
        assert!(
            Instant::now() < deadline,
            "{event} not handled {times} times"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// No handler failed: nothing was retried, nothing dead-lettered.
async fn assert_no_handler_failed(harness: &Harness) {
    let broker = &harness.system.broker;
    let failing: Vec<_> = broker
        .stats()
        .snapshot()
        .into_iter()
        .filter(|(_, c)| c.retried > 0 || c.dead_lettered > 0)
        .collect();
    assert!(failing.is_empty(), "handlers failed: {failing:#?}");
    assert!(broker.dead_letters(10).await.unwrap().is_empty());
}

/// The id of the `event_type` event the chat service handled (from its inbox).
async fn handled_id(pool: &DbPool, event_type: &str) -> Vec<Uuid> {
    let mut conn = pool.get().await.unwrap();
    sql_query("SELECT event_id FROM inbox WHERE event_type = $1")
        .bind::<Text, _>(event_type)
        .load::<EventId>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_id)
        .collect()
}

/// Ages every inbox entry of `database` past the retention and sweeps it.
async fn prune_inbox(harness: &Harness, database: ServiceDatabase) {
    let pool = harness.databases.pool(database);
    execute(
        &pool,
        "UPDATE inbox SET received_at = now() - interval '15 days'",
    )
    .await;
    // (The periodic sweep of the harness may have pruned some of them first.)
    retention::sweep(&pool, database, &Retention::default(), None)
        .await
        .unwrap();
    assert_eq!(count(&pool, "SELECT count(*) AS count FROM inbox").await, 0);
}

#[actix_rt::test]
async fn an_event_redelivered_after_its_inbox_entry_was_pruned_changes_nothing() {
    let harness = Harness::start(Transport::InProcess).await;
    let user_id = harness.guest().await;
    let outcome = harness
        .search_as(user_id, Search::budget(20.0, 2000.0), FirstSuggestion)
        .await;
    assert!(
        matches!(outcome.ending, Ending::Ready { .. }),
        "{:?}",
        outcome.ending
    );
    let chat_id = chats_of(&harness, user_id).await[0];
    let chat_db = harness.databases.pool(ServiceDatabase::Chat);
    let transcript =
        format!("SELECT count(*) AS count FROM transcript_messages WHERE chat_id = '{chat_id}'");
    let messages = format!("SELECT count(*) AS count FROM messages WHERE chat_id = '{chat_id}'");
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);

    // The id of the event that started the interview, for a redelivery at the end.
    let start_ids = handled_id(&chat_db, ChatStartInterviewEvent::NAME).await;
    assert_eq!(start_ids.len(), 1);

    // A late answer of the finished interview, delivered once, then again after the inbox
    // entry of its first delivery was pruned: the interview has no question waiting, so both
    // deliveries are ignored by the handler's own state check.
    let before = (
        count(&chat_db, &transcript).await,
        count(&restapi_db, &messages).await,
    );
    let answer = Envelope::new(
        chat_id,
        &ChatUserAnsweredEvent {
            message_id: Uuid::now_v7(),
            content: "Lubi kawę".into(),
        },
    );
    let answers = consumed(&harness, ChatUserAnsweredEvent::NAME);
    harness.system.broker.publish(answer.clone()).await.unwrap();
    until_consumed(&harness, ChatUserAnsweredEvent::NAME, answers + 1).await;
    assert!(
        handled_id(&chat_db, ChatUserAnsweredEvent::NAME)
            .await
            .contains(&answer.id)
    );
    prune_inbox(&harness, ServiceDatabase::Chat).await;
    harness.system.broker.publish(answer.clone()).await.unwrap();
    until_consumed(&harness, ChatUserAnsweredEvent::NAME, answers + 2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = (
        count(&chat_db, &transcript).await,
        count(&restapi_db, &messages).await,
    );
    assert_eq!(before, after, "the redelivered answer changed the chat");

    // The chat is erased; the erasure and the chat's first event are delivered again after
    // the inbox was pruned. The second erasure finds nothing to delete; the old event meets
    // the chat's tombstone (kept longer than inbox entries) and recreates nothing.
    let restapi = harness.system.restapi().unwrap();
    assert!(
        commands::delete_chat(&restapi, user_id, chat_id)
            .await
            .unwrap()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !rows_of(&harness.databases, chat_id).await.is_empty()
        || tombstones_of(&harness.databases, chat_id).await.len() < WITH_TOMBSTONES.len()
    {
        assert!(Instant::now() < deadline, "the chat was not erased");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let erasure_ids = handled_id(&chat_db, ChatDataErasedEvent::NAME).await;
    assert_eq!(erasure_ids.len(), 1);
    for database in WITH_TOMBSTONES {
        prune_inbox(&harness, database).await;
    }
    let mut erasure = Envelope::new(
        chat_id,
        &ChatDataErasedEvent {
            reason: ErasureReason::ChatDeleted,
        },
    );
    erasure.id = erasure_ids[0];
    let mut start = Envelope::new(
        chat_id,
        &ChatStartInterviewEvent {
            occasion: present_finder_actors::vocabulary::Occasion::Birthday,
            locale: present_finder_actors::vocabulary::Locale::Pl,
            saved_profile: None,
            save_profile_name: None,
            saved_key_themes: Vec::new(),
            price_range: Default::default(),
        },
    );
    start.id = start_ids[0];
    let (erasures, starts) = (
        consumed(&harness, ChatDataErasedEvent::NAME),
        consumed(&harness, ChatStartInterviewEvent::NAME),
    );
    harness.system.broker.publish(erasure).await.unwrap();
    harness.system.broker.publish(start).await.unwrap();
    // Erasure: five services; the start: chat and gift.
    until_consumed(&harness, ChatDataErasedEvent::NAME, erasures + 5).await;
    until_consumed(&harness, ChatStartInterviewEvent::NAME, starts + 2).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(rows_of(&harness.databases, chat_id).await, BTreeMap::new());
    assert_eq!(
        tombstones_of(&harness.databases, chat_id).await,
        WITH_TOMBSTONES.to_vec()
    );
    assert_no_handler_failed(&harness).await;
    harness.stop().await;
}

#[actix_rt::test]
async fn unused_guests_are_erased_everywhere_recent_guests_and_google_accounts_stay() {
    // The periodic expiry, every second, as it runs in `serve`.
    let settings = Settings {
        retention: Retention {
            interval: Duration::from_secs(1),
            batch_size: 1,
            ..Retention::default()
        },
        ..fast_settings()
    };
    let harness = Harness::start_with(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
    )
    .await;
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);
    let unused = harness.guest().await;
    let other_unused = harness.guest().await;
    let recent = harness.guest().await;
    let google = harness.guest().await;
    execute(
        &restapi_db,
        &format!(
            "UPDATE users SET is_guest = false, google_sub = 'google-{google}', \
             email = 'someone-{google}@example.com' WHERE id = '{google}'"
        ),
    )
    .await;
    for user in [unused, recent, google] {
        let outcome = harness
            .search_as(user, Search::budget(20.0, 2000.0), FirstSuggestion)
            .await;
        assert!(matches!(outcome.ending, Ending::Ready { .. }));
    }
    let chat = |user| {
        let harness = &harness;
        async move { chats_of(harness, user).await[0] }
    };
    let (unused_chat, recent_chat, google_chat) =
        (chat(unused).await, chat(recent).await, chat(google).await);
    for chat_id in [unused_chat, recent_chat, google_chat] {
        let rows = rows_of(&harness.databases, chat_id).await;
        for table in [
            "restapi.chats",
            "chat.interviews",
            "stalking.analyses",
            "gift_ideas.gift_sessions",
            "reranking.waves",
        ] {
            assert!(rows.contains_key(table), "no {table} row: {rows:#?}");
        }
    }

    // The periodic sweeps run too: an old inbox entry and call log row go.
    let fetch_db = harness.databases.pool(ServiceDatabase::Fetch);
    seed(&fetch_db, "inbox", 1, 0).await;
    seed(&fetch_db, "provider_calls", 1, 0).await;

    // Unused for 31 days: the two guests and the Google account; the recent guest 29 days.
    execute(
        &restapi_db,
        &format!(
            "UPDATE users SET last_seen_at = now() - interval '31 days' \
             WHERE id IN ('{unused}', '{other_unused}', '{google}')"
        ),
    )
    .await;
    execute(
        &restapi_db,
        &format!(
            "UPDATE users SET last_seen_at = now() - interval '29 days' WHERE id = '{recent}'"
        ),
    )
    .await;
    let users = |id: Uuid| format!("SELECT count(*) AS count FROM users WHERE id = '{id}'");
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(&restapi_db, &users(unused)).await > 0
        || count(&restapi_db, &users(other_unused)).await > 0
        || !rows_of(&harness.databases, unused_chat).await.is_empty()
        || tombstones_of(&harness.databases, unused_chat).await.len() < WITH_TOMBSTONES.len()
    {
        assert!(
            Instant::now() < deadline,
            "the unused guest is not erased: {:#?}",
            rows_of(&harness.databases, unused_chat).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(consumed(&harness, ChatDataErasedEvent::NAME) >= 5);
    // A few more runs change nothing for the others.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let old_rows = "SELECT (SELECT count(*) FROM inbox WHERE received_at < now() - interval '14 days') \
                    + (SELECT count(*) FROM provider_calls WHERE called_at < now() - interval '7 days') \
                    AS count";
    assert_eq!(count(&fetch_db, old_rows).await, 0);
    assert_eq!(
        pruned_totals()[&("restapi".to_owned(), "users".to_owned())],
        2
    );
    for (user, chat_id) in [(recent, recent_chat), (google, google_chat)] {
        assert_eq!(count(&restapi_db, &users(user)).await, 1);
        let rows = rows_of(&harness.databases, chat_id).await;
        assert!(rows.contains_key("restapi.chats"), "{rows:#?}");
        assert!(rows.contains_key("chat.interviews"), "{rows:#?}");
        assert!(rows.contains_key("reranking.waves"), "{rows:#?}");
        assert!(tombstones_of(&harness.databases, chat_id).await.is_empty());
    }
    // Run by hand now: nothing else is old enough.
    let restapi = harness.system.restapi().unwrap();
    assert_eq!(expire_guests(&restapi, 30 * DAY, 10).await.unwrap(), 0);
    assert_no_handler_failed(&harness).await;
    harness.stop().await;
}

/// Seconds since the account was last seen.
async fn unseen_for(pool: &DbPool, user_id: Uuid) -> i64 {
    count(
        pool,
        &format!(
            "SELECT extract(epoch FROM now() - last_seen_at)::bigint AS count \
             FROM users WHERE id = '{user_id}'"
        ),
    )
    .await
}

#[actix_rt::test]
async fn a_token_refresh_marks_the_guest_as_seen_at_most_once_an_hour() {
    let app = common::TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    let restapi_db = app.harness.databases.pool(ServiceDatabase::Restapi);
    let response = client.post(app.url("/auth/guest")).send().await.unwrap();
    assert!(response.status().is_success());
    let mut token = common::cookie_value(&common::set_cookies(&response)["refresh_token"]);
    let body: serde_json::Value = response.json().await.unwrap();
    let user_id: Uuid = body["user"]["id"].as_str().unwrap().parse().unwrap();
    assert!(
        unseen_for(&restapi_db, user_id).await < 60,
        "a new guest is seen now"
    );

    for (unseen, seen_after) in [
        // Unused for ten days, then back: seen now.
        (10 * 24 * 3600, 0..60),
        // Seen half an hour ago: not written again.
        (1800, 1800..1860),
    ] {
        execute(
            &restapi_db,
            &format!(
                "UPDATE users SET last_seen_at = now() - interval '{unseen} seconds' \
                 WHERE id = '{user_id}'"
            ),
        )
        .await;
        let refreshed = client
            .post(app.url("/auth/refresh"))
            .header(reqwest::header::COOKIE, format!("refresh_token={token}"))
            .send()
            .await
            .unwrap();
        assert!(refreshed.status().is_success(), "{}", refreshed.status());
        token = common::cookie_value(&common::set_cookies(&refreshed)["refresh_token"]);
        let unseen = unseen_for(&restapi_db, user_id).await;
        assert!(seen_after.contains(&unseen), "last seen {unseen} s ago");
    }

    // The pruned rows are counted in /metrics.
    let metrics = client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("# TYPE retention_pruned_rows_total counter"),
        "{metrics}"
    );
    app.stop().await;
}

#[actix_rt::test]
async fn two_guest_expiries_at_once_delete_each_account_once() {
    let harness = Harness::start_with(
        Transport::InProcess,
        fast_settings(),
        [ServiceName::Restapi].into_iter().collect(),
    )
    .await;
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);
    let mut guests = Vec::new();
    for _ in 0..12 {
        guests.push(harness.guest().await);
    }
    execute(
        &restapi_db,
        "UPDATE users SET last_seen_at = now() - interval '31 days'",
    )
    .await;
    // Two processes: the same service on two connection pools.
    let first = harness.system.restapi().unwrap();
    let mut second = first.clone();
    second.pool = harness.databases.pool(ServiceDatabase::Restapi);
    let (a, b) = futures_util::future::join(
        expire_guests(&first, 30 * DAY, 2),
        expire_guests(&second, 30 * DAY, 2),
    )
    .await;
    let (a, b) = (a.unwrap(), b.unwrap());
    log::info!("two expiries: {a} and {b} accounts");
    // Each account once, and nothing left.
    assert_eq!(a + b, 12, "{a} + {b}");
    assert_eq!(
        count(&restapi_db, "SELECT count(*) AS count FROM users").await,
        0
    );
    assert_eq!(expire_guests(&first, 30 * DAY, 2).await.unwrap(), 0);
    harness.stop().await;
}
