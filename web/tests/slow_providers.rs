//! Slow, hanging and crashing providers: a provider call holds no pooled connection and no
//! lock, so slow calls neither cap the sessions at the pool size nor block a chat's
//! deletion; a crash between the call and its commit repeats the call, never its effect; and
//! a provider that never answers is replaced by the embedded one for that step.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix::prelude::*;
use common::doubles::{
    GatedInterviewer, GatedScorer, HangingInterviewer, HangingScorer, SlowInterviewer, SlowScorer,
};
use common::{Harness, Search, fast_settings, until};
use diesel::prelude::*;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use present_finder_actors::broker::{BrokerHandle, ConsumerGroup, Deliver, HandlerError, Workload};
use present_finder_actors::events::{
    ChatQuestionAskedEvent, ChatStartInterviewEvent, ChatUserAnsweredEvent, Envelope, Event,
    GiftReadyEvent, ProductFetchedEvent, RegenerateIdeasLoopEvent,
};
use present_finder_actors::services::{Providers, ServiceName, Settings};
use present_finder_actors::testing::Transport;
use present_finder_schema::erasure::{chat_digest, erased_chats};
use present_finder_schema::messaging::{inbox, outbox};
use present_finder_schema::tables::{chat, reranking, restapi};
use present_finder_schema::{DbPool, ServiceDatabase};
use present_finder_web::driver::{Ending, FirstSuggestion, Follow, SessionOutcome};
use present_finder_web::restapi::commands;
use uuid::Uuid;

fn all_services() -> BTreeSet<ServiceName> {
    ServiceName::ALL.into_iter().collect()
}

/// Short interviews: these tests are about the calls, not the questions.
fn short_interviews() -> Settings {
    Settings {
        max_questions: 5,
        min_questions: 3,
        ..fast_settings()
    }
}

/// The number of gifts the session ended with (some).
fn assert_gifts(outcome: &SessionOutcome) -> usize {
    match &outcome.ending {
        Ending::Ready { gifts, .. } => {
            assert!(!gifts.is_empty(), "no gifts: {:#?}", outcome.events);
            gifts.len()
        }
        other => panic!("expected gifts, got {other:?}"),
    }
}

/// Eight sessions at once, every interview turn taking 300 ms, on pools of two connections:
/// all complete, and more turns were in flight at once than there are connections — a call
/// holding a connection would have capped them at two.
/// Whether the service of `pool`'s database has recorded the erasure of `chat_id`.
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
async fn slow_interview_turns_hold_no_connection() {
    // Eight searches at once on a busy machine: a wave may wait seconds for its first
    // answer, which must not cut it short.
    let settings = Settings {
        event_timeout: Duration::from_secs(20),
        session_deadline: Duration::from_secs(60),
        ..short_interviews()
    };
    let interviewer = Arc::new(SlowInterviewer::new(
        Duration::from_millis(300),
        settings.max_questions,
        settings.min_questions,
    ));
    let mut providers = Providers::embedded(&settings);
    providers.interviewer = interviewer.clone();
    let harness = Harness::start_pooled(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
        2,
    )
    .await;
    let searches = (0..8).map(|_| harness.search(Search::budget(50.0, 500.0), FirstSuggestion));
    let outcomes = futures_util::future::join_all(searches).await;
    for outcome in &outcomes {
        assert_gifts(outcome);
        assert!(outcome.questions.len() >= 3, "{:?}", outcome.questions);
    }
    let peak = AtomicUsize::load(&interviewer.peak, Ordering::SeqCst);
    assert!(
        peak > 2,
        "at most {peak} interview turns ran at once on two connections"
    );
    harness.stop().await;
}

/// A chat deleted while its first question is with the interviewer: the erasure does not
/// wait for the call, and when the call returns nothing of the chat comes back — no
/// interview, no transcript, no question published.
#[actix_rt::test]
async fn a_chat_deleted_during_an_interviewer_call_stays_gone() {
    let settings = fast_settings();
    let interviewer = Arc::new(GatedInterviewer::new(
        settings.max_questions,
        settings.min_questions,
    ));
    let mut providers = Providers::embedded(&settings);
    providers.interviewer = interviewer.clone();
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
    )
    .await;
    let restapi_ctx = harness.system.restapi().unwrap();
    let (user_id, chat_id) = harness.start_search(Search::default()).await;
    until("the interviewer is asked", async || {
        AtomicUsize::load(&interviewer.entered, Ordering::SeqCst) > 0
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
    assert_eq!(
        AtomicUsize::load(&interviewer.returned, Ordering::SeqCst),
        0,
        "the erasure happened while the call was in flight"
    );

    interviewer.open();
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
    assert_eq!(
        AtomicUsize::load(&interviewer.returned, Ordering::SeqCst),
        1
    );

    let mut conn = chat_db.get().await.unwrap();
    let interviews: i64 = chat::interviews::table
        .filter(chat::interviews::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let messages: i64 = chat::transcript_messages::table
        .filter(chat::transcript_messages::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let pending: i64 = outbox::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(
        (interviews, messages, pending),
        (0, 0, 0),
        "interviews, transcript messages and outbox events of the erased chat"
    );
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

/// The transaction storing the second question fails once, after the interviewer answered
/// (as a crash between the call and the commit would): the answer is redelivered, the
/// interviewer asked again, and exactly one second question is stored and shown.
#[actix_rt::test]
async fn a_crash_between_the_call_and_the_commit_repeats_only_the_call() {
    let settings = short_interviews();
    let interviewer = Arc::new(SlowInterviewer::new(
        Duration::from_millis(50),
        settings.max_questions,
        settings.min_questions,
    ));
    let mut providers = Providers::embedded(&settings);
    providers.interviewer = interviewer.clone();
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
    )
    .await;
    let chat_db = harness.databases.pool(ServiceDatabase::Chat);
    // The first attempt to store transcript message 3 (the second question) fails; a
    // sequence, unlike a table, keeps counting through the rollback.
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
                         RAISE EXCEPTION 'crashed between the interviewer call and the commit';
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
    assert_gifts(&outcome);
    assert_eq!(
        interviewer.calls_for_answer(1),
        2,
        "the redelivered first answer went to the interviewer again"
    );
    let answers = interviewer.answers.lock().unwrap().clone();
    for number in answers.iter().filter(|&&n| n != 1) {
        assert_eq!(
            interviewer.calls_for_answer(*number),
            1,
            "answer {number}: {answers:?}"
        );
    }
    let retried = harness
        .system
        .broker
        .stats()
        .snapshot()
        .get(ChatUserAnsweredEvent::NAME)
        .map_or(0, |c| c.retried);
    assert!(retried >= 1, "the failed answer was redelivered");

    let chat_id = first_chat(&harness).await;
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
    let questions = roles.iter().filter(|r| *r == "assistant").count();
    assert_eq!(
        outcome.questions.len(),
        questions,
        "{:?}",
        outcome.questions
    );
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = restapi_db.get().await.unwrap();
    let shown: i64 = restapi::messages::table
        .filter(restapi::messages::chat_id.eq(chat_id))
        .filter(restapi::messages::role.eq("assistant"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(shown, questions as i64, "questions stored by restapi");
    harness.stop().await;
}

/// The only chat of the test.
async fn first_chat(harness: &Harness) -> Uuid {
    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    restapi::chats::table
        .select(restapi::chats::chat_id)
        .first(&mut conn)
        .await
        .unwrap()
}

/// An interviewer and a scorer that never answer: each turn and the scoring time out, the
/// embedded interviewer asks every question and the embedded scorer scores; the search ends
/// with gifts.
#[actix_rt::test]
async fn providers_that_never_answer_are_replaced_by_the_embedded_ones() {
    let settings = Settings {
        interview_timeout: Duration::from_millis(300),
        scoring_timeout: Duration::from_millis(500),
        ..short_interviews()
    };
    let mut providers = Providers::embedded(&settings);
    providers.interviewer = Arc::new(HangingInterviewer);
    providers.scorer = Arc::new(HangingScorer);
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
    )
    .await;
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    assert_gifts(&outcome);
    assert!(outcome.questions.len() >= 3, "{:?}", outcome.questions);
    harness.stop().await;
}

/// Publishes every first copy of a ProductFetchedEvent once more, under a new id.
struct Duplicator {
    broker: BrokerHandle,
}

impl Actor for Duplicator {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Duplicator {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let broker = self.broker.clone();
        let original = deliver.envelope.as_ref().clone();
        Box::pin(async move {
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

/// Every answer arrives twice and scoring takes longer than a wave's quiet deadline, so the
/// last answer, its duplicate and the deadline sweep all score the same wave at once: one
/// of them finalises it, the others emit nothing — one regeneration at most, one result.
#[actix_rt::test]
async fn racing_finalisers_finish_each_wave_once() {
    // The quiet deadline leaves room for a loaded machine's first answers of a wave (at
    // 400 ms a busy test run once saw none in time, and the wave ended empty); scoring
    // still takes longer, so the finalisers race.
    let settings = Settings {
        event_timeout: Duration::from_millis(1_500),
        ..fast_settings()
    };
    let scorer = Arc::new(SlowScorer {
        delay: Duration::from_millis(3_000),
        calls: AtomicUsize::new(0),
    });
    let mut providers = Providers::embedded(&settings);
    providers.scorer = scorer.clone();
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
    )
    .await;
    let duplicator = Duplicator {
        broker: harness.system.broker.clone(),
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
    let delivered = assert_gifts(&outcome) as i64;

    let chat_id = first_chat(&harness).await;
    let reranking_db = harness.databases.pool(ServiceDatabase::Reranking);
    let mut conn = reranking_db.get().await.unwrap();
    let statuses: Vec<String> = reranking::waves::table
        .filter(reranking::waves::chat_id.eq(chat_id))
        .select(reranking::waves::status)
        .load(&mut conn)
        .await
        .unwrap();
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| s == "finalized"),
        "wave statuses {statuses:?}"
    );
    let calls = AtomicUsize::load(&scorer.calls, Ordering::SeqCst);
    assert!(
        calls > statuses.len(),
        "{calls} scorings of {} waves: no finalisers raced",
        statuses.len()
    );
    let stats = harness.system.broker.stats().snapshot();
    let published = |name: &str| stats.get(name).map_or(0, |c| c.published);
    assert!(
        published(RegenerateIdeasLoopEvent::NAME) <= 1,
        "regenerations: {}",
        published(RegenerateIdeasLoopEvent::NAME)
    );
    assert_eq!(published(GiftReadyEvent::NAME), 1);
    let restapi_db = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = restapi_db.get().await.unwrap();
    let listings: i64 = restapi::listings::table
        .filter(restapi::listings::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(listings, delivered);
    harness.stop().await;
}

/// A chat deleted while its wave is with the scorer: the erasure does not wait for the
/// call, and when the call returns the wave is not finalised — no result, nothing of the
/// chat left in the reranking database.
#[actix_rt::test]
async fn a_chat_deleted_during_scoring_stays_gone() {
    let settings = short_interviews();
    let scorer = Arc::new(GatedScorer::new());
    let mut providers = Providers::embedded(&settings);
    providers.scorer = scorer.clone();
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
    )
    .await;
    let restapi_ctx = harness.system.restapi().unwrap();
    let user_id = harness.guest().await;
    let chat_id = Uuid::now_v7();
    let (done, _outcome) = tokio::sync::oneshot::channel();
    harness
        .driver
        .send(Follow {
            chat_id,
            user_id,
            script: Box::new(FirstSuggestion),
            done,
        })
        .await
        .unwrap();
    commands::start_search(
        &restapi_ctx,
        user_id,
        Search::budget(50.0, 500.0).into_command(chat_id),
    )
    .await
    .unwrap();
    until("a wave is with the scorer", async || {
        AtomicUsize::load(&scorer.entered, Ordering::SeqCst) > 0
    })
    .await;

    assert!(
        commands::delete_chat(&restapi_ctx, user_id, chat_id)
            .await
            .unwrap()
    );
    let reranking_db = harness.databases.pool(ServiceDatabase::Reranking);
    until("the reranking service erased the chat", async || {
        is_erased(&reranking_db, chat_id).await
    })
    .await;
    assert_eq!(
        AtomicUsize::load(&scorer.returned, Ordering::SeqCst),
        0,
        "the erasure happened while the call was in flight"
    );

    scorer.open();
    until("the scorer answered", async || {
        AtomicUsize::load(&scorer.returned, Ordering::SeqCst) > 0
    })
    .await;
    // Handlers in flight finish and outboxes are flushed.
    harness.system.shutdown(Duration::from_secs(10)).await;
    let mut conn = reranking_db.get().await.unwrap();
    let waves: i64 = reranking::waves::table
        .filter(reranking::waves::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let products: i64 = reranking::products::table
        .filter(reranking::products::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let results: i64 = reranking::results::table
        .filter(reranking::results::chat_id.eq(chat_id))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        (waves, products, results),
        (0, 0, 0),
        "waves, products and results of the erased chat"
    );
    let stats = harness.system.broker.stats().snapshot();
    let published = |name: &str| stats.get(name).map_or(0, |c| c.published);
    assert_eq!(published(GiftReadyEvent::NAME), 0);
    assert_eq!(published(RegenerateIdeasLoopEvent::NAME), 0);
    harness.system.broker.delete_topology().await.unwrap();
}

/// Republishes every answer once more, under the same id (a redelivery).
struct Redeliverer {
    broker: BrokerHandle,
    seen: std::collections::HashSet<Uuid>,
}

impl Actor for Redeliverer {
    type Context = Context<Self>;
}

impl Handler<Deliver> for Redeliverer {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let broker = self.broker.clone();
        let envelope = deliver.envelope.as_ref().clone();
        let first = self.seen.insert(envelope.id);
        Box::pin(async move {
            if first {
                broker.publish(envelope).await?;
            }
            Ok(())
        })
    }
}

/// Every answer is delivered twice at once: both deliveries ask the interviewer, one stores
/// the turn, the other finds the event claimed — one question per answer.
#[actix_rt::test]
async fn an_answer_delivered_twice_at_once_asks_one_question() {
    let settings = short_interviews();
    let interviewer = Arc::new(SlowInterviewer::new(
        Duration::from_millis(300),
        settings.max_questions,
        settings.min_questions,
    ));
    let mut providers = Providers::embedded(&settings);
    providers.interviewer = interviewer.clone();
    let harness = Harness::start_custom(
        Transport::InProcess,
        settings,
        all_services(),
        Some(providers),
    )
    .await;
    let redeliverer = Redeliverer {
        broker: harness.system.broker.clone(),
        seen: std::collections::HashSet::new(),
    }
    .start();
    harness
        .system
        .broker
        .subscribe(
            ConsumerGroup::Broadcast,
            vec![ChatUserAnsweredEvent::NAME],
            redeliverer.recipient(),
            Workload::Database,
        )
        .await
        .unwrap();
    let outcome = harness
        .search(Search::budget(50.0, 500.0), FirstSuggestion)
        .await;
    assert_gifts(&outcome);
    let answers = interviewer.answers.lock().unwrap().clone();
    let distinct: BTreeSet<u32> = answers.iter().copied().collect();
    assert!(
        answers.len() > distinct.len(),
        "no answer was considered twice: {answers:?}"
    );

    let chat_id = first_chat(&harness).await;
    let chat_db = harness.databases.pool(ServiceDatabase::Chat);
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
    let questions = roles.iter().filter(|r| *r == "assistant").count();
    assert_eq!(
        outcome.questions.len(),
        questions,
        "{:?}",
        outcome.questions
    );
    harness.stop().await;
}
