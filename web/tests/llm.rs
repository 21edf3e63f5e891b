//! Whole sessions with the LLM behind the interviewer and the scorer, against a scripted
//! OpenAI-compatible server (`common::llm_mock`) that checks what is sent: the model of each
//! task, the tools the server allows at each point of the interview, the transcript sent as
//! history, the scoring schema, and never the API key in a prompt. The model misbehaving —
//! broken JSON, a broken schema, 429s, 500s, silence, no `usage`, ignoring the question cap,
//! unknown product ids, or being down all along — never breaks a session: each step is
//! retried, then done by the embedded provider, and the session's summary says what it cost
//! and which steps fell back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use common::doubles::SlowReader;
use common::llm_mock::{
    self, API_KEY, Call, LlmMock, REASON, Task, ask, ok, scores, tool_reply, tool_reply_raw,
};
use common::{Harness, Search, fast_settings, until};
use diesel::prelude::*;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use present_finder_actors::events::{ChatQuestionAskedEvent, ChatStartInterviewEvent, Event};
use present_finder_actors::llm::{LlmClient, LlmConfig, counter_total};
use present_finder_actors::services::reranking::LlmScorer;
use present_finder_actors::services::reranking::ProductScorer;
use present_finder_actors::services::reranking::scorer::ScoringContext;
use present_finder_actors::services::{Providers, ServiceName, Settings};
use present_finder_actors::testing::Transport;
use present_finder_actors::vocabulary::{
    Locale, Marketplace, Price, PriceRange, Product, ProductDetails, RecipientProfile,
};
use present_finder_schema::erasure::{chat_digest, erased_chats};
use present_finder_schema::messaging::{inbox, outbox};
use present_finder_schema::tables::{chat, restapi};
use present_finder_schema::{DbPool, ServiceDatabase};
use present_finder_web::driver::{Ending, FirstSuggestion, Scripted, SessionOutcome};
use present_finder_web::restapi::commands;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::ResponseTemplate;

/// Short interviews: at least 3 questions, at most 5.
fn settings() -> Settings {
    Settings {
        max_questions: 5,
        min_questions: 3,
        ..fast_settings()
    }
}

async fn start(config: LlmConfig) -> Harness {
    let settings = settings();
    let providers = Providers::with_llm(&settings, config).unwrap();
    Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect::<BTreeSet<_>>(),
        Some(providers),
    )
    .await
}

fn gifts(outcome: &SessionOutcome) -> &[Value] {
    match &outcome.ending {
        Ending::Ready { gifts, .. } => {
            assert!(!gifts.is_empty(), "no gifts: {:#?}", outcome.events);
            gifts
        }
        other => panic!("expected gifts, got {other:?}"),
    }
}

/// The interview questions the mock asked (not the save-profile dialog).
fn mock_questions(outcome: &SessionOutcome) -> Vec<&String> {
    outcome
        .questions
        .iter()
        .filter(|q| q.starts_with("Pytanie "))
        .collect()
}

async fn only_chat(harness: &Harness) -> Uuid {
    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    restapi::chats::table
        .select(restapi::chats::chat_id)
        .first(&mut conn)
        .await
        .unwrap()
}

/// The `llmUsage` of the only chat's reasoning summary, once it has `steps` (the scoring's
/// usage may arrive after the result).
async fn llm_usage(harness: &Harness, steps: &[&str]) -> Value {
    let chat_id = only_chat(harness).await;
    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut usage = Value::Null;
    until("the summary has the usage of every step", async || {
        let mut conn = pool.get().await.unwrap();
        let summary: Option<Value> = restapi::chats::table
            .find(chat_id)
            .select(restapi::chats::reasoning_summary)
            .first(&mut conn)
            .await
            .unwrap();
        usage = summary
            .map(|s| s["llmUsage"].clone())
            .unwrap_or(Value::Null);
        steps.iter().all(|step| usage["steps"].get(step).is_some())
    })
    .await;
    usage
}

fn fell_back(usage: &Value) -> Vec<String> {
    usage["fellBack"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What every request must be: the task's model, no key in the body.
fn assert_well_formed(calls: &[Call], model: &str) {
    for call in calls {
        assert_eq!(call.body["model"], model, "{}", call.body);
        assert!(
            !call.body.to_string().contains(API_KEY),
            "the API key went into a prompt"
        );
    }
}

#[actix_rt::test]
async fn a_whole_session_through_the_llm_ends_with_ranked_gifts() {
    let mock = LlmMock::start().await;
    let settings = settings();
    let mut providers = Providers::with_llm(&settings, mock.config()).unwrap();
    providers.profile_reader = Arc::new(SlowReader {
        delay: Duration::ZERO,
        text: "Biegam maratony, kocham kawę. https://cdn.example.com/run.jpg".into(),
    });
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect::<BTreeSet<_>>(),
        Some(providers),
    )
    .await;
    let search = Search {
        instagram_url: Some("https://www.instagram.com/runner".into()),
        ..Search::budget(50.0, 500.0)
    };
    let outcome = harness.search(search, FirstSuggestion).await;
    let gifts = gifts(&outcome);
    assert!(
        gifts.iter().any(|g| g["reasoning"] == REASON),
        "the model's reasons are shown: {gifts:#?}"
    );
    let asked = mock_questions(&outcome);
    assert_eq!(
        asked,
        [
            &llm_mock::question(1),
            &llm_mock::question(2),
            &llm_mock::question(3)
        ]
    );

    let interview = mock.calls(Task::Interview);
    assert_eq!(interview.len(), 4, "three questions, then the finish");
    assert_well_formed(&interview, "model-interview");
    for (i, call) in interview.iter().enumerate() {
        // Before MIN_QUESTIONS the model may not finish; then it may.
        let expected: &[&str] = if i < 3 {
            &["ask_question", "flag_inappropriate"]
        } else {
            &["ask_question", "finish_interview", "flag_inappropriate"]
        };
        assert_eq!(call.tools(), expected, "call {}", i + 1);
        assert_eq!(call.body["tool_choice"], "required");
        assert_eq!(call.body["parallel_tool_calls"], false);
        assert_eq!(call.body["tools"][0]["function"]["strict"], true);
        let messages = call.body["messages"].as_array().unwrap();
        assert_eq!(messages[0]["role"], "system");
        assert_eq!(
            messages[0], interview[0].body["messages"][0],
            "the system prompt is the same every turn"
        );
        // The transcript: each earlier question, then the answer given (the first suggestion).
        assert_eq!(call.answers().len(), i, "call {}", i + 1);
        for (n, answer) in call.answers().iter().enumerate() {
            assert!(answer.starts_with("Lubi bieganie"), "{answer}");
            assert!(
                call.contents("assistant")[n].starts_with(&llm_mock::question(n + 1)),
                "{:?}",
                call.contents("assistant")
            );
        }
    }

    let scoring = mock.calls(Task::Scoring);
    assert!(!scoring.is_empty());
    assert_well_formed(&scoring, "model-scoring");
    for call in &scoring {
        let format = &call.body["response_format"];
        assert_eq!(format["type"], "json_schema");
        assert_eq!(format["json_schema"]["name"], "product_scores");
        assert_eq!(format["json_schema"]["strict"], true);
        let ids = call.product_ids();
        assert!(!ids.is_empty() && ids.len() <= 20, "{ids:?}");
        assert!(call.contents("user")[0].contains("budget: 50–500 PLN"));
    }
    let ideas = mock.calls(Task::Ideas);
    assert!(!ideas.is_empty());
    assert_well_formed(&ideas, "model-ideas");
    for call in &ideas {
        assert_eq!(
            call.body["response_format"]["json_schema"]["name"],
            "gift_ideas"
        );
        let schema = &call.body["response_format"]["json_schema"]["schema"];
        assert_eq!(
            schema["properties"]["queries"]["items"]["properties"]["shop"]["enum"],
            json!(["catalog"]),
            "only the marketplaces searched"
        );
        let user = call.contents("user").concat();
        assert!(user.contains("budget: 50–500 PLN") && user.contains("shops: catalog"));
    }
    let facts = mock.calls(Task::Facts);
    assert_eq!(facts.len(), 1);
    assert_well_formed(&facts, "model-facts");
    let content = &facts[0].body["messages"][1]["content"];
    assert!(
        content[0]["text"]
            .as_str()
            .unwrap()
            .contains("Biegam maratony")
    );
    assert_eq!(
        content[1]["image_url"]["url"],
        "https://cdn.example.com/run.jpg"
    );
    // Nothing else reached the server (a wrong path or key would not be answered).
    assert_eq!(
        mock.received().await.len(),
        interview.len() + scoring.len() + ideas.len() + facts.len()
    );

    let usage = llm_usage(&harness, &["interview", "facts", "ideas", "scoring"]).await;
    assert_eq!(usage["steps"]["interview"]["calls"], 4);
    assert_eq!(usage["steps"]["interview"]["promptTokens"], 4 * 300);
    // A wave scored by racing finalisers is accounted once, by the one that finalised it.
    let accounted = usage["steps"]["scoring"]["calls"].as_u64().unwrap();
    assert!(
        (1..=scoring.len() as u64).contains(&accounted),
        "{accounted} of {} scoring calls",
        scoring.len()
    );
    assert_eq!(usage["total"]["estimated"], false);
    assert!(fell_back(&usage).is_empty(), "{usage}");
    assert_eq!(
        counter_total(
            "llm_calls_total",
            &[("task", "interview"), ("outcome", "ok")]
        ),
        4
    );
    assert_eq!(
        counter_total(
            "llm_tokens_total",
            &[("task", "scoring"), ("kind", "completion")]
        ),
        60 * scoring.len() as u64
    );
    assert_eq!(counter_total("llm_fallbacks_total", &[]), 0);
    harness.stop().await;
}

#[actix_rt::test]
async fn a_model_ignoring_the_question_cap_is_stopped_by_the_server() {
    // The model asks and asks, even when asking is no longer among its tools.
    let mock = LlmMock::scripted(|call| {
        (call.task == Task::Interview).then(|| ok(ask(call.answers().len() + 1)))
    })
    .await;
    let harness = start(mock.config()).await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    assert_eq!(mock_questions(&outcome).len(), 5, "MAX_QUESTIONS");
    let interview = mock.calls(Task::Interview);
    let last = interview.last().unwrap();
    assert_eq!(last.tools(), ["finish_interview", "flag_inappropriate"]);
    assert_eq!(last.body["tool_choice"], "required");
    // Five questions, then the finish asked for twice (a reply breaking the rule is asked
    // for once more) before the server concluded from the transcript.
    assert_eq!(interview.len(), 7);
    let usage = llm_usage(&harness, &["interview", "scoring"]).await;
    assert_eq!(fell_back(&usage), ["interview"]);
    assert_eq!(
        counter_total("llm_fallbacks_total", &[("task", "interview")]),
        1
    );
    harness.stop().await;
}

#[actix_rt::test]
async fn an_inappropriate_request_ends_the_search_with_the_models_reason() {
    let mock = LlmMock::scripted(|call| {
        (call.task == Task::Interview && call.number == 2).then(|| {
            ok(tool_reply(
                "flag_inappropriate",
                json!({"reason": "Nie pomagamy w wyborze broni."}),
            ))
        })
    })
    .await;
    let harness = start(mock.config()).await;
    let outcome = harness
        .search(Search::default(), Scripted::new(["Chcę kupić mu broń"]))
        .await;
    match &outcome.ending {
        Ending::Inappropriate { reason } => assert_eq!(reason, "Nie pomagamy w wyborze broni."),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let second = &mock.calls(Task::Interview)[1];
    assert_eq!(second.answers(), ["Chcę kupić mu broń"]);
    assert!(mock.calls(Task::Scoring).is_empty());
    harness.stop().await;
}

/// The first interview reply is `first`; everything else is well-behaved. The session goes
/// on with the model's questions, none from the embedded interviewer.
async fn recovers_from_a_first_reply(
    first: ResponseTemplate,
    config: impl Fn(&LlmMock) -> LlmConfig,
) -> (LlmMock, Harness, SessionOutcome) {
    let first = std::sync::Mutex::new(Some(first));
    let mock = LlmMock::scripted(move |call| {
        (call.task == Task::Interview && call.number == 1)
            .then(|| first.lock().unwrap().take())
            .flatten()
    })
    .await;
    let harness = start(config(&mock)).await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    assert_eq!(mock_questions(&outcome).len(), 3, "{:?}", outcome.questions);
    assert_eq!(outcome.questions[0], llm_mock::question(1));
    assert_eq!(
        mock.calls(Task::Interview).len(),
        5,
        "the first call repeated once"
    );
    let usage = llm_usage(&harness, &["interview", "scoring"]).await;
    assert!(fell_back(&usage).is_empty(), "{usage}");
    (mock, harness, outcome)
}

#[actix_rt::test]
async fn invalid_json_is_asked_for_again() {
    let broken = ok(tool_reply_raw(
        "ask_question",
        "{\"question\": \"Ile ma lat",
    ));
    let (_, harness, _) = recovers_from_a_first_reply(broken, LlmMock::config).await;
    harness.stop().await;
}

#[actix_rt::test]
async fn a_reply_breaking_the_schema_is_asked_for_again() {
    // A select question with three answers instead of four.
    let three = ok(tool_reply(
        "ask_question",
        json!({"question": "Hobby?", "kind": "select", "answers": [
            {"answerFullSentence": "a", "answerShortForm": "a"},
            {"answerFullSentence": "b", "answerShortForm": "b"},
            {"answerFullSentence": "c", "answerShortForm": "c"}
        ]}),
    ));
    let (_, harness, _) = recovers_from_a_first_reply(three, LlmMock::config).await;
    harness.stop().await;
}

#[actix_rt::test]
async fn a_429_is_retried_after_its_retry_after() {
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(json!({"error": {"message": "Rate limit reached", "type": "tokens", "code": "rate_limit_exceeded"}}));
    let (mock, harness, _) = recovers_from_a_first_reply(limited, LlmMock::config).await;
    let interview = mock.calls(Task::Interview);
    let waited = interview[1].at - interview[0].at;
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
    assert_eq!(
        counter_total(
            "llm_calls_total",
            &[("task", "interview"), ("outcome", "error")]
        ),
        1
    );
    harness.stop().await;
}

#[actix_rt::test]
async fn server_errors_are_retried() {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    // The first two interview calls fail with 500 and 503; the retries (two) get through.
    let mock = LlmMock::scripted(move |call| {
        (call.task == Task::Interview && call.number <= 2).then(|| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(if call.number == 1 { 500 } else { 503 })
                .set_body_json(json!({"error": {"message": "overloaded", "type": "server_error"}}))
        })
    })
    .await;
    let harness = start(mock.config()).await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    assert_eq!(outcome.questions[0], llm_mock::question(1));
    assert_eq!(mock.calls(Task::Interview).len(), 6);
    let usage = llm_usage(&harness, &["interview", "scoring"]).await;
    assert!(fell_back(&usage).is_empty(), "{usage}");
    assert_eq!(
        usage["steps"]["interview"]["calls"], 4,
        "failed attempts cost nothing"
    );
    harness.stop().await;
}

#[actix_rt::test]
async fn a_reply_slower_than_the_timeout_is_abandoned_and_retried() {
    let slow = ok(ask(1)).set_delay(Duration::from_secs(3));
    let (mock, harness, _) = recovers_from_a_first_reply(slow, |mock| LlmConfig {
        timeout: Duration::from_millis(800),
        ..mock.config()
    })
    .await;
    let interview = mock.calls(Task::Interview);
    let waited = interview[1].at - interview[0].at;
    assert!(
        waited >= Duration::from_millis(800) && waited < Duration::from_secs(3),
        "retried after {waited:?}"
    );
    harness.stop().await;
}

#[actix_rt::test]
async fn replies_without_usage_are_counted_by_estimate() {
    let mock = LlmMock::without_usage().await;
    let harness = start(mock.config()).await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    let usage = llm_usage(&harness, &["interview", "scoring"]).await;
    assert_eq!(usage["total"]["estimated"], true);
    // Characters / 4 of the request as sent.
    let first = &mock.calls(Task::Interview)[0];
    let estimate = first.body.to_string().chars().count().div_ceil(4) as u64;
    let prompt = usage["steps"]["interview"]["promptTokens"]
        .as_u64()
        .unwrap();
    assert!(prompt >= estimate, "{prompt} < {estimate}");
    assert!(
        usage["steps"]["scoring"]["completionTokens"]
            .as_u64()
            .unwrap()
            > 0
    );
    harness.stop().await;
}

#[actix_rt::test]
async fn unknown_ids_are_ignored_and_missing_products_asked_for_again() {
    // The first scoring answer leaves out its first product and scores one that was not
    // asked for.
    let mock = LlmMock::scripted(|call| {
        (call.task == Task::Scoring && call.number == 1).then(|| {
            let mut ids = call.product_ids();
            ids.remove(0);
            ids.push("999".into());
            ok(scores(&ids, 8))
        })
    })
    .await;
    let harness = start(mock.config()).await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    let scoring = mock.calls(Task::Scoring);
    let first = scoring.iter().find(|c| c.number == 1).unwrap();
    let again: Vec<&Call> = scoring
        .iter()
        .filter(|c| c.product_ids() == [first.product_ids()[0].clone()])
        .collect();
    assert_eq!(again.len(), 1, "the missing product alone, once");
    let usage = llm_usage(&harness, &["interview", "scoring"]).await;
    assert!(fell_back(&usage).is_empty(), "{usage}");
    harness.stop().await;
}

#[actix_rt::test]
async fn with_the_llm_down_all_along_the_session_completes_embedded_and_says_so() {
    let mock = LlmMock::scripted(|_| {
        Some(ResponseTemplate::new(503).set_body_json(json!({"error": {"message": "down"}})))
    })
    .await;
    let harness = start(mock.config()).await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    assert!(
        mock_questions(&outcome).is_empty(),
        "the embedded interviewer asked: {:?}",
        outcome.questions
    );
    let usage = llm_usage(&harness, &["interview", "ideas", "scoring"]).await;
    assert_eq!(
        fell_back(&usage),
        ["interview", "ideas", "scoring"],
        "{usage}"
    );
    assert_eq!(usage["total"]["calls"], 0);
    assert!(counter_total("llm_fallbacks_total", &[("task", "interview")]) >= 3);
    assert!(counter_total("llm_calls_total", &[("outcome", "error")]) >= 9);
    harness.stop().await;
}

async fn is_erased(pool: &DbPool, chat_id: Uuid) -> bool {
    let mut conn = pool.get().await.unwrap();
    let erased: i64 = erased_chats::table
        .filter(erased_chats::chat_digest.eq(chat_digest(chat_id)))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    erased > 0
}

#[actix_rt::test]
async fn a_chat_deleted_while_the_model_thinks_stays_gone() {
    let mock = LlmMock::scripted(|call| {
        (call.task == Task::Interview).then(|| ok(ask(1)).set_delay(Duration::from_millis(1500)))
    })
    .await;
    let harness = start(mock.config()).await;
    let restapi_ctx = harness.system.restapi().unwrap();
    let (user_id, chat_id) = harness.start_search(Search::default()).await;
    until("the model is asked", async || {
        !mock.calls(Task::Interview).is_empty()
    })
    .await;
    assert!(
        commands::delete_chat(&restapi_ctx, user_id, chat_id)
            .await
            .unwrap()
    );
    let chat_db = harness.databases.pool(ServiceDatabase::Chat);
    until("the chat service erased the chat", async || {
        is_erased(&chat_db, chat_id).await
    })
    .await;
    until("the start event is settled", async || {
        let mut conn = chat_db.get().await.unwrap();
        let settled: i64 = inbox::table
            .filter(inbox::consumer.eq("chat"))
            .filter(inbox::event_type.eq(ChatStartInterviewEvent::NAME))
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        settled > 0
    })
    .await;
    let mut conn = chat_db.get().await.unwrap();
    let interviews: i64 = chat::interviews::table
        .filter(chat::interviews::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let pending: i64 = outbox::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!((interviews, pending), (0, 0));
    let asked = harness
        .system
        .broker
        .stats()
        .snapshot()
        .get(ChatQuestionAskedEvent::NAME)
        .map_or(0, |c| c.published);
    assert_eq!(asked, 0, "a question of the erased chat was published");
    harness.stop().await;
}

#[actix_rt::test]
async fn a_crash_between_the_models_answer_and_the_commit_asks_once() {
    let mock = LlmMock::start().await;
    let harness = start(mock.config()).await;
    let chat_db = harness.databases.pool(ServiceDatabase::Chat);
    // The first attempt to store the second question fails, as a crash would.
    chat_db
        .get()
        .await
        .unwrap()
        .batch_execute(
            "CREATE SEQUENCE crash_once;
             CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF NEW.role = 'assistant' AND NEW.seq = 3 THEN
                     IF nextval('crash_once') = 1 THEN
                         RAISE EXCEPTION 'crashed between the model''s answer and the commit';
                     END IF;
                 END IF;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER crash_once BEFORE INSERT ON transcript_messages
                 FOR EACH ROW EXECUTE FUNCTION crash_once();",
        )
        .await
        .unwrap();
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    gifts(&outcome);
    let interview = mock.calls(Task::Interview);
    let after_first_answer = interview.iter().filter(|c| c.answers().len() == 1).count();
    assert_eq!(
        after_first_answer, 2,
        "the redelivered answer went to the model again"
    );
    assert_eq!(
        mock_questions(&outcome),
        [
            &llm_mock::question(1),
            &llm_mock::question(2),
            &llm_mock::question(3)
        ],
        "no question twice"
    );
    let chat_id = only_chat(&harness).await;
    let mut conn = chat_db.get().await.unwrap();
    let roles: Vec<String> = chat::transcript_messages::table
        .filter(chat::transcript_messages::chat_id.eq(chat_id))
        .order(chat::transcript_messages::seq)
        .select(chat::transcript_messages::role)
        .load(&mut conn)
        .await
        .unwrap();
    for (i, role) in roles.iter().enumerate() {
        let expected = if i % 2 == 0 { "assistant" } else { "user" };
        assert_eq!(role, expected, "transcript roles {roles:?}");
    }
    harness.stop().await;
}

/// A wave of 100 candidates: the model sees the 60 the embedded scorer ranks best
/// (`LLM_SCORING_MAX`), in three batches of 20, each product once; the other 40 keep the
/// embedded assessment. Scored again, the wave costs no call.
#[actix_rt::test]
async fn the_model_scores_at_most_llm_scoring_max_products_of_a_wave() {
    let mock = LlmMock::start().await;
    let client = LlmClient::new(mock.config()).unwrap();
    let scorer = LlmScorer::new(client, Duration::from_secs(30));
    let products: Vec<Product> = (0..100)
        .map(|i| Product {
            image: None,
            // The even ones fit the profile, the odd ones do not.
            title: if i % 2 == 0 {
                format!("Buty do biegania model {i}")
            } else {
                format!("Zestaw śrubek {i}")
            },
            description: String::new(),
            link: format!("https://example.com/{i}"),
            price: Price::pln(100.0),
            category: None,
            provider: Marketplace::Catalog,
            details: ProductDetails::default(),
        })
        .collect();
    let profile = RecipientProfile::default();
    let themes = vec!["bieganie".to_owned(), "buty do biegania".to_owned()];
    let context = ScoringContext {
        profile: &profile,
        key_themes: &themes,
        facts: &[],
        price_range: PriceRange {
            min_price: Some(50.0),
            max_price: Some(200.0),
        },
        locale: Locale::Pl,
    };
    let assessments = scorer.assess(&context, &products).await.unwrap();
    assert_eq!(assessments.len(), 100);
    let calls = mock.calls(Task::Scoring);
    assert_eq!(calls.len(), 3);
    let mut ids: Vec<usize> = calls
        .iter()
        .flat_map(|c| c.product_ids())
        .map(|id| id.parse().unwrap())
        .collect();
    assert!(calls.iter().all(|c| c.product_ids().len() == 20));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 60, "each product once");
    // Every fitting product made the cut (ids are 1-based: product i is id i + 1).
    for i in (0..100).step_by(2) {
        assert!(ids.contains(&(i + 1)), "product {i} was not sent");
    }
    let by_model = assessments.iter().filter(|a| a.reasoning == REASON).count();
    assert_eq!(by_model, 60);
    for i in ids {
        assert_eq!(assessments[i - 1].score, 8.0);
    }
    // The wave scored again (as when products arrive meanwhile): nothing is asked twice.
    let again = scorer.assess(&context, &products).await.unwrap();
    assert_eq!(again, assessments);
    assert_eq!(mock.calls(Task::Scoring).len(), 3);
}
