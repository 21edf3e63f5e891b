//! A simulated person in a browser, speaking only HTTP and SSE to a server (or to nginx in
//! front of several): a guest account, searches started and followed on their event streams
//! (reconnecting with `Last-Event-ID` whenever a stream breaks, as `EventSource` does), every
//! question answered with the first suggestion. The deployment tests and `bench cluster`
//! drive `serve` processes with it.

use std::pin::Pin;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::{Stream, StreamExt};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::driver::{AnswerScript, Ending, FirstSuggestion, Step, step_of};

/// How long a search may take before [`Browser::follow`] gives up.
const SEARCH_TIMEOUT: Duration = Duration::from_secs(180);
/// How long a stream may stay silent (keep-alives included) before it counts as broken.
const SILENCE: Duration = Duration::from_secs(60);
/// Pause before reconnecting a stream the server refused.
const RECONNECT_DELAY: Duration = Duration::from_millis(100);
/// The longest pause between attempts of a request the server could not take.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(2);

/// A signed-in guest at `base`.
#[derive(Clone)]
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

/// How a search ended for the browser.
#[derive(Debug)]
pub struct SearchEnd {
    pub chat_id: Uuid,
    pub ending: Ending,
    /// The sequence numbers of the ui events received, in order.
    pub seqs: Vec<i64>,
    /// From the start of the search to its end.
    pub elapsed: Duration,
}

impl Browser {
    /// `POST /auth/guest`.
    pub async fn guest(base: &str) -> anyhow::Result<Self> {
        // Idle connections are dropped before the server's keep-alive (5 s) ends them: a
        // request sent on a connection the server is closing at that moment fails (a browser
        // sends it again; this client would report an error).
        let http = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(4))
            .build()?;
        let response = http.post(format!("{base}/auth/guest")).send().await?;
        if !response.status().is_success() {
            bail!("guest login answered {}", response.status());
        }
        let body: Value = response.json().await?;
        let token = body["accessToken"]
            .as_str()
            .context("no accessToken in the guest login")?;
        Ok(Self {
            http,
            base: base.to_owned(),
            token: token.to_owned(),
        })
    }

    /// The same user, talking to the server at `base`.
    pub fn at(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
    }

    pub async fn get(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
    }

    /// Starts a search (birthday, 50–500 PLN); its chat id.
    pub async fn start(&self) -> anyhow::Result<Uuid> {
        let chat_id = Uuid::now_v7();
        let body =
            json!({"chatId": chat_id, "occasion": "birthday", "minPrice": 50, "maxPrice": 500});
        // 409: sent again after the server that took it died (by a proxy, or by the retry).
        self.post_until_answered("/restapi/stalking-request", body, &[201, 409])
            .await
            .context("starting a search")?;
        Ok(chat_id)
    }

    /// POSTs `body` until the server answers with something other than unavailability, as
    /// a person clicks again: while the server cannot be reached (a server restarting) or
    /// answers 502, 503 or 504, it tries again after [`RECONNECT_DELAY`], doubling the pause
    /// up to [`MAX_RETRY_DELAY`] (many browsers must not swamp a server that is starting),
    /// for up to [`SEARCH_TIMEOUT`]. Any status not in `accepted` is an error.
    async fn post_until_answered(
        &self,
        path: &str,
        body: Value,
        accepted: &[u16],
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut pause = RECONNECT_DELAY;
        loop {
            let outcome = self.post(path, body.clone()).await;
            let status = match &outcome {
                Ok(response) => Some(response.status().as_u16()),
                Err(_) => None,
            };
            match status {
                Some(status) if accepted.contains(&status) => return Ok(()),
                None | Some(502..=504) if started.elapsed() < SEARCH_TIMEOUT => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_RETRY_DELAY);
                }
                Some(status) => bail!("{path} answered {status}"),
                None => return outcome.map(drop).map_err(Into::into),
            }
        }
    }

    /// The chat's event stream from after `last_event_id` (0: from the start).
    pub async fn events(&self, chat_id: Uuid, last_event_id: i64) -> anyhow::Result<EventStream> {
        let response = self
            .http
            .get(format!("{}/sse?clientId={chat_id}", self.base))
            .bearer_auth(&self.token)
            .header("Last-Event-ID", last_event_id.to_string())
            .send()
            .await?;
        if response.status() != 200 {
            bail!("the event stream answered {}", response.status());
        }
        Ok(EventStream {
            body: Box::pin(response.bytes_stream()),
            buffer: Vec::new(),
        })
    }

    /// Sends an answer: 201 when taken, 409 when the question was answered already (sent
    /// again after the server that took it died, by a proxy or by the retry).
    pub async fn answer(&self, chat_id: Uuid, answer: &str) -> anyhow::Result<()> {
        let body = json!({"chatId": chat_id, "messages": [{"sender": "user", "content": answer}]});
        self.post_until_answered("/restapi/send-message", body, &[201, 409])
            .await
            .context("answering")
    }

    /// Starts a search and follows it to its end.
    pub async fn search(&self) -> anyhow::Result<SearchEnd> {
        let started = Instant::now();
        let chat_id = self.start().await?;
        let mut end = self.follow(chat_id, Vec::new()).await?;
        end.elapsed = started.elapsed();
        Ok(end)
    }

    /// Follows the chat from after the events `seqs` to the end of its search, answering
    /// the questions; reconnects with `Last-Event-ID` whenever the stream breaks.
    pub async fn follow(&self, chat_id: Uuid, mut seqs: Vec<i64>) -> anyhow::Result<SearchEnd> {
        let started = Instant::now();
        while started.elapsed() < SEARCH_TIMEOUT {
            let last = seqs.last().copied().unwrap_or(0);
            let Ok(mut events) = self.events(chat_id, last).await else {
                tokio::time::sleep(RECONNECT_DELAY).await;
                continue;
            };
            while let Some(event) = events.next(SILENCE).await {
                if seqs.last().is_some_and(|&last| event.seq <= last) {
                    continue;
                }
                seqs.push(event.seq);
                match step_of(&event.name, &event.data) {
                    Step::Question {
                        question,
                        suggestions,
                    } => {
                        let answer = FirstSuggestion.answer(&question, &suggestions);
                        self.answer(chat_id, &answer).await?;
                    }
                    Step::End(ending) => {
                        return Ok(SearchEnd {
                            chat_id,
                            ending,
                            seqs,
                            elapsed: started.elapsed(),
                        });
                    }
                    Step::Nothing => {}
                }
            }
        }
        bail!("chat {chat_id} did not end within {SEARCH_TIMEOUT:?} (events {seqs:?})")
    }
}

/// One ui event of a chat's stream.
#[derive(Debug, Clone)]
pub struct UiEvent {
    pub seq: i64,
    pub name: String,
    pub data: Value,
}

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<actix_web::web::Bytes>>>>;

/// A chat's event stream, read as `EventSource` reads it.
pub struct EventStream {
    body: Body,
    buffer: Vec<u8>,
}

impl EventStream {
    /// The next ui event (comments and keep-alives skipped); `None` when the stream ended,
    /// broke, or stayed silent for `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<UiEvent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse_event(&String::from_utf8_lossy(&block)) {
                    return Some(event);
                }
            }
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(chunk))) => self.buffer.extend_from_slice(&chunk),
                _ => return None,
            }
        }
    }
}

/// A block of `field: value` lines; only blocks with an id are ui events.
fn parse_event(block: &str) -> Option<UiEvent> {
    let field = |name: &str| {
        block
            .lines()
            .filter_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .map(|value| value.strip_prefix(' ').unwrap_or(value))
            .collect::<Vec<_>>()
    };
    let seq = field("id").first()?.parse().ok()?;
    let name = field("event").first().map_or("message", |n| n).to_owned();
    let data = serde_json::from_str(&field("data").join("\n")).unwrap_or(Value::Null);
    Some(UiEvent { seq, name, data })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn blocks_with_an_id_are_events() {
        let event = parse_event("id: 7\nevent: ui-update\ndata: {\"type\":\"x\"}\n\n").unwrap();
        assert_eq!((event.seq, event.name.as_str()), (7, "ui-update"));
        assert_eq!(event.data["type"], "x");
        assert!(parse_event(": keep-alive\n\n").is_none());
        assert!(parse_event("retry: 3000\n\n").is_none());
    }
}
