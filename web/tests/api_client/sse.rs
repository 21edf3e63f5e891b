//! A small SSE client for the black-box tests: connects to `GET /sse`, splits the stream into
//! frames and parses their fields.

use std::pin::Pin;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use serde_json::Value;
use uuid::Uuid;

/// One message of the stream (the lines up to a blank line).
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: Option<String>,
    pub retry: Option<u64>,
    pub comment: Option<String>,
}

impl Frame {
    fn parse(text: &str) -> Self {
        let mut frame = Frame::default();
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix(':') {
                frame.comment = Some(comment.trim().to_owned());
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value).to_owned();
            match field {
                "id" => frame.id = Some(value),
                "event" => frame.event = Some(value),
                "retry" => frame.retry = Some(value.parse().unwrap()),
                "data" => {
                    frame.data = Some(match frame.data.take() {
                        Some(previous) => format!("{previous}\n{value}"),
                        None => value,
                    })
                }
                other => panic!("unexpected SSE field {other:?} in {text:?}"),
            }
        }
        frame
    }

    pub fn seq(&self) -> Option<i64> {
        self.id.as_deref().map(|id| id.parse().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(self.data.as_deref().unwrap_or("null")).unwrap()
    }

    /// A ui event (it has a sequence number).
    pub fn is_event(&self) -> bool {
        self.id.is_some()
    }

    /// The `type` of a `ui-update` message; `None` for other events.
    pub fn ui_type(&self) -> Option<String> {
        if self.event.as_deref() != Some("ui-update") {
            return None;
        }
        self.json()["type"].as_str().map(str::to_owned)
    }
}

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>>>>;

pub struct SseClient {
    body: Body,
    /// Bytes received and not yet returned as frames (a chunk may end inside a character).
    buffer: Vec<u8>,
}

impl SseClient {
    /// Follows `chat_id` at `base` as the holder of `token`: every stored event after
    /// `last_event_id` (`Some(0)`: the whole history), then live ones; `None`: live only.
    pub async fn connect(
        base: &str,
        token: &str,
        chat_id: Uuid,
        last_event_id: Option<i64>,
    ) -> Self {
        let mut request = reqwest::Client::new()
            .get(format!("{base}/sse?clientId={chat_id}"))
            .bearer_auth(token);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        Self::open(request).await
    }

    /// Sends `request` and checks that it answered with an event stream.
    pub async fn open(request: reqwest::RequestBuilder) -> Self {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{:?}", response.text().await);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Self {
            body: Box::pin(response.bytes_stream()),
            buffer: Vec::new(),
        }
    }

    /// The next frame; `None` when the server ended the stream.
    pub async fn next(&mut self, timeout: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let bytes: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let text = String::from_utf8(bytes).unwrap();
                return Some(Frame::parse(text.trim_end_matches('\n')));
            }
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => panic!(
                    "no SSE frame within {timeout:?} (buffered: {:?})",
                    String::from_utf8_lossy(&self.buffer)
                ),
                Ok(None) => return None,
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk.unwrap()),
            }
        }
    }

    /// The next ui event, skipping comments and `retry:`.
    pub async fn next_event(&mut self, timeout: Duration) -> Frame {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let frame = self.next(left).await.expect("the stream ended");
            if frame.is_event() {
                return frame;
            }
        }
    }
}
