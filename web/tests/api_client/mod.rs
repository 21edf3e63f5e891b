//! An HTTP client of the gift-search API for the black-box tests: a signed-in user, JSON
//! requests, and a whole interview answered from the SSE stream through `send-message`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::tables::restapi::users;
use present_finder_web::http::auth::Role;
use present_finder_web::http::auth::tokens::{Bearer, issue_access};
use present_finder_web::restapi::commands;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::TestApp;

pub mod sse;

use sse::SseClient;

/// One signed-in user.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

/// A response: its status and its JSON body (`Null` when empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected reply: {}",
            self.body
        );
        self.body
    }
}

impl Api {
    /// A new guest: `POST /auth/guest`, or, where that route is not available, a guest
    /// account created in the database with a signed access token.
    pub async fn guest(app: &TestApp) -> Self {
        let http = reqwest::Client::new();
        let response = http.post(app.url("/auth/guest")).send().await.unwrap();
        let token = if response.status().is_success() {
            let cookie = response
                .cookies()
                .find(|c| c.name() == "access_token")
                .map(|c| c.value().to_owned());
            let body: Value = response.json().await.unwrap_or(Value::Null);
            body["accessToken"]
                .as_str()
                .map(str::to_owned)
                .or(cookie)
                .expect("the guest login returns an access token")
        } else {
            Self::signed_token(app, Role::User).await
        };
        Self::with_token(app, token)
    }

    /// A user with `role` whose token is signed directly (admins cannot be made over HTTP).
    pub async fn with_role(app: &TestApp, role: Role) -> Self {
        let token = Self::signed_token(app, role).await;
        Self::with_token(app, token)
    }

    /// A new account with `role` (an admin is a signed-in user, not a guest) and its token.
    async fn signed_token(app: &TestApp, role: Role) -> String {
        let pool = app.harness.databases.pool(ServiceDatabase::Restapi);
        let mut conn = pool.get().await.unwrap();
        let id = commands::create_guest(&mut conn).await.unwrap();
        let guest = role == Role::User;
        diesel::update(users::table.find(id))
            .set((users::role.eq(role.as_str()), users::is_guest.eq(guest)))
            .execute(&mut conn)
            .await
            .unwrap();
        let bearer = Bearer {
            user_id: id,
            role,
            guest,
            generation: 0,
        };
        issue_access(&app.state.config, bearer).unwrap()
    }

    fn with_token(app: &TestApp, token: String) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: app.address.clone(),
            token,
        }
    }

    /// Sends `body` (bytes) with `content_type`; no body when `None`.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, body }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap());
        let content_type = body.map(|_| "application/json");
        self.raw(method, path, content_type, bytes).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Starts a search for a new chat and returns its id.
    pub async fn start(&self, extra: Value) -> Uuid {
        let chat_id = Uuid::now_v7();
        let mut body = json!({
            "chatId": chat_id,
            "occasion": "birthday",
            "instagramUrl": "",
            "tiktokUrl": "",
            "xUrl": "",
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let started = self
            .post("/restapi/stalking-request", body)
            .await
            .expect(201);
        assert_eq!(started["chatId"], json!(chat_id));
        chat_id
    }

    /// Follows the chat's event stream (`GET /sse`) as the web client does and answers every
    /// question it asks there, choosing with `choose`, until `gift-ready`. Returns the
    /// questions. Panics on a failed or refused search, and on a `gift-ready` that was not
    /// preceded by `chat-interview-completed`.
    pub async fn interview(
        &self,
        chat_id: Uuid,
        mut choose: impl FnMut(&str, &[String]) -> String,
    ) -> Vec<String> {
        let mut events = SseClient::connect(&self.base, &self.token, chat_id, Some(0)).await;
        let mut transcript = Vec::new();
        let mut questions = Vec::new();
        let mut interview_completed = false;
        loop {
            let frame = events.next_event(Duration::from_secs(120)).await;
            assert_ne!(
                frame.event.as_deref(),
                Some("session-error"),
                "the search failed: {:?}",
                frame.data
            );
            let data = frame.json();
            match frame.ui_type().as_deref() {
                Some("chatbot-message") => {
                    let message = data["message"].clone();
                    transcript.push(message.clone());
                    if message["sender"] == "assistant" {
                        let question = message["content"].as_str().unwrap_or_default().to_owned();
                        let answer = choose(&question, &suggestions(&message));
                        questions.push(question);
                        self.answer(chat_id, &transcript, &answer).await.expect(201);
                    }
                }
                Some("chat-interview-completed") => interview_completed = true,
                Some("chat-inappropriate-request") => panic!("the search was refused: {data}"),
                Some("gift-ready") => {
                    assert!(interview_completed, "gift-ready before the interview ended");
                    return questions;
                }
                _ => {}
            }
        }
    }

    /// Sends `answer` after the transcript, as the web client does.
    pub async fn answer(&self, chat_id: Uuid, transcript: &[Value], answer: &str) -> Reply {
        let mut messages: Vec<Value> = transcript
            .iter()
            .map(|m| {
                json!({
                    "id": m["id"],
                    "content": m["content"],
                    "sender": sender(m),
                    "proposedAnswers": proposed_answers(m),
                })
            })
            .collect();
        messages.push(json!({ "id": Uuid::new_v4(), "content": answer, "sender": "user" }));
        self.post(
            "/restapi/send-message",
            json!({ "chatId": chat_id, "messages": messages }),
        )
        .await
    }
}

/// Who wrote a message: `sender` in SSE messages, `role` in `GET /messages`.
fn sender(message: &Value) -> &str {
    match message["sender"].as_str().or(message["role"].as_str()) {
        Some("user") => "user",
        _ => "assistant",
    }
}

/// A message's suggested answers: `potentialAnswers` in SSE messages, `proposedAnswers` in
/// `GET /messages`.
fn proposed_answers(message: &Value) -> &Value {
    match &message["potentialAnswers"] {
        Value::Null => &message["proposedAnswers"],
        answers => answers,
    }
}

/// The `answerFullSentence`s of a message's suggestions.
pub fn suggestions(message: &Value) -> Vec<String> {
    proposed_answers(message)["answers"]
        .as_array()
        .map(|answers| {
            answers
                .iter()
                .filter_map(|a| a["answerFullSentence"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Clicks the first suggestion (free text: a short answer); declines saving the profile.
pub fn first_suggestion(question: &str, suggestions: &[String]) -> String {
    if is_save_question(question) {
        return "Nie, nie chcę zapisywać profilu".to_owned();
    }
    suggestions
        .first()
        .cloned()
        .unwrap_or_else(|| "Lubi książki i kawę".to_owned())
}

/// Like [`first_suggestion`], but saves the profile under `name`.
pub fn saving_as(name: &'static str) -> impl FnMut(&str, &[String]) -> String {
    move |question, suggestions| {
        if is_save_question(question) {
            "Tak, chcę zapisać profil".to_owned()
        } else if question.contains("nazwać ten profil") {
            name.to_owned()
        } else {
            first_suggestion(question, suggestions)
        }
    }
}

fn is_save_question(question: &str) -> bool {
    question.contains("zapisać profil")
}
