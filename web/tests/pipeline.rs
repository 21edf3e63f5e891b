//! Whole gift searches through the real services and databases: the results fit the
//! recipient and the budget, and every failure ends in results or a failure event within
//! its deadline — never a hang, never duplicate listings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix::prelude::*;
use common::doubles::{DownMarketplace, FlakyScorer, HangingReader, SlowCatalog, SlowReader};
use common::until;
use common::{Harness, Search, fast_settings};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_actors::broker::{ConsumerGroup, Deliver, HandlerError, Workload};
use present_finder_actors::events::{Envelope, Event, ProductFetchedEvent};
use present_finder_actors::services::{Providers, ServiceName};
use present_finder_actors::testing::Transport;
use present_finder_actors::vocabulary::Marketplace;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::tables::{reranking, restapi};
use present_finder_web::driver::{AnswerScript, Ending, FirstSuggestion, Scripted, SessionOutcome};
use uuid::Uuid;

fn gifts(outcome: &SessionOutcome) -> &[serde_json::Value] {
    match &outcome.ending {
        Ending::Ready { gifts, .. } => gifts,
        other => panic!("expected gifts, got {other:?}"),
    }
}

fn text(gift: &serde_json::Value) -> String {
    format!(
        "{} {} {}",
        gift["title"], gift["description"], gift["category"]
    )
    .to_lowercase()
}

/// How many of the first `top` gifts mention one of `words`.
fn fitting(gifts: &[serde_json::Value], top: usize, words: &[&str]) -> usize {
    gifts
        .iter()
        .take(top)
        .filter(|g| words.iter().any(|w| text(g).contains(w)))
        .count()
}

fn assert_within(gifts: &[serde_json::Value], min: f64, max: f64) {
    for gift in gifts {
        let price = gift["price"]["value"].as_f64().unwrap();
        assert!(
            (min..=max).contains(&price),
            "{price} outside {min}–{max}: {}",
            gift["title"]
        );
    }
}

/// Answers the question whose text contains a key with its answer, others with the first
/// suggestion.
struct Responder(Vec<(&'static str, &'static str)>);

impl AnswerScript for Responder {
    fn answer(&mut self, question: &str, suggestions: &[String]) -> String {
        answer_from(&self.0, question)
            .unwrap_or_else(|| FirstSuggestion.answer(question, suggestions))
    }
}

/// Like [`Responder`], but "Nie wiem" to every other question: only what the script says
/// is known about the person.
struct Reticent(Vec<(&'static str, &'static str)>);

impl AnswerScript for Reticent {
    fn answer(&mut self, question: &str, _: &[String]) -> String {
        answer_from(&self.0, question).unwrap_or_else(|| "Nie wiem".to_owned())
    }
}

fn answer_from(script: &[(&'static str, &'static str)], question: &str) -> Option<String> {
    let question = question.to_lowercase();
    script
        .iter()
        .find(|(key, _)| question.contains(key))
        .map(|(_, answer)| (*answer).to_owned())
}

async fn coffee_loving_runner(transport: Transport) {
    let harness = Harness::start(transport).await;
    let outcome = harness
        .search(
            Search::budget(80.0, 400.0),
            Reticent(vec![
                ("dla kogo", "To moja partnerka"),
                ("kobieta", "Kobieta"),
                ("wieku", "Ma 30 lat"),
                ("sport", "Uwielbia biegać, startuje w półmaratonach"),
                ("biegani", "Startuje w półmaratonach"),
                (
                    "pije",
                    "Codziennie pije kawę, najlepiej z ekspresu przelewowego",
                ),
                ("kaw", "Z ekspresu przelewowego"),
                ("hobby", "Bieganie i dobra kawa"),
                ("nie lubi", "Nie lubi perfum"),
                ("już ma", "Ma już zegarek do biegania"),
                ("zapisać", "Nie"),
            ]),
        )
        .await;
    let gifts = gifts(&outcome);
    assert!(gifts.len() >= 5, "{} gifts", gifts.len());
    assert_within(gifts, 80.0, 400.0);
    let fit = fitting(gifts, 10, &["bieg", "kaw", "running", "coffee", "sport"]);
    assert!(fit >= 6, "only {fit} of the top 10 fit: {gifts:#?}");
    harness.stop().await;
}

#[actix_rt::test]
async fn coffee_loving_runner_in_process() {
    coffee_loving_runner(Transport::InProcess).await;
}

#[actix_rt::test]
async fn coffee_loving_runner_on_rabbitmq() {
    coffee_loving_runner(Transport::Amqp).await;
}

#[actix_rt::test]
async fn teenage_gamer() {
    let harness = Harness::start(Transport::InProcess).await;
    let outcome = harness
        .search(
            Search::budget(50.0, 600.0),
            Reticent(vec![
                ("dla kogo", "To mój młodszy brat"),
                ("wiek", "Ma 15 lat"),
                ("technolog", "Całymi dniami gra na konsoli i na komputerze"),
                ("gra", "Na konsoli i na PC, głównie gry akcji i Minecraft"),
                ("kultur", "Tylko gry komputerowe"),
                ("hobby", "Jego hobby to gry komputerowe"),
                ("wygląd", "Nie przywiązuje wagi do ubrań"),
                ("nie lubi", "Nie lubi książek"),
                ("już ma", "Ma już konsolę"),
                ("zapisać", "Nie"),
            ]),
        )
        .await;
    let gifts = gifts(&outcome);
    assert_within(gifts, 50.0, 600.0);
    let fit = fitting(
        gifts,
        10,
        &[
            "gra",
            "gier",
            "gaming",
            "konsol",
            "pad",
            "słuchawk",
            "mysz",
            "klawiatur",
            "minecraft",
            "gamer",
        ],
    );
    assert!(fit >= 6, "only {fit} of the top 10 fit a gamer: {gifts:#?}");
    harness.stop().await;
}

#[actix_rt::test]
async fn grandmother_who_gardens() {
    let harness = Harness::start(Transport::InProcess).await;
    let outcome = harness
        .search(
            Search::budget(30.0, 300.0),
            Reticent(vec![
                ("dla kogo", "To moja babcia"),
                ("kobieta", "Kobieta"),
                ("wieku", "Ma 78 lat"),
                (
                    "ogrod",
                    "Całe lato spędza w ogrodzie, hoduje róże i pomidory",
                ),
                ("najchętniej uprawia", "Róże i pomidory"),
                ("gotować", "Lubi piec ciasta dla wnuków"),
                ("piecze", "Ciasta dla wnuków"),
                ("hobby", "Ogród i pieczenie ciast"),
                ("nie lubi", "Nie przepada za elektroniką"),
                ("już ma", "Ma już konewkę i sekator"),
                ("zapisać", "Nie"),
            ]),
        )
        .await;
    let gifts = gifts(&outcome);
    assert_within(gifts, 30.0, 300.0);
    let fit = fitting(
        gifts,
        10,
        &[
            "ogrod",
            "ogród",
            "roślin",
            "kwiat",
            "róż",
            "nasion",
            "sadzon",
            "piecz",
            "ciast",
            "wypiek",
            "kuchn",
            "dom i ogród",
        ],
    );
    assert!(
        fit >= 6,
        "only {fit} of the top 10 fit a gardener: {gifts:#?}"
    );
    harness.stop().await;
}

/// Owned items are never recommended, and every product of every wave respects the budget.
#[actix_rt::test]
async fn owned_items_are_never_recommended_and_every_wave_keeps_the_budget() {
    let settings = common::fast_settings();
    let harness = Harness::start_with(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
    )
    .await;
    let outcome = harness
        .search(
            Search::budget(60.0, 350.0),
            Responder(vec![
                ("dla kogo", "Dla mojego męża"),
                ("wiek", "Ma 40 lat"),
                ("sport", "Biega maratony"),
                (
                    "już ma",
                    "Ma już zegarek sportowy i słuchawki bezprzewodowe",
                ),
                ("nie lubi", "Nie lubi perfum"),
            ]),
        )
        .await;
    let gifts = gifts(&outcome);
    for gift in gifts {
        let title = gift["title"].as_str().unwrap().to_lowercase();
        assert!(
            !title.contains("zegarek sportowy"),
            "owned item recommended: {title}"
        );
        assert!(
            !title.contains("perfum"),
            "disliked item recommended: {title}"
        );
    }
    let prices = harness.reranked_prices().await;
    assert!(!prices.is_empty());
    for price in prices.into_iter().flatten() {
        assert!(
            (60.0..=350.0).contains(&price),
            "a wave fetched a product at {price}"
        );
    }
    harness.stop().await;
}

/// The save-profile choice survives a profile analysis that finishes after the interview,
/// and the saved profile carries a later search.
#[actix_rt::test]
async fn saved_profile_is_kept_when_profiles_finish_last_and_reused_later() {
    let mut settings = fast_settings();
    settings.stalking_deadline = Duration::from_secs(20);
    let mut providers = Providers::embedded(&settings);
    providers.profile_reader = Arc::new(SlowReader {
        delay: Duration::from_secs(3),
        text: "Biegam maratony ☕ #coffeelover #running".into(),
    });
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
        Some(providers),
    )
    .await;
    let user = harness.guest().await;
    let search = Search {
        instagram_url: Some("https://instagram.com/ania.biega".into()),
        ..Search::budget(50.0, 400.0)
    };
    let outcome = harness
        .search_as(
            user,
            search,
            Responder(vec![
                ("zapisać profil", "Tak, chcę zapisać profil"),
                ("nazwać", "Ania"),
            ]),
        )
        .await;
    assert!(!gifts(&outcome).is_empty());
    // The profile analysis ended after the interview: the search waited for it.
    let interview_done = outcome
        .events
        .iter()
        .find(|(_, _, data)| data["type"] == "chat-interview-completed")
        .map(|(at, _, _)| *at)
        .unwrap();
    assert!(interview_done < Duration::from_secs(3));

    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    let (profile_id, name): (Uuid, String) = restapi::user_profiles::table
        .filter(restapi::user_profiles::user_id.eq(user))
        .select((
            restapi::user_profiles::id,
            restapi::user_profiles::person_name,
        ))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(name, "Ania");

    let again = harness
        .search_as(
            user,
            Search {
                profile_id: Some(profile_id),
                ..Search::budget(50.0, 400.0)
            },
            FirstSuggestion,
        )
        .await;
    assert!(!gifts(&again).is_empty());
    assert!(
        !again.questions[0].to_lowercase().contains("dla kogo"),
        "a saved profile skips the relationship question: {}",
        again.questions[0]
    );
    harness.stop().await;
}

#[actix_rt::test]
async fn inappropriate_request_ends_the_search_with_a_reason() {
    let harness = Harness::start(Transport::InProcess).await;
    let outcome = harness
        .search(
            Search::default(),
            Scripted::new(["Chcę mu kupić broń palną i amunicję"]),
        )
        .await;
    let Ending::Inappropriate { reason } = &outcome.ending else {
        panic!("expected a refusal, got {:?}", outcome.ending);
    };
    assert!(!reason.is_empty());
    harness.stop().await;
}

/// Profile reading that never answers: the search goes on after its deadline.
#[actix_rt::test]
async fn stalking_that_never_answers_does_not_hold_the_search() {
    let settings = fast_settings();
    let mut providers = Providers::embedded(&settings);
    providers.profile_reader = Arc::new(HangingReader);
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
        Some(providers),
    )
    .await;
    let outcome = harness
        .search(
            Search {
                instagram_url: Some("https://instagram.com/someone".into()),
                ..Search::default()
            },
            FirstSuggestion,
        )
        .await;
    assert!(!gifts(&outcome).is_empty());
    harness.stop().await;
}

/// One marketplace down: the search ends with the others' products.
#[actix_rt::test]
async fn a_failing_marketplace_does_not_fail_the_search() {
    let mut settings = fast_settings();
    settings.marketplaces = vec![Marketplace::Catalog, Marketplace::Olx];
    settings.provider_retries = 1;
    let mut providers = Providers::embedded(&settings);
    providers
        .marketplaces
        .insert(Marketplace::Olx, Arc::new(DownMarketplace));
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
        Some(providers),
    )
    .await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    let gifts = gifts(&outcome);
    assert!(!gifts.is_empty());
    assert!(gifts.iter().all(|g| g["provider"] == "catalog"));
    let pool = harness.databases.pool(ServiceDatabase::Reranking);
    let mut conn = pool.get().await.unwrap();
    let failed: i64 = reranking::wave_requests::table
        .filter(reranking::wave_requests::provider.eq("olx"))
        .filter(reranking::wave_requests::success.eq(false))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert!(failed > 0, "olx answered every request with a failure");
    harness.stop().await;
}

/// Nothing fits the budget: an empty result with a reason, not silence.
#[actix_rt::test]
async fn zero_products_is_a_result_with_a_reason() {
    let harness = Harness::start(Transport::InProcess).await;
    let outcome = harness
        .search(Search::budget(1.0, 2.0), FirstSuggestion)
        .await;
    assert!(gifts(&outcome).is_empty());
    let ready = outcome
        .events
        .iter()
        .find(|(_, _, data)| data["type"] == "gift-ready")
        .unwrap();
    assert!(
        ready.2["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{}",
        ready.2
    );
    harness.stop().await;
}

/// Republishes every ProductFetchedEvent it sees as a new message (a duplicate), and keeps
/// them for a late replay.
struct Duplicator {
    broker: present_finder_actors::broker::BrokerHandle,
    seen: Arc<Mutex<Vec<Envelope>>>,
}

impl Actor for Duplicator {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Duplicator {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let broker = self.broker.clone();
        let original = deliver.envelope.as_ref().clone();
        self.seen.lock().unwrap().push(original.clone());
        Box::pin(async move {
            // Only first copies are duplicated (not the duplicates themselves).
            if original.causation_id.is_some() {
                let event: ProductFetchedEvent = original.decode()?;
                broker
                    .publish(Envelope::new(original.chat_id, &event))
                    .await?;
            }
            Ok(())
        })
    }
}

async fn listing_count(harness: &Harness) -> i64 {
    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    restapi::listings::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap()
}

#[actix_rt::test]
async fn duplicated_and_late_product_answers_change_nothing() {
    let harness = Harness::start(Transport::InProcess).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let duplicator = Duplicator {
        broker: harness.system.broker.clone(),
        seen: seen.clone(),
    }
    .start();
    harness
        .system
        .broker
        .subscribe(
            ConsumerGroup::Broadcast,
            vec![ProductFetchedEvent::NAME],
            duplicator.recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    let delivered = gifts(&outcome).len() as i64;
    assert!(delivered > 0);
    assert_eq!(listing_count(&harness).await, delivered);

    // Late: every answer again, long after the result.
    let late: Vec<Envelope> = seen.lock().unwrap().clone();
    assert!(!late.is_empty());
    for envelope in late {
        let event: ProductFetchedEvent = envelope.decode().unwrap();
        harness
            .system
            .broker
            .publish(Envelope::new(envelope.chat_id, &event))
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        listing_count(&harness).await,
        delivered,
        "no duplicate listings"
    );
    let pool = harness.databases.pool(ServiceDatabase::Reranking);
    let mut conn = pool.get().await.unwrap();
    let results: i64 = reranking::results::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(results, 1, "the result was delivered once");
    harness.stop().await;
}

/// The scorer fails while scoring a wave (no transaction is open during the call): the
/// embedded scorer scores that wave instead, and the wave finishes once.
#[actix_rt::test]
async fn a_scorer_failing_mid_wave_is_replaced_and_the_wave_finishes_once() {
    let settings = fast_settings();
    let mut providers = Providers::embedded(&settings);
    let scorer = Arc::new(FlakyScorer {
        failures: 1,
        calls: AtomicUsize::new(0),
    });
    providers.scorer = scorer.clone();
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
        Some(providers),
    )
    .await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    let delivered = gifts(&outcome).len() as i64;
    assert!(delivered > 0);
    assert!(AtomicUsize::load(&scorer.calls, std::sync::atomic::Ordering::SeqCst) >= 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(listing_count(&harness).await, delivered);
    harness.stop().await;
}

/// On RabbitMQ, with reranking in a process of its own: that process stops mid-wave and a
/// new one takes over; the search completes once.
#[actix_rt::test]
async fn reranking_process_restarted_mid_wave_on_rabbitmq() {
    let mut settings = fast_settings();
    settings.event_timeout = Duration::from_secs(20);
    let mut providers = Providers::embedded(&settings);
    providers.marketplaces.insert(
        Marketplace::Catalog,
        Arc::new(SlowCatalog(Duration::from_millis(700))),
    );
    let without_reranking: BTreeSet<ServiceName> = ServiceName::ALL
        .into_iter()
        .filter(|s| *s != ServiceName::Reranking)
        .collect();
    let harness = Harness::start_custom(
        Transport::Amqp,
        settings.clone(),
        without_reranking,
        Some(providers),
    )
    .await;
    let reranking_only = |config: &present_finder_web::system::SystemConfig| {
        present_finder_web::system::SystemConfig {
            services: BTreeSet::from([ServiceName::Reranking]),
            providers: None,
            ..config.clone()
        }
    };
    let first =
        present_finder_web::system::RunningSystem::start(reranking_only(&harness.system_config))
            .await
            .unwrap();

    let search = {
        let harness = &harness;
        async move {
            harness
                .search(Search::budget(50.0, 500.0), FirstSuggestion)
                .await
        }
    };
    let restart = async {
        // Wait until the first answers are in, then stop the reranking process.
        let pool = harness.databases.pool(ServiceDatabase::Reranking);
        loop {
            let mut conn = pool.get().await.unwrap();
            let received: i64 = reranking::wave_requests::table
                .filter(reranking::wave_requests::received_at.is_not_null())
                .count()
                .get_result(&mut conn)
                .await
                .unwrap();
            if received > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        first.shutdown(Duration::from_secs(10)).await;
        drop(first);
        present_finder_web::system::RunningSystem::start(reranking_only(&harness.system_config))
            .await
            .unwrap()
    };
    let (outcome, second) = futures_util::join!(search, restart);
    let delivered = gifts(&outcome).len() as i64;
    assert!(delivered > 0);
    assert_eq!(listing_count(&harness).await, delivered);
    second.shutdown(Duration::from_secs(10)).await;
    harness.stop().await;
}

/// A gift session whose stored state cannot be read is not restarted from scratch nor left
/// to hang: the search fails at once with a message the person can retry from.
#[actix_rt::test]
async fn an_unreadable_session_fails_the_search_visibly() {
    use present_finder_schema::tables::gift_ideas::gift_sessions;

    let harness = Harness::start(Transport::InProcess).await;
    let (_, chat_id) = harness.start_search(Search::default()).await;

    // The session is open (the search started); its facts are then corrupted and its
    // deadline made due, so the next sweep reads it.
    let gift_ideas = harness.databases.pool(ServiceDatabase::GiftIdeas);
    let mut conn = gift_ideas.get().await.unwrap();
    until("the session opens and is corrupted", async || {
        let corrupted = diesel::update(gift_sessions::table.find(chat_id))
            .set((
                gift_sessions::facts.eq(serde_json::json!({"not": "a list"})),
                gift_sessions::session_deadline_at.eq(Some(chrono::Utc::now())),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
        corrupted == 1
    })
    .await;

    let reason = session_error_reason(&harness, chat_id).await;
    // Not the deadline's message: the unreadable state's own.
    assert!(reason.contains("po naszej stronie"), "{reason}");
    let status: String = gift_sessions::table
        .find(chat_id)
        .select(gift_sessions::status)
        .first(&mut gift_ideas.get().await.unwrap())
        .await
        .unwrap();
    assert_eq!(status, "failed");
    harness.stop().await;
}

/// Waits (up to 30 s) for the chat's `session-error` ui event; its reason.
async fn session_error_reason(harness: &Harness, chat_id: Uuid) -> String {
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = restapi_db.get().await.unwrap();
    let mut error: Option<serde_json::Value> = None;
    until(&format!("chat {chat_id} has a session error"), async || {
        error = restapi::ui_events::table
            .filter(restapi::ui_events::chat_id.eq(chat_id))
            .filter(restapi::ui_events::event_name.eq("session-error"))
            .select(restapi::ui_events::data)
            .first(&mut conn)
            .await
            .optional()
            .unwrap();
        error.is_some()
    })
    .await;
    let error = error.unwrap_or_default();
    error["reason"].as_str().unwrap_or_default().to_owned()
}

/// An interview whose interviewer state cannot be read back is not restarted from its first
/// question: the answer stops the search with a session error the person can retry from,
/// and no further question is asked.
#[actix_rt::test]
async fn an_unreadable_interview_fails_the_search_visibly() {
    use present_finder_schema::tables::chat::interviews;

    let harness = Harness::start(Transport::InProcess).await;
    let (user_id, chat_id) = harness.start_search(Search::default()).await;
    let restapi_service = harness.system.restapi().unwrap();

    // Once the first question is stored, its interviewer state is corrupted (a list where
    // the interviewer keeps an object).
    let chat_db = harness.databases.pool(ServiceDatabase::Chat);
    let mut conn = chat_db.get().await.unwrap();
    until("the first question is stored and corrupted", async || {
        let corrupted = diesel::update(interviews::table.find(chat_id))
            .filter(interviews::question_count.eq(1))
            .set(interviews::interviewer_state.eq(serde_json::json!(["not", "a", "state"])))
            .execute(&mut conn)
            .await
            .unwrap();
        corrupted == 1
    })
    .await;
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);
    let mut restapi_conn = restapi_db.get().await.unwrap();
    // The first question reached the restapi before the answer is sent (as in a browser).
    until("the first question reaches the restapi", async || {
        let questions: i64 = restapi::messages::table
            .filter(restapi::messages::chat_id.eq(chat_id))
            .count()
            .get_result(&mut restapi_conn)
            .await
            .unwrap();
        questions == 1
    })
    .await;
    present_finder_web::restapi::commands::answer(&restapi_service, user_id, chat_id, "Mama")
        .await
        .unwrap();

    let reason = session_error_reason(&harness, chat_id).await;
    assert!(reason.contains("po naszej stronie"), "{reason}");
    let (phase, question_count, pending): (String, i32, Option<Uuid>) = interviews::table
        .find(chat_id)
        .select((
            interviews::phase,
            interviews::question_count,
            interviews::pending_message_id,
        ))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        (phase.as_str(), question_count, pending),
        ("aborted", 1, None)
    );
    // The question and the answer; no question asked afresh.
    let messages: i64 = restapi::messages::table
        .filter(restapi::messages::chat_id.eq(chat_id))
        .count()
        .get_result(&mut restapi_conn)
        .await
        .unwrap();
    assert_eq!(messages, 2);
    let status: String = restapi::chats::table
        .find(chat_id)
        .select(restapi::chats::status)
        .first(&mut restapi_conn)
        .await
        .unwrap();
    assert_eq!(status, "failed");
    harness.stop().await;
}
