//! Several `serve` processes on the machine's RabbitMQ and PostgreSQL, behind nginx, as a
//! scaled-out deployment runs them: they share the searches, a chat's events follow the
//! browser to whichever process it reaches, services split over processes start in any
//! order, and a replica killed mid-search loses and duplicates nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_schema::ServiceDatabase;
use present_finder_web::driver::{AnswerScript, Ending, FirstSuggestion, Step, step_of};
use support::{
    Browser, Deployment, Nginx, SearchEnd, assert_log_holds_no_secret, consumed, free_port, ready,
    searches,
};

const SEARCHES: usize = 50;

fn direct(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// The search completed: results (possibly few, when deadlines cut it short) were shown.
fn assert_ready(end: &SearchEnd) {
    assert!(
        matches!(end.ending, Ending::Ready { .. }),
        "chat {} ended with {:?}",
        end.chat_id,
        end.ending
    );
}

/// Every event of the chat arrived once, in order.
fn assert_complete_stream(end: &SearchEnd) {
    let expected: Vec<i64> = (1..=end.seqs.len() as i64).collect();
    assert_eq!(end.seqs, expected, "chat {}", end.chat_id);
}

/// Waits, without blocking the event loop, until `condition` holds.
async fn until(what: &str, timeout: Duration, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !condition() {
        assert!(Instant::now() < deadline, "{what} within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[derive(diesel::QueryableByName)]
struct PerChat {
    #[diesel(sql_type = Text)]
    chat_id: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

async fn per_chat(deployment: &Deployment, query: &str) -> BTreeMap<String, i64> {
    let url = deployment.databases.url(ServiceDatabase::Restapi);
    let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
    diesel::sql_query(query)
        .load::<PerChat>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.chat_id, row.count))
        .collect()
}

/// Each search stored its results once: one `gift-ready`, and as many listings as it
/// showed.
async fn assert_stored_once(deployment: &Deployment, ends: &[SearchEnd]) {
    let ready = per_chat(
        deployment,
        "SELECT chat_id::text, count(*) AS count FROM ui_events \
         WHERE data->>'type' = 'gift-ready' GROUP BY chat_id",
    )
    .await;
    let listings = per_chat(
        deployment,
        "SELECT chat_id::text, count(*) AS count FROM listings GROUP BY chat_id",
    )
    .await;
    for end in ends {
        let chat = end.chat_id.to_string();
        if let Ending::Ready { gifts, .. } = &end.ending {
            assert_eq!(ready.get(&chat), Some(&1), "one gift-ready for {chat}");
            assert_eq!(
                listings.get(&chat).copied().unwrap_or(0),
                gifts.len() as i64,
                "{chat}"
            );
        }
    }
}

/// (a) Two full replicas behind nginx share 50 searches; a chat followed on one replica
/// continues on the other from `Last-Event-ID`.
#[actix_rt::test]
async fn two_replicas_share_the_searches_and_a_chat_follows_the_browser() {
    let (public, first, second) = (free_port(), free_port(), free_port());
    let mut deployment = Deployment::new(public).await;
    let first_replica = deployment.serve(first, "all").await;
    let second_replica = deployment.serve(second, "all").await;
    let nginx = Nginx::start(public, &[first, second]);

    let ends = searches(&nginx.url(), SEARCHES).await;
    for end in &ends {
        assert_ready(end);
        assert_complete_stream(end);
    }
    assert_stored_once(&deployment, &ends).await;
    for port in [first, second] {
        assert!(
            consumed(port, None) > 0,
            "the replica on {port} handled events"
        );
    }

    // One chat: its first questions on the first replica, the rest on the second one.
    let browser = Browser::guest(&nginx.url()).await.unwrap();
    let chat_id = browser.start().await.unwrap();
    let mut events = browser.at(&direct(first)).events(chat_id, 0).await.unwrap();
    let mut seqs = Vec::new();
    let mut answered = 0;
    while answered < 2 {
        let event = events.next(Duration::from_secs(60)).await.unwrap();
        seqs.push(event.seq);
        if let Step::Question {
            question,
            suggestions,
        } = step_of(&event.name, &event.data)
        {
            let answer = FirstSuggestion.answer(&question, &suggestions);
            browser.answer(chat_id, &answer).await.unwrap();
            answered += 1;
        }
    }
    drop(events);
    let end = browser
        .at(&direct(second))
        .follow(chat_id, seqs)
        .await
        .unwrap();
    assert_ready(&end);
    assert_complete_stream(&end);
    // What an operator's log collector would keep of all that: no credential.
    for replica in [&first_replica, &second_replica] {
        assert_log_holds_no_secret(replica, &[&browser.token]);
    }
    deployment.remove_broker_topology().await;
}

/// (b) The six services over three processes; the one running the search services starts
/// only once the searches are under way. Everything completes.
#[actix_rt::test]
async fn services_split_over_three_processes_started_in_any_order() {
    let (public, web, conversation, search) = (free_port(), free_port(), free_port(), free_port());
    let mut deployment = Deployment::new(public).await;
    let _web = deployment.serve(web, "restapi").await;
    let _conversation = deployment.serve(conversation, "chat,stalking").await;
    let nginx = Nginx::start(public, &[web]);

    let count = 10;
    let late_start = async {
        // Every interview has begun: the searches are under way without the search services.
        until("every interview began", Duration::from_secs(60), || {
            consumed(web, Some("ChatQuestionAskedEvent")) >= count as u64
        })
        .await;
        assert_eq!(consumed(web, Some("GiftReadyEvent")), 0);
        let mut process = deployment.spawn(search, "gift,gift-ideas,fetch,reranking");
        ready(&mut process, search).await;
        process
    };
    let base = nginx.url();
    let (ends, _search) = futures_util::join!(searches(&base, count), late_start);
    for end in &ends {
        assert_ready(end);
        assert_complete_stream(end);
    }
    assert_stored_once(&deployment, &ends).await;
    assert!(consumed(search, None) > 0);
    deployment.remove_broker_topology().await;
}

/// (c) One of two replicas is killed (SIGKILL) in the middle of 50 searches: every search
/// ends through the survivor (with its results, or a clean `session-error`), none twice.
#[actix_rt::test]
async fn a_replica_killed_mid_search_loses_and_duplicates_nothing() {
    let (public, doomed_port, survivor) = (free_port(), free_port(), free_port());
    let mut deployment = Deployment::new(public).await;
    let mut doomed = deployment.serve(doomed_port, "all").await;
    let _survivor = deployment.serve(survivor, "all").await;
    let nginx = Nginx::start(public, &[doomed_port, survivor]);

    let kill = async {
        // Mid-interviews: the replica holds deliveries and requests in flight.
        until(
            "answers flowed through the doomed replica",
            Duration::from_secs(60),
            || consumed(doomed_port, Some("ChatUserAnsweredEvent")) >= 40,
        )
        .await;
        doomed.kill();
    };
    let base = nginx.url();
    let (ends, ()) = futures_util::join!(searches(&base, SEARCHES), kill);

    let mut ready = 0;
    for end in &ends {
        match &end.ending {
            Ending::Ready { .. } => ready += 1,
            Ending::Failed { reason, .. } => assert!(!reason.is_empty()),
            other => panic!("{other:?}"),
        }
        assert_complete_stream(end);
    }
    assert!(
        ready > SEARCHES / 2,
        "{ready} of {SEARCHES} searches found gifts"
    );
    assert_stored_once(&deployment, &ends).await;
    deployment.remove_broker_topology().await;
}
