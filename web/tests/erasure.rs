//! "Deleting a chat (or the account) really deletes": after `DELETE /chats/{id}` or
//! `DELETE /auth/me`, no row of the chat is left in any of the six databases — every table
//! with a `chat_id` column is checked, whatever it is — and a search still in flight stops
//! quietly: its late events are acknowledged without effect (no retries, no dead letters)
//! and recreate nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use api_client::sse::SseClient;
use api_client::{Api, first_suggestion, saving_as};
use chrono::Utc;
use common::TestApp;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use present_finder_actors::broker::EventCounters;
use present_finder_actors::events::*;
use present_finder_actors::testing::Transport;
use present_finder_actors::vocabulary::{
    Locale, Marketplace, Occasion, Price, PriceRange, Product, ProductDetails, RecipientProfile,
};
use present_finder_schema::erasure::{chat_digest, erased_chats};
use present_finder_schema::tables::reranking::{wave_requests, waves};
use present_finder_schema::{DbPool, ServiceDatabase};
use serde_json::json;
use uuid::Uuid;

/// The databases that keep data of a chat, and so a tombstone of each erased one.
const WITH_TOMBSTONES: [ServiceDatabase; 5] = [
    ServiceDatabase::Restapi,
    ServiceDatabase::Chat,
    ServiceDatabase::Stalking,
    ServiceDatabase::GiftIdeas,
    ServiceDatabase::Reranking,
];

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    table_name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// A pool on each of the test's six databases.
struct Databases(BTreeMap<ServiceDatabase, DbPool>);

impl Databases {
    fn of(app: &TestApp) -> Self {
        Self(
            ServiceDatabase::ALL
                .into_iter()
                .map(|db| (db, app.harness.databases.pool(db)))
                .collect(),
        )
    }

    fn pool(&self, database: ServiceDatabase) -> &DbPool {
        &self.0[&database]
    }

    /// The tables of `database` that have a `chat_id` column.
    async fn chat_tables(&self, database: ServiceDatabase) -> BTreeSet<String> {
        let mut conn = self.pool(database).get().await.unwrap();
        let rows: Vec<TableName> = diesel::sql_query(
            "SELECT table_name::text AS table_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'chat_id'",
        )
        .load(&mut conn)
        .await
        .unwrap();
        rows.into_iter().map(|r| r.table_name).collect()
    }

    /// Rows naming `chat_id`, per `database.table`, only where there are some: every table
    /// with a `chat_id` column, and the events of the chat waiting in each outbox.
    async fn rows_of(&self, chat_id: Uuid) -> BTreeMap<String, i64> {
        let mut found = BTreeMap::new();
        for database in ServiceDatabase::ALL {
            let mut conn = self.pool(database).get().await.unwrap();
            for table in self.chat_tables(database).await {
                let count: Count = diesel::sql_query(format!(
                    "SELECT count(*) AS count FROM \"{table}\" WHERE chat_id = $1"
                ))
                .bind::<diesel::sql_types::Uuid, _>(chat_id)
                .get_result(&mut conn)
                .await
                .unwrap();
                if count.count > 0 {
                    found.insert(format!("{database}.{table}"), count.count);
                }
            }
            let pending: Count = diesel::sql_query(
                "SELECT count(*) AS count FROM outbox WHERE envelope->>'chatId' = $1",
            )
            .bind::<Text, _>(chat_id.to_string())
            .get_result(&mut conn)
            .await
            .unwrap();
            if pending.count > 0 {
                found.insert(format!("{database}.outbox"), pending.count);
            }
        }
        found
    }

    /// The reranking waves of the chat (their fetch requests have no `chat_id` column).
    async fn waves_of(&self, chat_id: Uuid) -> Vec<Uuid> {
        let mut conn = self.pool(ServiceDatabase::Reranking).get().await.unwrap();
        waves::table
            .filter(waves::chat_id.eq(chat_id))
            .select(waves::wave_id)
            .load(&mut conn)
            .await
            .unwrap()
    }

    async fn wave_requests_of(&self, wave_ids: &[Uuid]) -> i64 {
        let mut conn = self.pool(ServiceDatabase::Reranking).get().await.unwrap();
        wave_requests::table
            .filter(wave_requests::wave_id.eq_any(wave_ids))
            .count()
            .get_result(&mut conn)
            .await
            .unwrap()
    }

    /// The databases holding a tombstone of `chat_id`.
    async fn tombstones_of(&self, chat_id: Uuid) -> BTreeSet<ServiceDatabase> {
        let mut with = BTreeSet::new();
        for database in WITH_TOMBSTONES {
            let mut conn = self.pool(database).get().await.unwrap();
            let count: i64 = erased_chats::table
                .filter(erased_chats::chat_digest.eq(chat_digest(chat_id)))
                .count()
                .get_result(&mut conn)
                .await
                .unwrap();
            if count > 0 {
                with.insert(database);
            }
        }
        with
    }

    /// Waits (up to 10 s) until no row names any of `chat_ids`; panics with what is left.
    async fn until_gone(&self, chat_ids: &[Uuid]) -> Duration {
        let started = Instant::now();
        loop {
            let mut left = BTreeMap::new();
            for chat_id in chat_ids {
                let rows = self.rows_of(*chat_id).await;
                if !rows.is_empty() {
                    left.insert(*chat_id, rows);
                }
            }
            if left.is_empty() {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "rows still there 10 s after the deletion: {left:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The tables of each database that name a chat: the test must see them to check them.
async fn assert_chat_tables_are_known(databases: &Databases) {
    let expected: [(ServiceDatabase, &[&str]); 6] = [
        (
            ServiceDatabase::Restapi,
            &[
                "chats",
                "messages",
                "ui_events",
                "listings",
                "user_profiles",
                "feedback",
            ],
        ),
        (
            ServiceDatabase::Chat,
            &["interviews", "transcript_messages"],
        ),
        (
            ServiceDatabase::Stalking,
            &["analyses", "stalking_deadlines"],
        ),
        (ServiceDatabase::GiftIdeas, &["gift_sessions", "idea_waves"]),
        (
            ServiceDatabase::Reranking,
            &["waves", "products", "results"],
        ),
        (ServiceDatabase::Fetch, &[]),
    ];
    for (database, tables) in expected {
        let found = databases.chat_tables(database).await;
        let expected: BTreeSet<String> = tables.iter().map(|t| (*t).to_owned()).collect();
        assert_eq!(found, expected, "{database}: tables with a chat_id column");
    }
}

/// A finished search leaves data of the chat in every database that keeps some.
async fn assert_stored_everywhere(databases: &Databases, chat_id: Uuid) {
    let rows = databases.rows_of(chat_id).await;
    for table in [
        "restapi.chats",
        "restapi.messages",
        "restapi.listings",
        "chat.interviews",
        "chat.transcript_messages",
        "stalking.analyses",
        "gift_ideas.gift_sessions",
        "gift_ideas.idea_waves",
        "reranking.waves",
        "reranking.products",
        "reranking.results",
    ] {
        assert!(rows.contains_key(table), "no {table} row before: {rows:#?}");
    }
}

/// No handler failed: nothing was retried, nothing dead-lettered.
async fn assert_no_handler_failed(app: &TestApp) {
    let broker = &app.harness.system.broker;
    let failing: BTreeMap<String, EventCounters> = broker
        .stats()
        .snapshot()
        .into_iter()
        .filter(|(_, c)| c.retried > 0 || c.dead_lettered > 0)
        .collect();
    assert!(failing.is_empty(), "handlers failed: {failing:#?}");
    assert!(broker.dead_letters(10).await.unwrap().is_empty());
}

/// How many services handled a `ChatDataErasedEvent`.
fn erasures_handled(app: &TestApp) -> u64 {
    app.harness
        .system
        .broker
        .stats()
        .snapshot()
        .get(ChatDataErasedEvent::NAME)
        .map_or(0, |c| c.consumed)
}

#[actix_rt::test]
async fn a_deleted_chat_leaves_no_row_in_any_database() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let databases = Databases::of(&app);
    assert_chat_tables_are_known(&databases).await;
    let api = Api::guest(&app).await;
    let chat_id = api
        .start(json!({
            "minPrice": 20,
            "maxPrice": 2000,
            "instagramUrl": "https://instagram.com/ania.biega",
        }))
        .await;
    api.interview(chat_id, saving_as("Ania")).await;
    assert_stored_everywhere(&databases, chat_id).await;
    let wave_ids = databases.waves_of(chat_id).await;
    assert!(databases.wave_requests_of(&wave_ids).await > 0);
    let profiles = api.get("/user-profiles").await.expect(200)["profiles"].clone();
    assert_eq!(profiles[0]["chatId"], json!(chat_id));

    api.delete(&format!("/chats/{chat_id}")).await.expect(204);
    let took = databases.until_gone(&[chat_id]).await;
    log::info!("chat {chat_id} erased everywhere in {took:?}");
    assert_eq!(databases.wave_requests_of(&wave_ids).await, 0);
    assert_eq!(
        databases.tombstones_of(chat_id).await,
        WITH_TOMBSTONES.into_iter().collect()
    );
    assert!(erasures_handled(&app) >= 5, "every service erased the chat");
    // The saved profile is the user's, not the chat's: it stays, unlinked.
    let profiles = api.get("/user-profiles").await.expect(200)["profiles"].clone();
    assert_eq!(profiles[0]["personName"], "Ania");
    assert_eq!(profiles[0]["chatId"], json!(null));
    // A deleted chat's id never starts a chat again (the services would ignore it).
    let again = json!({ "chatId": chat_id, "occasion": "birthday" });
    api.post("/restapi/stalking-request", again)
        .await
        .expect(409);
    assert_no_handler_failed(&app).await;
    app.stop().await;
}

#[actix_rt::test]
async fn deleting_the_account_erases_every_chat_everywhere() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let databases = Databases::of(&app);
    let api = Api::guest(&app).await;
    let first = api.start(json!({ "minPrice": 20, "maxPrice": 2000 })).await;
    api.interview(first, saving_as("Mama")).await;
    let second = api
        .start(json!({ "occasion": "holiday", "minPrice": 20, "maxPrice": 2000 }))
        .await;
    api.interview(second, first_suggestion).await;
    // Someone else's search, which must not be touched.
    let other = Api::guest(&app).await;
    let others = other
        .start(json!({ "minPrice": 20, "maxPrice": 2000 }))
        .await;
    other.interview(others, first_suggestion).await;
    let mut wave_ids = Vec::new();
    for chat_id in [first, second] {
        assert_stored_everywhere(&databases, chat_id).await;
        wave_ids.extend(databases.waves_of(chat_id).await);
    }

    api.delete("/auth/me").await.expect(204);
    api.get("/auth/me").await.expect(401);
    databases.until_gone(&[first, second]).await;
    assert_eq!(databases.wave_requests_of(&wave_ids).await, 0);
    for chat_id in [first, second] {
        assert_eq!(
            databases.tombstones_of(chat_id).await,
            WITH_TOMBSTONES.into_iter().collect()
        );
    }
    assert!(
        erasures_handled(&app) >= 10,
        "every service erased both chats"
    );
    assert_stored_everywhere(&databases, others).await;
    assert!(databases.tombstones_of(others).await.is_empty());
    other.get(&format!("/chats/{others}")).await.expect(200);
    assert_no_handler_failed(&app).await;
    app.stop().await;
}

/// Every event a search in flight could still deliver for `chat_id`, as if published
/// before the erasure and delivered after it: each one would recreate data if applied.
fn late_events(chat_id: Uuid) -> Vec<Envelope> {
    let price_range = PriceRange {
        min_price: Some(20.0),
        max_price: Some(2000.0),
    };
    let profile = RecipientProfile::default();
    let wave_id = Uuid::now_v7();
    let request_id = Uuid::now_v7();
    vec![
        Envelope::new(
            chat_id,
            &StalkingAnalyzeRequestedEvent {
                instagram_url: Some("https://instagram.com/ania.biega".into()),
                price_range,
                ..StalkingAnalyzeRequestedEvent::default()
            },
        ),
        Envelope::new(
            chat_id,
            &ChatStartInterviewEvent {
                occasion: Occasion::Birthday,
                locale: Locale::Pl,
                saved_profile: None,
                save_profile_name: None,
                saved_key_themes: Vec::new(),
                price_range,
            },
        ),
        Envelope::new(
            chat_id,
            &ChatUserAnsweredEvent {
                message_id: Uuid::now_v7(),
                content: "Lubi kawę".into(),
            },
        ),
        Envelope::new(
            chat_id,
            &StalkingCompletedEvent {
                facts: vec!["Biega".into()],
                sources: Vec::new(),
                completed_at: Utc::now(),
            },
        ),
        Envelope::new(
            chat_id,
            &ChatInterviewCompletedEvent {
                profile: profile.clone(),
                key_themes: vec!["kawa".into()],
                save_profile: false,
                profile_name: None,
            },
        ),
        Envelope::new(
            chat_id,
            &GiftGenerateRequestedEvent {
                wave_id,
                wave: 1,
                profile: profile.clone(),
                key_themes: vec!["kawa".into()],
                facts: Vec::new(),
                price_range,
                locale: Locale::Pl,
                feedback: None,
                round: 0,
                refinement: None,
            },
        ),
        Envelope::new(
            chat_id,
            &GiftContextInitializedEvent {
                wave_id,
                wave: 1,
                expected_fetches: vec![request_id],
                profile,
                key_themes: vec!["kawa".into()],
                facts: Vec::new(),
                price_range,
                locale: Locale::Pl,
                round: 0,
                refinement: None,
            },
        ),
        Envelope::new(
            chat_id,
            &ProductFetchedEvent {
                request_id,
                wave_id,
                provider: Marketplace::Catalog,
                success: true,
                products: vec![Product {
                    image: None,
                    title: "Młynek do kawy".into(),
                    description: "Ręczny".into(),
                    link: "https://allegro.pl/listing?string=mlynek".into(),
                    price: Price::pln(129.0),
                    category: None,
                    provider: Marketplace::Catalog,
                    details: ProductDetails::default(),
                }],
                error: None,
            },
        ),
        Envelope::new(
            chat_id,
            &GiftFinalizeRequestedEvent {
                reason: "deadline".into(),
            },
        ),
    ]
}

#[actix_rt::test]
async fn a_chat_deleted_mid_interview_stops_quietly_and_stays_gone() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let databases = Databases::of(&app);
    let api = Api::guest(&app).await;
    let chat_id = api
        .start(json!({ "instagramUrl": "https://instagram.com/ania.biega" }))
        .await;
    // The first question, answered; the chat is deleted while the answer is on its way.
    let mut events = SseClient::connect(&api.base, &api.token, chat_id, Some(0)).await;
    let question = loop {
        let frame = events.next_event(Duration::from_secs(30)).await;
        let data = frame.json();
        if frame.ui_type().as_deref() == Some("chatbot-message")
            && data["message"]["sender"] == "assistant"
        {
            break data["message"].clone();
        }
    };
    api.answer(chat_id, &[question], "To moja siostra")
        .await
        .expect(201);
    api.delete(&format!("/chats/{chat_id}")).await.expect(204);
    drop(events);
    databases.until_gone(&[chat_id]).await;
    assert_eq!(
        databases.tombstones_of(chat_id).await,
        WITH_TOMBSTONES.into_iter().collect()
    );

    // Whatever of the search was still in flight arrives now: it changes nothing.
    let late = late_events(chat_id);
    let late_count = late.len();
    for envelope in late {
        app.harness.system.broker.publish(envelope).await.unwrap();
    }
    let broker = &app.harness.system.broker;
    let consumed = |name: &str| {
        broker
            .stats()
            .snapshot()
            .get(name)
            .map_or(0, |c| c.consumed)
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while consumed(GiftFinalizeRequestedEvent::NAME) == 0
        || consumed(ProductFetchedEvent::NAME) == 0
        || consumed(ChatUserAnsweredEvent::NAME) < 2
    {
        assert!(
            Instant::now() < deadline,
            "the late events were not handled"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A short wait for anything they could have set off.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        databases.rows_of(chat_id).await,
        BTreeMap::new(),
        "{late_count} late events recreated data"
    );
    assert_no_handler_failed(&app).await;
    api.get(&format!("/chats/{chat_id}")).await.expect(404);
    app.stop().await;
}
