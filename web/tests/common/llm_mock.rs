//! A scripted OpenAI-compatible Chat Completions server (wiremock): it tells the task from
//! the request (the interview's tools, the scoring schema), answers like a well-behaved
//! model unless the test's script says otherwise, and keeps every request for the test to
//! check. Only requests with the test's API key on `POST /v1/chat/completions` are answered.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use present_finder_actors::llm::{LlmConfig, LlmModels};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const API_KEY: &str = "sk-test-llm-4f1c9";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Interview,
    Scoring,
    Ideas,
    Facts,
    Unknown,
}

/// One request the mock received.
#[derive(Debug, Clone)]
pub struct Call {
    pub task: Task,
    /// 1-based, counted per task.
    pub number: usize,
    pub body: Value,
    pub at: Instant,
}

impl Call {
    /// The names of the tools offered.
    pub fn tools(&self) -> Vec<String> {
        self.body["tools"]
            .as_array()
            .map(|tools| {
                tools
                    .iter()
                    .filter_map(|t| t["function"]["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The contents of the messages with `role`.
    pub fn contents(&self, role: &str) -> Vec<String> {
        self.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == role)
            .filter_map(|m| m["content"].as_str().map(str::to_owned))
            .collect()
    }

    /// The giver's answers sent as history (the user messages after the context).
    pub fn answers(&self) -> Vec<String> {
        self.contents("user").into_iter().skip(1).collect()
    }

    /// The product ids of a scoring request.
    pub fn product_ids(&self) -> Vec<String> {
        let user = self.contents("user").concat();
        user.lines()
            .filter_map(|line| {
                let (id, rest) = line.split_once(". ")?;
                (rest.contains(" | ") && id.chars().all(|c| c.is_ascii_digit()))
                    .then(|| id.to_owned())
            })
            .collect()
    }
}

/// The test's say on a call: `None` lets the mock answer as a well-behaved model.
pub type Script = dyn Fn(&Call) -> Option<ResponseTemplate> + Send + Sync;

struct Responder {
    calls: Arc<Mutex<Vec<Call>>>,
    script: Box<Script>,
    usage: bool,
}

pub struct LlmMock {
    pub server: MockServer,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl LlmMock {
    /// A mock answering every call as a well-behaved model, with `usage`.
    pub async fn start() -> Self {
        Self::scripted(|_| None).await
    }

    pub async fn scripted(
        script: impl Fn(&Call) -> Option<ResponseTemplate> + Send + Sync + 'static,
    ) -> Self {
        Self::build(Box::new(script), true).await
    }

    /// Like [`scripted`](Self::scripted), but its replies carry no `usage`.
    pub async fn without_usage() -> Self {
        Self::build(Box::new(|_| None), false).await
    }

    async fn build(script: Box<Script>, usage: bool) -> Self {
        let server = MockServer::start().await;
        let calls = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(header(
                "authorization",
                format!("Bearer {API_KEY}").as_str(),
            ))
            .respond_with(Responder {
                calls: calls.clone(),
                script,
                usage,
            })
            .mount(&server)
            .await;
        Self { server, calls }
    }

    /// The client configuration pointing at this mock, with a model name per task.
    pub fn config(&self) -> LlmConfig {
        LlmConfig {
            models: LlmModels {
                interview: "model-interview".into(),
                facts: "model-facts".into(),
                ideas: "model-ideas".into(),
                scoring: "model-scoring".into(),
            },
            timeout: Duration::from_secs(2),
            max_concurrency: 16,
            ..LlmConfig::new(API_KEY, format!("{}/v1", self.server.uri()))
        }
    }

    pub fn calls(&self, task: Task) -> Vec<Call> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.task == task)
            .cloned()
            .collect()
    }

    /// Every request the server received, matched or not (a wrong path or key included).
    pub async fn received(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }
}

fn task_of(body: &Value) -> Task {
    let tools: Vec<&str> = body["tools"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|t| t["function"]["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    if tools
        .iter()
        .any(|t| ["ask_question", "finish_interview"].contains(t))
    {
        return Task::Interview;
    }
    match body["response_format"]["json_schema"]["name"].as_str() {
        Some("product_scores") => Task::Scoring,
        Some("gift_ideas") => Task::Ideas,
        Some("profile_facts") => Task::Facts,
        _ => Task::Unknown,
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let task = task_of(&body);
        let call = {
            let mut calls = self.calls.lock().unwrap();
            let number = calls.iter().filter(|c| c.task == task).count() + 1;
            let call = Call {
                task,
                number,
                body,
                at: Instant::now(),
            };
            calls.push(call.clone());
            call
        };
        if let Some(response) = (self.script)(&call) {
            return response;
        }
        let mut reply = match task {
            Task::Interview => interview_reply(&call),
            Task::Scoring => scoring_reply(&call, 8),
            Task::Ideas => ideas_reply(&call),
            Task::Facts => content_reply(&json!({"facts": FACTS}).to_string()),
            Task::Unknown => {
                return ResponseTemplate::new(400).set_body_json(json!({
                    "error": {"message": "unexpected request", "type": "invalid_request_error"}
                }));
            }
        };
        if self.usage {
            reply["usage"] =
                json!({"prompt_tokens": 300, "completion_tokens": 60, "total_tokens": 360});
        }
        ResponseTemplate::new(200).set_body_json(reply)
    }
}

/// A completion calling `name` with `arguments` (JSON-encoded, as OpenAI sends them).
pub fn tool_reply(name: &str, arguments: Value) -> Value {
    tool_reply_raw(name, &arguments.to_string())
}

/// A completion calling `name` with `arguments` as given, well-formed or not.
pub fn tool_reply_raw(name: &str, arguments: &str) -> Value {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": null, "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": name, "arguments": arguments}
            }]},
            "finish_reason": "tool_calls"
        }]
    })
}

/// A completion whose content is `content`.
pub fn content_reply(content: &str) -> Value {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": "stop"
        }]
    })
}

pub fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The question the mock asks as its `n`-th.
pub fn question(n: usize) -> String {
    format!("Pytanie {n}: czym się interesuje?")
}

/// An `ask_question` call with four answers.
pub fn ask(n: usize) -> Value {
    let answers: Vec<Value> = ["bieganie", "gotowanie", "książki", "gry planszowe"]
        .iter()
        .map(|a| json!({"answerFullSentence": format!("Lubi {a} ({n})"), "answerShortForm": a}))
        .collect();
    tool_reply(
        "ask_question",
        json!({"question": question(n), "kind": "select", "answers": answers}),
    )
}

/// A `finish_interview` call with twelve themes.
pub fn finish() -> Value {
    let themes: Vec<String> = [
        "bieganie",
        "sport",
        "zegarek sportowy",
        "odzież sportowa",
        "słuchawki",
        "książki",
        "kuchnia",
        "gotowanie",
        "gry planszowe",
        "kawa",
        "podróże",
        "fitness",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    tool_reply(
        "finish_interview",
        json!({
            "profile": {
                "relationship": "siostra", "ageRange": "25-34", "gender": "kobieta",
                "lifestyle": "Aktywna, biega i gotuje.", "preferences": "Sport, kuchnia, książki.",
                "recentLife": null, "owns": ["zegarek"], "missing": ["słuchawki do biegania"],
                "dislikes": ["perfumy"]
            },
            "keyThemes": themes
        }),
    )
}

/// Asks until three answers came (finishing as soon as the server offers it then).
fn interview_reply(call: &Call) -> Value {
    let tools = call.tools();
    let answered = call.answers().len();
    let may_ask = tools.iter().any(|t| t == "ask_question");
    let may_finish = tools.iter().any(|t| t == "finish_interview");
    if !may_ask || (may_finish && answered >= 3) {
        finish()
    } else {
        ask(answered + 1)
    }
}

pub const REASON: &str = "Pasuje do jej biegania i gotowania.";

/// Scores every product of the request `score`.
pub fn scoring_reply(call: &Call, score: u32) -> Value {
    scores(&call.product_ids(), score)
}

pub fn scores(ids: &[String], score: u32) -> Value {
    let scores: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "score": score, "reason": REASON}))
        .collect();
    content_reply(&json!({ "scores": scores }).to_string())
}

pub const FACTS: [&str; 2] = ["Biega maratony", "Pije dużo kawy"];

/// Queries the bundled catalog answers.
pub const QUERIES: [&str; 4] = [
    "zegarek do biegania",
    "pas biegowy",
    "skarpety do biegania",
    "kamizelka biegowa",
];

/// Six ideas, and the four [`QUERIES`] for every shop of the request.
fn ideas_reply(call: &Call) -> Value {
    let user = call.contents("user").concat();
    let shops: Vec<&str> = user
        .lines()
        .find_map(|line| line.strip_prefix("shops: "))
        .map(|shops| shops.split(", ").collect())
        .unwrap_or_default();
    let queries: Vec<Value> = shops
        .iter()
        .flat_map(|shop| {
            QUERIES
                .iter()
                .map(move |q| json!({"shop": shop, "query": q}))
        })
        .collect();
    let ideas = [
        "Zegarek do biegania",
        "Pas biegowy",
        "Skarpety biegowe",
        "Kamizelka biegowa",
        "Książka o bieganiu",
        "Kubek termiczny",
    ];
    content_reply(&json!({"ideas": ideas, "queries": queries}).to_string())
}
