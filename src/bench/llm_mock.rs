//! A scripted OpenAI-compatible Chat Completions server for the LLM benchmarks: it answers
//! every call after a fixed delay as a cooperative model would — eight interview questions
//! with four suggestions each, then the profile; six ideas and five queries per shop; a score
//! for every product — and reports no `usage`, so the client counts characters / 4, as it
//! does for servers that send none.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

/// Interview answers the mock waits for before finishing (when the server lets it).
const QUESTIONS: usize = 8;

pub struct LlmMock {
    pub addr: SocketAddr,
    server: actix_web::dev::ServerHandle,
}

impl LlmMock {
    pub fn start(latency: Duration) -> anyhow::Result<Self> {
        let recipients = web::Data::new(Recipients::default());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(latency))
                .app_data(recipients.clone())
                .app_data(web::JsonConfig::default().limit(1 << 22))
                .route("/v1/chat/completions", web::post().to(complete))
        })
        .workers(2)
        .bind(("127.0.0.1", 0))?;
        let addr = server
            .addrs()
            .first()
            .copied()
            .ok_or_else(|| anyhow::anyhow!("the LLM mock has no address"))?;
        let server = server.run();
        let handle = server.handle();
        actix_rt::spawn(server);
        Ok(Self {
            addr,
            server: handle,
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub async fn stop(self) {
        self.server.stop(false).await;
    }
}

/// Numbers the profiles the mock concludes interviews with: each search is for someone else,
/// so nothing one search's scoring learnt is reused by another.
#[derive(Default)]
struct Recipients(Arc<AtomicUsize>);

async fn complete(
    latency: web::Data<Duration>,
    recipients: web::Data<Recipients>,
    body: web::Json<Value>,
) -> HttpResponse {
    tokio::time::sleep(**latency).await;
    let body = body.into_inner();
    let tools: Vec<&str> = body["tools"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|t| t["function"]["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let users: Vec<&str> = body["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter(|m| m["role"] == "user")
                .filter_map(|m| m["content"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let reply = if !tools.is_empty() {
        interview(&tools, users.len().saturating_sub(1), &recipients)
    } else {
        let user = users.concat();
        match body["response_format"]["json_schema"]["name"].as_str() {
            Some("product_scores") => content(&scores(&user)),
            Some("gift_ideas") => content(&ideas(&user)),
            Some("profile_facts") => content(&json!({"facts": ["Biega", "Lubi kawę"]})),
            _ => return HttpResponse::BadRequest().finish(),
        }
    };
    HttpResponse::Ok().json(reply)
}

fn content(value: &Value) -> Value {
    json!({
        "id": "chatcmpl-bench", "object": "chat.completion", "model": "bench",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": value.to_string()}}]
    })
}

fn tool(name: &str, arguments: &Value) -> Value {
    json!({
        "id": "chatcmpl-bench", "object": "chat.completion", "model": "bench",
        "choices": [{"index": 0, "finish_reason": "tool_calls",
                     "message": {"role": "assistant", "content": null, "tool_calls": [{
                         "id": "call_bench", "type": "function",
                         "function": {"name": name, "arguments": arguments.to_string()}}]}}]
    })
}

fn interview(tools: &[&str], answered: usize, recipients: &Recipients) -> Value {
    let may_ask = tools.contains(&"ask_question");
    if !may_ask || (tools.contains(&"finish_interview") && answered >= QUESTIONS) {
        let recipient = recipients.0.fetch_add(1, Ordering::Relaxed);
        return tool(
            "finish_interview",
            &json!({
                "profile": {"relationship": format!("siostra nr {recipient}"),
                    "ageRange": "25-34", "gender": "kobieta",
                    "lifestyle": "Aktywna, biega i gotuje.", "preferences": "Sport i kuchnia.",
                    "recentLife": null, "owns": ["zegarek"], "missing": ["słuchawki"],
                    "dislikes": ["perfumy"]},
                "keyThemes": ["bieganie", "kawa", "gotowanie", "książki", "planszówki",
                    "podróże", "fotografia", "ogród", "muzyka", "joga", "rower", "herbata"]
            }),
        );
    }
    let answers: Vec<Value> = ["Sport", "Kuchnia", "Książki", "Gry"]
        .iter()
        .map(|a| json!({"answerFullSentence": format!("Najbardziej lubi: {a}."), "answerShortForm": a}))
        .collect();
    tool(
        "ask_question",
        &json!({
            "question": format!("Pytanie {}: co ta osoba lubi robić w wolnym czasie?", answered + 1),
            "kind": "select",
            "answers": answers
        }),
    )
}

fn scores(user: &str) -> Value {
    let scores: Vec<Value> = user
        .lines()
        .filter_map(|line| {
            let (id, rest) = line.split_once(". ")?;
            let number: u32 = id.parse().ok()?;
            rest.contains(" | ").then(|| {
                json!({"id": id, "score": 5 + number % 6,
                       "reason": "Pasuje do jej zamiłowania do biegania i gotowania."})
            })
        })
        .collect();
    json!({ "scores": scores })
}

fn ideas(user: &str) -> Value {
    let shops: Vec<&str> = user
        .lines()
        .find_map(|line| line.strip_prefix("shops: "))
        .map(|shops| shops.split(", ").collect())
        .unwrap_or_default();
    let queries: Vec<Value> = shops
        .iter()
        .flat_map(|shop| {
            [
                "zegarek do biegania",
                "pas biegowy",
                "książka kucharska",
                "gra planszowa",
                "kubek termiczny",
            ]
            .iter()
            .map(move |q| json!({"shop": shop, "query": q}))
        })
        .collect();
    json!({
        "ideas": ["Zegarek do biegania", "Pas biegowy", "Książka kucharska", "Gra planszowa",
                  "Kubek termiczny", "Zestaw kaw"],
        "queries": queries
    })
}
