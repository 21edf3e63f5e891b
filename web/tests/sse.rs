//! `GET /sse`, black-box over HTTP: authentication and ownership, the wire format, replay
//! after a reconnect, delivery across instances, slow clients and keep-alive comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use api_client::sse::{Frame, SseClient};
use common::{Search, TestApp};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use present_finder_actors::broker::outbox::{self, Kick};
use present_finder_actors::events::{
    Envelope, Event, GiftReadyEvent, GiftSessionFailedEvent, GiftSessionProgressEvent,
    ProfileSummary,
};
use present_finder_actors::services::ServiceContext;
use present_finder_actors::testing::Transport;
use present_finder_actors::vocabulary::Stage;
use present_finder_schema::tables::restapi::{chats, ui_events};
use present_finder_web::http::WebConfig;
use present_finder_web::http::auth::{Role, tokens};
use present_finder_web::restapi::commands;
use present_finder_web::restapi::ui;
use serde_json::{Value, json};
use uuid::Uuid;

/// How long one event of a running search may take to arrive.
const EVENT_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------
// Users, chats and the interview.

struct User {
    id: Uuid,
    token: String,
}

async fn user(app: &TestApp) -> User {
    let mut conn = restapi(app).pool.get().await.unwrap();
    let id = commands::create_guest(&mut conn).await.unwrap();
    let token = tokens::issue_access(
        &app.state.config,
        tokens::Bearer {
            user_id: id,
            role: Role::User,
            guest: true,
            generation: 0,
        },
    )
    .unwrap();
    User { id, token }
}

fn restapi(app: &TestApp) -> ServiceContext {
    app.harness.system.restapi().unwrap()
}

/// Starts a gift search of `user` through `app` and returns its chat id.
async fn start_search(app: &TestApp, user: &User) -> Uuid {
    let chat_id = Uuid::now_v7();
    let request = Search::budget(50.0, 400.0).into_command(chat_id);
    commands::start_search(&restapi(app), user.id, request)
        .await
        .unwrap();
    chat_id
}

/// An instance with one user whose search has started: the app, the user, the chat id.
async fn a_started_search() -> (TestApp, User, Uuid) {
    let app = TestApp::spawn_with(Transport::InProcess, config()).await;
    let owner = user(&app).await;
    let chat_id = start_search(&app, &owner).await;
    (app, owner, chat_id)
}

/// A chat of `user` whose search never runs: the row alone, for events of the test's making.
async fn quiet_chat(app: &TestApp, user: &User) -> Uuid {
    let chat_id = Uuid::now_v7();
    let mut conn = restapi(app).pool.get().await.unwrap();
    diesel::insert_into(chats::table)
        .values((
            chats::chat_id.eq(chat_id),
            chats::user_id.eq(user.id),
            chats::chat_name.eq("Cisza"),
            chats::occasion.eq("birthday"),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    chat_id
}

/// The sequence number of the chat's latest ui event.
async fn latest_seq(app: &TestApp, chat_id: Uuid) -> i64 {
    let mut conn = restapi(app).pool.get().await.unwrap();
    chats::table
        .find(chat_id)
        .select(chats::last_ui_event_seq)
        .first(&mut conn)
        .await
        .unwrap()
}

async fn wait_for_seq(app: &TestApp, chat_id: Uuid, seq: i64) {
    let deadline = Instant::now() + EVENT_TIMEOUT;
    while latest_seq(app, chat_id).await < seq {
        assert!(
            Instant::now() < deadline,
            "chat {chat_id} never reached event {seq}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An interviewer's question (a `chatbot-message` from the assistant): its suggested answer.
fn question(frame: &Frame) -> Option<String> {
    if frame.event.as_deref() != Some("ui-update") {
        return None;
    }
    let data = frame.json();
    if data["type"] != "chatbot-message" || data["message"]["sender"] != "assistant" {
        return None;
    }
    Some(
        data["message"]["potentialAnswers"]["answers"][0]["answerFullSentence"]
            .as_str()
            .unwrap_or("Lubi biegać i pić kawę")
            .to_owned(),
    )
}

fn is_gift_ready(frame: &Frame) -> bool {
    frame.event.as_deref() == Some("ui-update") && frame.json()["type"] == "gift-ready"
}

fn assert_not_failed(frame: &Frame) {
    assert_ne!(
        frame.event.as_deref(),
        Some("session-error"),
        "the search failed: {:?}",
        frame.data
    );
    assert!(
        frame.json()["type"] != "chat-inappropriate-request",
        "the search was refused: {:?}",
        frame.data
    );
}

/// Follows `client` to `gift-ready`, answering every question through `answer_on`.
async fn answer_to_the_end(
    client: &mut SseClient,
    answer_on: &TestApp,
    user: &User,
    chat_id: Uuid,
    seen: &mut Vec<Frame>,
) {
    loop {
        let frame = client.next_event(EVENT_TIMEOUT).await;
        assert_not_failed(&frame);
        seen.push(frame.clone());
        if let Some(answer) = question(&frame) {
            commands::answer(&restapi(answer_on), user.id, chat_id, &answer)
                .await
                .unwrap();
        }
        if is_gift_ready(&frame) {
            return;
        }
    }
}

/// The sequence numbers of `frames` are exactly 1, 2, …, n.
fn assert_contiguous(frames: &[Frame]) {
    let seqs: Vec<i64> = frames.iter().map(|f| f.seq().unwrap()).collect();
    let expected: Vec<i64> = (1..=seqs.len() as i64).collect();
    assert_eq!(
        seqs, expected,
        "gaps, duplicates or disorder in the event ids"
    );
}

/// The test configuration, with keep-alive comments every second. A server notices that a
/// client went away only when it next writes to it, so this also lets the servers stop
/// quickly at the end of a test.
fn config() -> WebConfig {
    WebConfig {
        sse_keep_alive: Duration::from_secs(1),
        ..WebConfig::for_tests()
    }
}

async fn status(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn problem_field(body: &Value) -> &str {
    body["details"][0]["field"].as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------

#[actix_rt::test]
async fn only_the_owner_can_follow_a_chat() {
    let app = TestApp::spawn_with(Transport::InProcess, config()).await;
    let owner = user(&app).await;
    let stranger = user(&app).await;
    let chat_id = start_search(&app, &owner).await;
    let http = reqwest::Client::new();
    let url = |query: &str| app.url(&format!("/sse{query}"));

    let (code, _) = status(http.get(url(&format!("?clientId={chat_id}")))).await;
    assert_eq!(code, 401, "no token");
    let (code, _) = status(
        http.get(url(&format!("?clientId={chat_id}")))
            .bearer_auth("not-a-token"),
    )
    .await;
    assert_eq!(code, 401, "a bad token");
    let (code, _) = status(
        http.get(url(&format!("?clientId={chat_id}")))
            .bearer_auth(&stranger.token),
    )
    .await;
    assert_eq!(code, 404, "another user's chat");
    let (code, _) = status(
        http.get(url(&format!("?clientId={}", Uuid::now_v7())))
            .bearer_auth(&owner.token),
    )
    .await;
    assert_eq!(code, 404, "no such chat");

    for query in ["?clientId=not-a-uuid", "", "?clientId="] {
        let (code, body) = status(http.get(url(query)).bearer_auth(&owner.token)).await;
        assert_eq!(code, 400, "{query}");
        assert_eq!(problem_field(&body), "clientId", "{query}: {body}");
    }
    let (code, body) = status(
        http.get(url(&format!("?clientId={chat_id}")))
            .bearer_auth(&owner.token)
            .header("Last-Event-ID", "seven"),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(problem_field(&body), "Last-Event-ID", "{body}");
    let (code, body) = status(
        http.get(url(&format!("?clientId={chat_id}&lastEventId=-1")))
            .bearer_auth(&owner.token),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(problem_field(&body), "lastEventId", "{body}");

    // The cookie works as well as the bearer token.
    let client = SseClient::open(
        http.get(url(&format!("?clientId={chat_id}")))
            .header("Cookie", format!("access_token={}", owner.token)),
    )
    .await;
    drop(client);
    app.stop().await;
}

#[actix_rt::test]
async fn retry_first_then_the_whole_history_from_cursor_zero_with_ids() {
    let (app, owner, chat_id) = a_started_search().await;
    // Connect only after the first question was recorded: from cursor 0 it is delivered.
    wait_for_seq(&app, chat_id, 1).await;

    let mut client = SseClient::connect(&app.address, &owner.token, chat_id, Some(0)).await;
    let first = client.next(EVENT_TIMEOUT).await.unwrap();
    assert_eq!(
        first.retry,
        Some(3000),
        "the first message is retry: {first:?}"
    );
    let mut events = Vec::new();
    let question = loop {
        let frame = client.next_event(EVENT_TIMEOUT).await;
        assert_not_failed(&frame);
        events.push(frame.clone());
        if question(&frame).is_some() {
            break frame;
        }
    };
    assert_contiguous(&events);
    assert_eq!(question.event.as_deref(), Some("ui-update"));
    let data = question.json();
    assert_eq!(data["type"], "chatbot-message");
    let message = &data["message"];
    assert!(
        Uuid::parse_str(message["id"].as_str().unwrap()).is_ok(),
        "{data}"
    );
    assert!(!message["content"].as_str().unwrap().is_empty(), "{data}");
    assert_eq!(message["sender"], "assistant");
    assert_eq!(message["potentialAnswers"]["type"], "select", "{data}");
    let answers = message["potentialAnswers"]["answers"].as_array().unwrap();
    assert!(!answers.is_empty());
    for answer in answers {
        assert!(answer["answerFullSentence"].is_string(), "{answer}");
        assert!(answer["answerShortForm"].is_string(), "{answer}");
    }

    // The answer is echoed as a user message with the next number.
    let answer = answers[0]["answerFullSentence"].as_str().unwrap();
    let message_id = commands::answer(&restapi(&app), owner.id, chat_id, answer)
        .await
        .unwrap();
    let echo = loop {
        let frame = client.next_event(EVENT_TIMEOUT).await;
        events.push(frame.clone());
        if frame.json()["message"]["sender"] == "user" {
            break frame;
        }
    };
    assert_contiguous(&events);
    assert_eq!(
        echo.json(),
        json!({"type": "chatbot-message", "message": {"id": message_id, "content": answer, "sender": "user"}})
    );

    // `lastEventId` in the query, for clients that cannot set headers.
    let mut resumed = SseClient::open(
        reqwest::Client::new()
            .get(app.url(&format!("/sse?clientId={chat_id}&lastEventId=1")))
            .bearer_auth(&owner.token),
    )
    .await;
    assert_eq!(resumed.next_event(EVENT_TIMEOUT).await.seq(), Some(2));
    drop(resumed);
    drop(client);
    app.stop().await;
}

#[actix_rt::test]
async fn reconnecting_with_last_event_id_misses_nothing_and_repeats_nothing() {
    let (app, owner, chat_id) = a_started_search().await;

    // First connection: answer two questions, then leave right after the third arrives.
    let mut first = SseClient::connect(&app.address, &owner.token, chat_id, Some(0)).await;
    let mut seen = Vec::new();
    let mut questions = 0;
    let pending_answer = loop {
        let frame = first.next_event(EVENT_TIMEOUT).await;
        assert_not_failed(&frame);
        seen.push(frame.clone());
        if let Some(answer) = question(&frame) {
            questions += 1;
            if questions == 3 {
                break answer;
            }
            commands::answer(&restapi(&app), owner.id, chat_id, &answer)
                .await
                .unwrap();
        }
    };
    drop(first);
    let last_seen = seen.last().unwrap().seq().unwrap();

    // While disconnected: the answer is echoed and the next question is asked.
    commands::answer(&restapi(&app), owner.id, chat_id, &pending_answer)
        .await
        .unwrap();
    wait_for_seq(&app, chat_id, last_seen + 2).await;

    // Second connection: everything after the last id seen, then live to the end.
    let mut second = SseClient::connect(&app.address, &owner.token, chat_id, Some(last_seen)).await;
    let missed = second.next_event(EVENT_TIMEOUT).await;
    assert_eq!(missed.seq(), Some(last_seen + 1));
    assert_eq!(missed.json()["message"]["sender"], "user", "{missed:?}");
    seen.push(missed);
    answer_to_the_end(&mut second, &app, &owner, chat_id, &mut seen).await;
    // Every event up to gift-ready exactly once, across both connections.
    assert_contiguous(&seen);
    drop(second);
    app.stop().await;
}

#[actix_rt::test]
async fn events_reach_a_browser_connected_to_another_instance() {
    let first = TestApp::spawn_with(Transport::Amqp, config()).await;
    let second = first.spawn_peer().await;
    let owner = user(&first).await;
    let chat_id = start_search(&first, &owner).await;

    let mut client = SseClient::connect(&second.address, &owner.token, chat_id, Some(0)).await;
    let mut seen = Vec::new();
    answer_to_the_end(&mut client, &first, &owner, chat_id, &mut seen).await;
    assert_contiguous(&seen);
    assert!(seen.iter().any(|f| f.event.as_deref() == Some("ui-update")
        && f.json()["type"] == "chat-interview-completed"));
    assert!(is_gift_ready(seen.last().unwrap()));
    assert!(
        !seen.last().unwrap().json()["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    drop(client);
    // Stopping one instance deletes the namespace's topology, so the peer is not stopped
    // after it (its shutdown would wait on queues that are gone): it ends with the test.
    first.stop().await;
    drop(second);
}

/// Records a ui event the way the services do (stored, then announced through the outbox);
/// returns its sequence number.
async fn record(app: &TestApp, chat_id: Uuid, data: &Value) -> i64 {
    let ctx = restapi(app);
    let mut conn = ctx.pool.get().await.unwrap();
    let seq = conn
        .transaction(async |conn| {
            let envelope = ui::record(conn, chat_id, ui::PROGRESS, data)
                .await?
                .expect("the chat exists");
            outbox::enqueue(conn, std::slice::from_ref(&envelope)).await?;
            Ok::<_, diesel::result::Error>(envelope.payload["seq"].as_i64().unwrap())
        })
        .await
        .unwrap();
    ctx.relay.do_send(Kick);
    seq
}

/// A client that sends its request and then reads nothing (with a tiny receive window).
async fn stalled_client(app: &TestApp, token: &str, chat_id: Uuid) -> tokio::net::TcpStream {
    let address: std::net::SocketAddr = app.address.trim_start_matches("http://").parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(address).await.unwrap();
    let request = format!(
        "GET /sse?clientId={chat_id} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
    );
    let mut written = 0;
    while written < request.len() {
        stream.writable().await.unwrap();
        match stream.try_write(&request.as_bytes()[written..]) {
            Ok(n) => written += n,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("{e}"),
        }
    }
    stream
}

/// Reads what the stalled client was sent until the response ends; the ids it carried.
async fn drain_stalled(stream: tokio::net::TcpStream) -> Vec<i64> {
    let mut received = Vec::new();
    let mut chunk = vec![0_u8; 64 * 1024];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let ready = tokio::time::timeout_at(deadline, stream.readable()).await;
        assert!(ready.is_ok(), "the stalled client's response never ended");
        match stream.try_read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                received.extend_from_slice(&chunk[..n]);
                if received.ends_with(b"\r\n0\r\n\r\n") {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("{e}"),
        }
    }
    let text = String::from_utf8_lossy(&received);
    assert!(
        text.starts_with("HTTP/1.1 200"),
        "{}",
        &text[..text.len().min(200)]
    );
    text.lines()
        .filter_map(|line| line.trim_end_matches('\r').strip_prefix("id: "))
        .map(|id| id.parse().unwrap())
        .collect()
}

#[actix_rt::test]
async fn a_slow_client_is_dropped_without_delaying_the_others() {
    let config = WebConfig {
        sse_client_buffer: 4,
        ..config()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let owner = user(&app).await;
    let chat_id = start_search(&app, &owner).await;
    let metrics = app.state.metrics.clone();
    let dropped = || metrics.sse_events.with_label_values(&["dropped"]).get();
    let connections = metrics.sse_connections.get();

    let stalled = stalled_client(&app, &owner.token, chat_id).await;
    let mut fast = SseClient::connect(&app.address, &owner.token, chat_id, Some(0)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while metrics.sse_connections.get() < connections + 2 {
        assert!(
            Instant::now() < deadline,
            "the stalled client never connected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The fast client reads on its own task and reports when each event arrived.
    let (arrivals_tx, mut arrivals) = tokio::sync::mpsc::unbounded_channel();
    let reader = actix_rt::spawn(async move {
        while let Some(frame) = fast.next(EVENT_TIMEOUT).await {
            if let Some(seq) = frame.seq()
                && arrivals_tx.send((seq, Instant::now())).is_err()
            {
                break;
            }
        }
    });

    // Large events, until the stalled client's socket and buffer are full and it is dropped.
    let padding = "x".repeat(64 * 1024);
    let mut recorded = HashMap::new();
    let mut last = 0;
    for i in 0..1000 {
        last = record(
            &app,
            chat_id,
            &json!({"stage": "search", "done": i, "total": 1000, "message": padding}),
        )
        .await;
        recorded.insert(last, Instant::now());
        if dropped() > 0 {
            break;
        }
    }
    assert!(dropped() > 0, "the stalled client was never dropped");
    for _ in 0..5 {
        last = record(
            &app,
            chat_id,
            &json!({"stage": "search", "done": 0, "total": 0, "message": "after"}),
        )
        .await;
        recorded.insert(last, Instant::now());
    }

    // The other client got every event, promptly.
    let mut received = BTreeMap::new();
    while !received.contains_key(&last) {
        let (seq, at) = tokio::time::timeout(Duration::from_secs(10), arrivals.recv())
            .await
            .expect("the fast client stalled")
            .expect("the fast client's stream ended");
        assert!(received.insert(seq, at).is_none(), "event {seq} twice");
    }
    let seqs: Vec<i64> = received.keys().copied().collect();
    assert_eq!(seqs, (1..=last).collect::<Vec<_>>());
    let slowest = recorded
        .iter()
        .map(|(seq, at)| received[seq].duration_since(*at))
        .max()
        .unwrap();
    assert!(
        slowest < Duration::from_secs(3),
        "an event took {slowest:?} to arrive"
    );

    // The stalled client was cut off: its stream ended before the last event.
    let ids = drain_stalled(stalled).await;
    assert!(ids.last().copied().unwrap_or(0) < last, "{ids:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while metrics.sse_connections.get() != connections + 1 {
        assert!(
            Instant::now() < deadline,
            "the stalled client was not released"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    reader.abort();
    let _ = reader.await;
    app.stop().await;
}

#[actix_rt::test]
async fn idle_streams_get_keep_alive_comments() {
    let (app, owner, chat_id) = a_started_search().await;
    let mut client = SseClient::connect(&app.address, &owner.token, chat_id, None).await;
    let started = Instant::now();
    let mut comments = 0;
    while started.elapsed() < Duration::from_millis(3500) {
        let frame = client.next(Duration::from_secs(3)).await.unwrap();
        if frame.comment.as_deref() == Some("keep-alive") {
            comments += 1;
        }
    }
    assert!(comments >= 3, "{comments} keep-alive comments in 3.5 s");
    drop(client);
    app.stop().await;
}

#[actix_rt::test]
async fn a_connection_without_a_cursor_gets_only_live_events() {
    let (app, owner, chat_id) = a_started_search().await;
    wait_for_seq(&app, chat_id, 1).await;
    let stored = latest_seq(&app, chat_id).await;

    let mut client = SseClient::connect(&app.address, &owner.token, chat_id, None).await;
    let marker = record(&app, chat_id, &json!({"stage": "ideas", "message": "live"})).await;
    loop {
        let frame = client.next_event(EVENT_TIMEOUT).await;
        let seq = frame.seq().unwrap();
        assert!(
            seq > stored,
            "event {seq}, stored before connecting, was replayed"
        );
        if seq == marker {
            break;
        }
    }
    drop(client);
    app.stop().await;
}

/// `GET …` as `user`, answering 200 with JSON.
async fn get_json(app: &TestApp, user: &User, path: &str) -> Value {
    let (code, body) = status(
        reqwest::Client::new()
            .get(app.url(path))
            .bearer_auth(&user.token),
    )
    .await;
    assert_eq!(code, 200, "GET {path}: {body}");
    body
}

fn message_ids(messages: &Value) -> Vec<String> {
    messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The id of a `chatbot-message` frame's message.
fn streamed_message_id(frame: &Frame) -> Option<String> {
    (frame.ui_type().as_deref() == Some("chatbot-message"))
        .then(|| frame.json()["message"]["id"].as_str().unwrap().to_owned())
}

#[actix_rt::test]
async fn a_rest_snapshot_then_its_stream_has_no_gap_and_no_duplicate() {
    let (app, owner, chat_id) = a_started_search().await;
    let transcript_path = format!("/messages/chat/{chat_id}");

    // Each round reloads the page: the transcript over REST (taken while the echo of the
    // last answer and the next question are still being recorded), then the stream from
    // its `lastEventId` up to the next question, which is answered.
    let mut known: Vec<String> = Vec::new();
    for round in 0..4 {
        let snapshot = get_json(&app, &owner, &transcript_path).await;
        let cursor = snapshot["lastEventId"].as_i64().unwrap();
        let loaded = message_ids(&snapshot["messages"]);
        assert_eq!(
            loaded[..known.len()],
            known[..],
            "round {round}: a message was missed"
        );
        known = loaded;
        let mut stream =
            SseClient::connect(&app.address, &owner.token, chat_id, Some(cursor)).await;
        let pending = snapshot["messages"]
            .as_array()
            .unwrap()
            .last()
            .filter(|m| m["role"] == "assistant")
            .map(|m| m["proposedAnswers"]["answers"][0]["answerFullSentence"].clone());
        let answer = match pending {
            Some(answer) => answer.as_str().unwrap_or("Lubi biegać").to_owned(),
            None => {
                let mut expected_seq = cursor + 1;
                loop {
                    let frame = stream.next_event(EVENT_TIMEOUT).await;
                    assert_not_failed(&frame);
                    assert_eq!(frame.seq(), Some(expected_seq), "round {round}: a gap");
                    expected_seq += 1;
                    if let Some(id) = streamed_message_id(&frame) {
                        assert!(!known.contains(&id), "round {round}: {id} twice");
                        known.push(id);
                    }
                    if let Some(answer) = question(&frame) {
                        break answer;
                    }
                }
            }
        };
        commands::answer(&restapi(&app), owner.id, chat_id, &answer)
            .await
            .unwrap();
        drop(stream);
    }

    // The results page: its lastEventId covers the listings it shows, then the stream
    // continues after it.
    let snapshot = get_json(&app, &owner, &transcript_path).await;
    let mut stream = SseClient::connect(
        &app.address,
        &owner.token,
        chat_id,
        snapshot["lastEventId"].as_i64(),
    )
    .await;
    let mut seen = Vec::new();
    answer_to_the_end(&mut stream, &app, &owner, chat_id, &mut seen).await;
    let ready_seq = seen.last().unwrap().seq().unwrap();
    drop(stream);
    let page = get_json(&app, &owner, &format!("/chats/{chat_id}/listings")).await;
    let chat = get_json(&app, &owner, &format!("/chats/{chat_id}")).await;
    // Nothing is recorded after the results (not even late progress).
    assert_eq!(page["lastEventId"].as_i64(), Some(ready_seq), "{page}");
    assert!(!page["listings"].as_array().unwrap().is_empty());
    assert_eq!(chat["lastEventId"].as_i64(), Some(ready_seq), "{chat}");
    assert_eq!(chat["status"], "ready");
    app.stop().await;
}

#[actix_rt::test]
async fn a_new_chat_has_last_event_id_zero_until_its_first_event() {
    let config = config();
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let owner = user(&app).await;
    let chat_id = quiet_chat(&app, &owner).await;
    for path in [
        format!("/messages/chat/{chat_id}"),
        format!("/chats/{chat_id}"),
        format!("/chats/{chat_id}/listings"),
    ] {
        let body = get_json(&app, &owner, &path).await;
        assert_eq!(body["lastEventId"], json!(0), "{path}: {body}");
    }
    let listed = get_json(&app, &owner, "/chats").await;
    assert_eq!(listed["chats"][0]["lastEventId"], json!(0), "{listed}");
    let seq = record(&app, chat_id, &json!({"stage": "ideas"})).await;
    let body = get_json(&app, &owner, &format!("/messages/chat/{chat_id}")).await;
    assert_eq!(body["lastEventId"], json!(seq));
    assert_eq!(body["messages"], json!([]));
    app.stop().await;
}

/// Publishes `event` of `chat_id` as the services do and waits until the restapi service has
/// handled it (the `consumed` count of its kind has grown).
async fn deliver<E: Event>(app: &TestApp, chat_id: Uuid, event: &E) {
    let broker = &app.harness.system.broker;
    let consumed = || {
        broker
            .stats()
            .snapshot()
            .get(E::NAME)
            .map_or(0, |c| c.consumed)
    };
    let before = consumed();
    broker.publish(Envelope::new(chat_id, event)).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while consumed() == before {
        assert!(Instant::now() < deadline, "{} was not handled", E::NAME);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn progress(stage: Stage, done: u32, total: u32) -> GiftSessionProgressEvent {
    GiftSessionProgressEvent {
        stage,
        done,
        total,
        message: format!("{} {done}/{total}", stage.as_str()),
    }
}

/// The chat's stored ui events: (name, `percent` of a progress event).
async fn stored_events(app: &TestApp, chat_id: Uuid) -> Vec<(String, Option<i64>)> {
    let mut conn = restapi(app).pool.get().await.unwrap();
    let rows: Vec<(String, Value)> = ui_events::table
        .filter(ui_events::chat_id.eq(chat_id))
        .order(ui_events::seq.asc())
        .select((ui_events::event_name, ui_events::data))
        .load(&mut conn)
        .await
        .unwrap();
    rows.into_iter()
        .map(|(name, data)| (name, data["percent"].as_i64()))
        .collect()
}

fn progress_at(percent: i64) -> (String, Option<i64>) {
    ("progress".to_owned(), Some(percent))
}

#[actix_rt::test]
async fn progress_never_moves_backwards_and_stops_with_the_results() {
    let app = TestApp::spawn_with(Transport::InProcess, config()).await;
    let owner = user(&app).await;
    let chat_id = quiet_chat(&app, &owner).await;

    deliver(&app, chat_id, &progress(Stage::Ideas, 0, 1)).await;
    deliver(&app, chat_id, &progress(Stage::Searching, 4, 8)).await;
    deliver(&app, chat_id, &progress(Stage::Scoring, 1, 1)).await;
    // Late news from the fetchers, after scoring: dropped.
    deliver(&app, chat_id, &progress(Stage::Searching, 8, 8)).await;
    deliver(&app, chat_id, &progress(Stage::Ideas, 0, 1)).await;
    // The same point again does not move backwards.
    deliver(&app, chat_id, &progress(Stage::Scoring, 1, 1)).await;
    let ready = GiftReadyEvent {
        gifts: Vec::new(),
        profile_summary: ProfileSummary {
            recipient_profile: Default::default(),
            key_themes_and_keywords: Vec::new(),
        },
        partial: true,
        reason: Some("Nic nie znaleziono".into()),
    };
    deliver(&app, chat_id, &ready).await;
    // After the results: nothing, not even "done".
    deliver(&app, chat_id, &progress(Stage::Searching, 8, 8)).await;
    deliver(&app, chat_id, &progress(Stage::Done, 1, 1)).await;
    assert_eq!(
        stored_events(&app, chat_id).await,
        vec![
            progress_at(10),
            progress_at(50),
            progress_at(95),
            progress_at(95),
            ("ui-update".to_owned(), None),
        ]
    );

    // After a failure: nothing either.
    let failed_chat = quiet_chat(&app, &owner).await;
    deliver(&app, failed_chat, &progress(Stage::Searching, 2, 8)).await;
    let failure = GiftSessionFailedEvent {
        stage: Stage::Searching,
        reason: "Za długo".into(),
        retryable: true,
    };
    deliver(&app, failed_chat, &failure).await;
    deliver(&app, failed_chat, &progress(Stage::Searching, 8, 8)).await;
    assert_eq!(
        stored_events(&app, failed_chat).await,
        vec![progress_at(37), ("session-error".to_owned(), None)]
    );
    app.stop().await;
}

/// A user holds at most `SSE_MAX_PER_USER` streams open on an instance; one more is 429
/// until one of theirs closes.
#[actix_rt::test]
async fn a_user_holds_at_most_the_allowed_streams() {
    let config = WebConfig {
        sse_max_per_user: 2,
        ..config()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let owner = user(&app).await;
    let chat_id = quiet_chat(&app, &owner).await;
    let open = async || {
        reqwest::Client::new()
            .get(app.url(&format!("/sse?clientId={chat_id}")))
            .bearer_auth(&owner.token)
            .send()
            .await
            .unwrap()
    };
    let first = SseClient::connect(&app.address, &owner.token, chat_id, None).await;
    let _second = SseClient::connect(&app.address, &owner.token, chat_id, None).await;
    let refused = open().await;
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited", "{body}");
    // Another user is not affected.
    let other = user(&app).await;
    let theirs = quiet_chat(&app, &other).await;
    let _theirs = SseClient::connect(&app.address, &other.token, theirs, None).await;

    // The server notices the closed connection at its next write (a keep-alive, each second).
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let response = open().await;
        if response.status().as_u16() == 200 {
            break;
        }
        assert_eq!(response.status().as_u16(), 429);
        assert!(
            Instant::now() < deadline,
            "the closed stream's place was not freed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop().await;
}
