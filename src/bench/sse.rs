//! `bench sse`: many concurrent SSE connections on one `serve` instance (a child process on
//! scratch databases), then one new event pushed to every connection: delivery latency and
//! the server's resident memory.
//!
//! The connections follow `chats` chats of one user (each chat's ui events go to all of its
//! followers). Once all are open, the bench answers each chat's first question through
//! `POST /restapi/send-message`; the answer's echo is a new ui event of that chat. A
//! connection's latency is from just before its chat's answer was sent to the moment the
//! first event after it arrived — storing, announcing (outbox → broker → hub) and writing.

use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, mpsc};
use uuid::Uuid;

use super::child::{ScratchServer, request};
use super::report;
use crate::config::Config;

/// Connections being opened at once (the listen backlog is 1,024).
const OPENING_AT_ONCE: usize = 256;
/// How long a connection waits for its event.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(60);

pub async fn run(config: Config, connections: usize, chats: usize) -> anyhow::Result<()> {
    if chats == 0 || connections < chats {
        bail!("--chats must be at least 1 and at most --connections");
    }
    let server = ScratchServer::start(&config, &[]).await?;
    let result = measure(&server, connections, chats).await;
    server.stop().await;
    result
}

/// When each chat's answer was sent.
type SentAt = Rc<Vec<OnceLock<Instant>>>;

async fn measure(server: &ScratchServer, connections: usize, chats: usize) -> anyhow::Result<()> {
    let port = server.port();
    let authorization = server.guest()?;
    let chat_ids = (0..chats)
        .map(|_| server.start_search(&authorization))
        .collect::<anyhow::Result<Vec<Uuid>>>()?;
    for chat_id in &chat_ids {
        wait_for_question(port, &authorization, *chat_id).await?;
    }
    let idle_kib = server.server.resident_kib()?;
    report(format!(
        "bench sse: {connections} connections following {chats} chats, one event each, {} + PostgreSQL",
        server.transport
    ));

    let sent_at: SentAt = Rc::new((0..chats).map(|_| OnceLock::new()).collect());
    let (opened_tx, mut opened) = mpsc::unbounded_channel();
    let (latency_tx, mut latencies) = mpsc::unbounded_channel();
    let opening = Rc::new(Semaphore::new(OPENING_AT_ONCE));
    let connecting = Instant::now();
    for index in 0..connections {
        let chat = index % chats;
        let follower = Follower {
            port,
            authorization: authorization.clone(),
            chat_id: chat_ids[chat],
            chat,
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
    let connected_kib = server.server.resident_kib()?;

    // One event per chat, so one per connection.
    let cpu_before = server.server.cpu_time()?;
    let pushing = Instant::now();
    for (chat, chat_id) in chat_ids.iter().enumerate() {
        let authorization = authorization.clone();
        let chat_id = *chat_id;
        let _ = sent_at[chat].set(Instant::now());
        actix_rt::spawn(async move {
            if let Err(error) = answer(port, &authorization, chat_id).await {
                log::error!("answering chat {chat_id}: {error:#}");
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
    let push_cpu = server.server.cpu_time()?.saturating_sub(cpu_before);
    let after_kib = server.server.resident_kib()?;

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
async fn answer(port: u16, authorization: &str, chat_id: Uuid) -> anyhow::Result<()> {
    let body = format!(
        r#"{{"chatId":"{chat_id}","messages":[{{"id":"{}","content":"Lubi biegać i pić kawę","sender":"user"}}]}}"#,
        Uuid::new_v4()
    );
    let head = format!(
        "POST /restapi/send-message HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: {authorization}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    stream.write_all(head.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    if !response.starts_with("HTTP/1.1 201") {
        bail!(
            "send-message answered {}",
            response.lines().next().unwrap_or("")
        );
    }
    Ok(())
}

/// One SSE connection.
struct Follower {
    port: u16,
    authorization: String,
    chat_id: Uuid,
    chat: usize,
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
            if let Some(sent) = self.sent_at[self.chat].get()
                && arrived >= *sent
            {
                return Ok(arrived - *sent);
            }
        }
    }

    /// Connects and reads the response head. `Last-Event-ID` far ahead: no replay, only
    /// events recorded from now on.
    async fn open(&self) -> anyhow::Result<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let head = format!(
            "GET /sse?clientId={} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nAuthorization: {}\r\nLast-Event-ID: {}\r\n\r\n",
            self.chat_id,
            self.authorization,
            i64::MAX
        );
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
