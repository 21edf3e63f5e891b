//! `bench sse`: many concurrent SSE connections on one `serve` instance (a child process on
//! scratch databases), then one new event pushed to every connection: delivery latency and
//! the server's resident memory.
//!
//! The connections follow `chats` chats of one user (each chat's ui events go to all of its
//! followers). Once all are open, the bench answers each chat's first question through
//! `POST /restapi/send-message`; the answer's echo is a new ui event of that chat. A
//! connection's latency is from just before its chat's answer was sent to the moment the
//! first event after it arrived — storing, announcing (outbox → broker → hub) and writing.
//!
//! `--floor` runs the same connections and push against a bare actix-web SSE server instead
//! (`sse_floor`): the cost of the HTTP stack and the machine alone.

use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::future::LocalBoxFuture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, mpsc};
use uuid::Uuid;

use super::child::{ScratchServer, Server, request};
use super::report;
use crate::config::Config;

/// Connections being opened at once (the listen backlog is 1,024).
const OPENING_AT_ONCE: usize = 256;
/// How long a connection waits for its event.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(60);

pub async fn run(
    config: Config,
    connections: usize,
    chats: usize,
    floor: bool,
) -> anyhow::Result<()> {
    if floor {
        return run_floor(connections).await;
    }
    if chats == 0 || connections < chats {
        bail!("--chats must be at least 1 and at most --connections");
    }
    let server = ScratchServer::start(&config, &[]).await?;
    let result = measure_serve(&server, connections, chats).await;
    server.stop().await;
    result
}

/// The same connections and push on the bare stack (see `sse_floor`).
async fn run_floor(connections: usize) -> anyhow::Result<()> {
    let mut server = Server::spawn_command(&["bench", "sse-floor-server"], &[])?;
    let result = async {
        server.wait_ready(Duration::from_secs(30))?;
        report(format!(
            "bench sse --floor: {connections} connections to a bare actix-web SSE server, one event each"
        ));
        let port = server.port;
        let push = move |_| -> LocalBoxFuture<'static, anyhow::Result<()>> {
            Box::pin(post(port, "/push", None, "", "201"))
        };
        measure(&server, connections, vec![stream_head("/sse", None)], push).await
    }
    .await;
    server.stop();
    result
}

async fn measure_serve(
    server: &ScratchServer,
    connections: usize,
    chats: usize,
) -> anyhow::Result<()> {
    let port = server.port();
    let authorization = server.guest()?;
    let chat_ids = (0..chats)
        .map(|_| server.start_search(&authorization))
        .collect::<anyhow::Result<Vec<Uuid>>>()?;
    for chat_id in &chat_ids {
        wait_for_question(port, &authorization, *chat_id).await?;
    }
    report(format!(
        "bench sse: {connections} connections following {chats} chats, one event each, {} + PostgreSQL",
        server.transport
    ));
    let heads = chat_ids
        .iter()
        .map(|chat_id| stream_head(&format!("/sse?clientId={chat_id}"), Some(&authorization)))
        .collect();
    let push = move |chat: usize| -> LocalBoxFuture<'static, anyhow::Result<()>> {
        Box::pin(answer(port, authorization.clone(), chat_ids[chat]))
    };
    measure(&server.server, connections, heads, push).await
}

/// When each group's event was pushed.
type SentAt = Rc<Vec<OnceLock<Instant>>>;

/// Opens `connections` streams, spread over the groups of `heads` (one request head each),
/// then calls `push` once per group and times each connection's first event after it.
async fn measure<F>(
    server: &Server,
    connections: usize,
    heads: Vec<String>,
    push: F,
) -> anyhow::Result<()>
where
    F: Fn(usize) -> LocalBoxFuture<'static, anyhow::Result<()>>,
{
    let port = server.port;
    let idle_kib = server.resident_kib()?;
    let heads: Vec<Rc<str>> = heads.into_iter().map(Rc::from).collect();
    let sent_at: SentAt = Rc::new((0..heads.len()).map(|_| OnceLock::new()).collect());
    let (opened_tx, mut opened) = mpsc::unbounded_channel();
    let (latency_tx, mut latencies) = mpsc::unbounded_channel();
    let opening = Rc::new(Semaphore::new(OPENING_AT_ONCE));
    let connecting = Instant::now();
    for index in 0..connections {
        let group = index % heads.len();
        let follower = Follower {
            port,
            head: heads[group].clone(),
            group,
            sent_at: sent_at.clone(),
        };
        let (opening, opened_tx, latency_tx) =
            (opening.clone(), opened_tx.clone(), latency_tx.clone());
        actix_rt::spawn(async move {
            let result = follower.follow(&opening, opened_tx).await;
            let _ = latency_tx.send(result);
        });
    }
    drop((opened_tx, latency_tx));
    let mut open = 0;
    while open < connections {
        match opened.recv().await {
            Some(()) => open += 1,
            None => break,
        }
    }
    if open < connections {
        let error = latencies.recv().await.and_then(Result::err);
        bail!("only {open} of {connections} connections opened: {error:?}");
    }
    let connect_s = connecting.elapsed().as_secs_f64();
    let connected_kib = server.resident_kib()?;

    // One event per group, so one per connection.
    let cpu_before = server.cpu_time()?;
    let pushing = Instant::now();
    for group in 0..heads.len() {
        let _ = sent_at[group].set(Instant::now());
        let pushed = push(group);
        actix_rt::spawn(async move {
            if let Err(error) = pushed.await {
                log::error!("pushing an event: {error:#}");
            }
        });
    }
    let mut delivered = Vec::with_capacity(connections);
    let mut failures = 0;
    while let Some(result) = latencies.recv().await {
        match result {
            Ok(latency) => delivered.push(latency),
            Err(error) => {
                failures += 1;
                if failures == 1 {
                    log::error!("a connection failed: {error:#}");
                }
            }
        }
    }
    let all_delivered_s = pushing.elapsed().as_secs_f64();
    let push_cpu = server.cpu_time()?.saturating_sub(cpu_before);
    let after_kib = server.resident_kib()?;

    delivered.sort();
    report(format!(
        "  opened {connections} connections in {connect_s:.1} s ({:.0}/s)",
        connections as f64 / connect_s
    ));
    report(format!(
        "  delivered {} of {connections} events in {all_delivered_s:.2} s (server CPU {} ms); {failures} connections failed",
        delivered.len(),
        push_cpu.as_millis()
    ));
    if !delivered.is_empty() {
        report(format!(
            "  latency p50 {} ms, p99 {} ms, max {} ms",
            percentile(&delivered, 0.50).as_millis(),
            percentile(&delivered, 0.99).as_millis(),
            percentile(&delivered, 1.0).as_millis(),
        ));
    }
    report(format!(
        "  server RSS: {:.1} MB before, {:.1} MB with the connections open, {:.1} MB after the push",
        mib(idle_kib),
        mib(connected_kib),
        mib(after_kib)
    ));
    Ok(())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// Waits until the chat's first question was asked (so that answering it is accepted).
async fn wait_for_question(port: u16, authorization: &str, chat_id: Uuid) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let (status, body) = request(
            port,
            "GET",
            &format!("/messages/chat/{chat_id}"),
            &[("Authorization", authorization)],
            None,
        )?;
        if status == 200 && body.contains("\"role\":\"assistant\"") {
            return Ok(());
        }
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("chat {chat_id} asked no question within 60 s")
}

/// Answers the chat's question (the user's message is echoed as a new ui event).
async fn answer(port: u16, authorization: String, chat_id: Uuid) -> anyhow::Result<()> {
    let body = format!(
        r#"{{"chatId":"{chat_id}","messages":[{{"id":"{}","content":"Lubi biegać i pić kawę","sender":"user"}}]}}"#,
        Uuid::new_v4()
    );
    post(
        port,
        "/restapi/send-message",
        Some(&authorization),
        &body,
        "201",
    )
    .await
}

/// `POST path` with a JSON body on a connection of its own; fails unless the status is
/// `expected`.
async fn post(
    port: u16,
    path: &str,
    authorization: Option<&str>,
    body: &str,
    expected: &str,
) -> anyhow::Result<()> {
    let authorization = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{authorization}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream.write_all(head.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    if !response.starts_with(&format!("HTTP/1.1 {expected}")) {
        bail!(
            "POST {path} answered {}",
            response.lines().next().unwrap_or("")
        );
    }
    Ok(())
}

/// The request head of an event stream. No cursor: no replay, only events recorded from now
/// on.
fn stream_head(path: &str, authorization: Option<&str>) -> String {
    let authorization = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n{authorization}\r\n"
    )
}

/// One SSE connection.
struct Follower {
    port: u16,
    head: Rc<str>,
    group: usize,
    sent_at: SentAt,
}

impl Follower {
    /// Opens the stream (reports it on `opened`), then reads until the first event that
    /// arrives after the chat's answer was sent; its latency.
    async fn follow(
        self,
        opening: &Semaphore,
        opened: mpsc::UnboundedSender<()>,
    ) -> anyhow::Result<Duration> {
        let mut stream = {
            let _permit = opening.acquire().await?;
            self.open().await?
        };
        let _ = opened.send(());
        let mut chunk = vec![0_u8; 4096];
        let deadline = tokio::time::Instant::now() + DELIVERY_TIMEOUT;
        loop {
            let read = tokio::time::timeout_at(deadline, stream.read(&mut chunk))
                .await
                .context("no event within the delivery timeout")??;
            if read == 0 {
                bail!("the server closed the stream");
            }
            let arrived = Instant::now();
            // Only events carry ids (comments and `retry:` do not).
            if !contains(&chunk[..read], b"id: ") {
                continue;
            }
            if let Some(sent) = self.sent_at[self.group].get()
                && arrived >= *sent
            {
                return Ok(arrived - *sent);
            }
        }
    }

    /// Connects and reads the response head.
    async fn open(&self) -> anyhow::Result<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let head = &self.head;
        stream.write_all(head.as_bytes()).await?;
        let mut received = Vec::new();
        let mut chunk = [0_u8; 1024];
        while !contains(&received, b"\r\n\r\n") {
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                bail!("the server closed the connection before answering");
            }
            received.extend_from_slice(&chunk[..read]);
        }
        if !received.starts_with(b"HTTP/1.1 200") {
            bail!(
                "GET /sse answered {}",
                String::from_utf8_lossy(&received)
                    .lines()
                    .next()
                    .unwrap_or("")
            );
        }
        Ok(stream)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
