//! Bad input on every route of the gift-search API: each answers its documented status, a
//! 400 names the offending field in `details[0].field`, and nothing answers 500.
//!
//! Decisions: a body that is not declared JSON (wrong or missing `Content-Type`) is a 400
//! naming `body` (not 415); a body over 64 KiB is a 413; a missing required field is a 400
//! naming it; an empty `PATCH /user-profiles/…` is a 400 naming `body`; for the admin list,
//! the role is checked before the query (403 for non-admins whatever the parameters).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_client;
mod common;

use api_client::{Api, first_suggestion};
use common::TestApp;
use present_finder_actors::testing::Transport;
use present_finder_web::http::auth::Role;
use present_finder_web::http::{RateLimits, WebConfig};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// What a case sends as its body.
enum Body {
    None,
    Json(Value),
    /// Raw bytes with a `Content-Type` (or none).
    Raw(Option<&'static str>, Vec<u8>),
}

/// Who sends it.
#[derive(Clone, Copy)]
enum Caller {
    User,
    Admin,
    Anonymous,
}

struct Case {
    name: &'static str,
    caller: Caller,
    method: Method,
    path: String,
    body: Body,
    status: u16,
    /// For a 400: the field `details[0]` must name.
    field: Option<String>,
}

/// Builds the table with short constructors.
struct Table {
    cases: Vec<Case>,
}

impl Table {
    fn add(
        &mut self,
        name: &'static str,
        method: Method,
        path: &str,
        body: Body,
        status: u16,
        field: Option<&str>,
    ) {
        self.cases.push(Case {
            name,
            caller: Caller::User,
            method,
            path: path.to_owned(),
            body,
            status,
            field: field.map(str::to_owned),
        });
    }

    /// A JSON body answered 400 naming `field`.
    fn bad(&mut self, name: &'static str, method: Method, path: &str, body: Value, field: &str) {
        self.add(name, method, path, Body::Json(body), 400, Some(field));
    }

    /// A body-less request answered 400 naming `field`.
    fn bad_path(&mut self, name: &'static str, method: Method, path: &str, field: &str) {
        self.add(name, method, path, Body::None, 400, Some(field));
    }

    fn status(
        &mut self,
        name: &'static str,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) {
        let body = body.map_or(Body::None, Body::Json);
        self.add(name, method, path, body, status, None);
    }

    fn as_caller(&mut self, caller: Caller) {
        if let Some(last) = self.cases.last_mut() {
            last.caller = caller;
        }
    }
}

/// A valid start-search body with `field` set to `value` (`Null` removes it).
fn search_with(field: &str, value: Value) -> Value {
    let mut body = json!({
        "chatId": Uuid::now_v7(),
        "occasion": "birthday",
        "instagramUrl": "https://www.instagram.com/anna",
        "tiktokUrl": "",
        "xUrl": "",
        "minPrice": 50,
        "maxPrice": 300,
    });
    if value.is_null() {
        body.as_object_mut().unwrap().remove(field);
    } else {
        body[field] = value;
    }
    body
}

/// A send-message body for `chat_id` whose last message is `last`.
fn answer_with(chat_id: Uuid, last: Value) -> Value {
    json!({
        "chatId": chat_id,
        "messages": [
            { "id": Uuid::new_v4(), "content": "Dla kogo?", "sender": "assistant" },
            last,
        ],
    })
}

// One case per line reads as a table.
#[rustfmt::skip]
fn start_search_cases(t: &mut Table, done_chat: Uuid) {
    let path = "/restapi/stalking-request";
    let post = || Method::POST;
    t.bad("unknown occasion", post(), path, search_with("occasion", json!("wedding")), "occasion");
    t.bad("missing occasion", post(), path, search_with("occasion", Value::Null), "occasion");
    t.bad("occasion of the wrong type", post(), path, search_with("occasion", json!(5)), "occasion");
    t.bad("malformed chatId", post(), path, search_with("chatId", json!("not-a-uuid")), "chatId");
    t.bad("missing chatId", post(), path, search_with("chatId", Value::Null), "chatId");
    t.bad("numeric chatId", post(), path, search_with("chatId", json!(123)), "chatId");
    t.bad("instagramUrl on TikTok", post(), path, search_with("instagramUrl", json!("https://www.tiktok.com/@anna")), "instagramUrl");
    t.bad("javascript: URL", post(), path, search_with("instagramUrl", json!("javascript:alert(1)//instagram.com")), "instagramUrl");
    t.bad("not a URL", post(), path, search_with("instagramUrl", json!("instagram anna")), "instagramUrl");
    t.bad("URL of the wrong type", post(), path, search_with("instagramUrl", json!(42)), "instagramUrl");
    t.bad("over-long URL", post(), path, search_with("instagramUrl", json!(format!("https://instagram.com/{}", "a".repeat(3000)))), "instagramUrl");
    t.bad("URL with a control character", post(), path, search_with("instagramUrl", json!("https://instagram.com/a\u{0}b")), "instagramUrl");
    t.bad("ftp URL", post(), path, search_with("tiktokUrl", json!("ftp://tiktok.com/@anna")), "tiktokUrl");
    t.bad("host merely containing the network", post(), path, search_with("xUrl", json!("https://x.com.evil.example/anna")), "xUrl");
    t.bad("network only in the path", post(), path, search_with("xUrl", json!("https://evil.example/x.com/anna")), "xUrl");
    t.bad("negative minPrice", post(), path, search_with("minPrice", json!(-10)), "minPrice");
    t.bad("zero maxPrice", post(), path, search_with("maxPrice", json!(0)), "maxPrice");
    t.bad("minPrice > maxPrice", post(), path, search_with("minPrice", json!(500)), "maxPrice");
    t.bad("price as a string", post(), path, search_with("minPrice", json!("50")), "minPrice");
    t.bad("price over the cap", post(), path, search_with("maxPrice", json!(1_000_000)), "maxPrice");
    t.bad("unknown locale", post(), path, search_with("locale", json!("de")), "locale");
    t.bad("malformed profileId", post(), path, search_with("profileId", json!("abc")), "profileId");
    t.status("profileId of nobody", post(), path, Some(search_with("profileId", json!(Uuid::new_v4()))), 404);
    t.status("chatId already used", post(), path, Some(search_with("chatId", json!(done_chat))), 409);
    t.add("empty body", post(), path, Body::Raw(Some("application/json"), Vec::new()), 400, Some("body"));
    t.add("non-JSON body", post(), path, Body::Raw(Some("application/json"), b"hello".to_vec()), 400, Some("body"));
    t.add("JSON array body", post(), path, Body::Raw(Some("application/json"), b"[1]".to_vec()), 400, Some("body"));
    let valid = serde_json::to_vec(&search_with("chatId", json!(Uuid::now_v7()))).unwrap();
    t.add("text/plain Content-Type", post(), path, Body::Raw(Some("text/plain"), valid.clone()), 400, Some("body"));
    t.add("no Content-Type", post(), path, Body::Raw(None, valid), 400, Some("body"));
    let huge = serde_json::to_vec(&search_with("tiktokUrl", json!("x".repeat(70 * 1024)))).unwrap();
    t.add("body over 64 KiB", post(), path, Body::Raw(Some("application/json"), huge), 413, None);
    t.status("not logged in", post(), path, Some(search_with("chatId", json!(Uuid::now_v7()))), 401);
    t.as_caller(Caller::Anonymous);
}

// One case per line reads as a table.
#[rustfmt::skip]
fn send_message_cases(t: &mut Table, done_chat: Uuid) {
    let path = "/restapi/send-message";
    let chat = Uuid::new_v4();
    let post = || Method::POST;
    let user = |content: Value| json!({ "id": "m1", "content": content, "sender": "user" });
    t.bad("last message from the assistant", post(), path, answer_with(chat, json!({ "content": "Tak", "sender": "assistant" })), "messages[1].sender");
    t.bad("unknown sender", post(), path, answer_with(chat, json!({ "content": "Tak", "sender": "system" })), "messages[1].sender");
    t.bad("blank answer", post(), path, answer_with(chat, user(json!("   "))), "messages[1].content");
    t.bad("answer over 2000 characters", post(), path, answer_with(chat, user(json!("ż".repeat(2001)))), "messages[1].content");
    t.bad("answer of the wrong type", post(), path, answer_with(chat, user(json!(123))), "messages[1].content");
    t.bad("answer with a NUL character", post(), path, answer_with(chat, user(json!("a\u{0}b"))), "messages[1].content");
    t.bad("no messages", post(), path, json!({ "chatId": chat, "messages": [] }), "messages");
    t.bad("messages missing", post(), path, json!({ "chatId": chat }), "messages");
    t.bad("messages not an array", post(), path, json!({ "chatId": chat, "messages": "Tak" }), "messages");
    t.bad("malformed chatId", post(), path, answer_with(chat, user(json!("Tak"))).tap_chat("x"), "chatId");
    t.status("chat of nobody", post(), path, Some(answer_with(chat, user(json!("Tak")))), 404);
    t.status("interview already over", post(), path, Some(answer_with(done_chat, user(json!("Tak")))), 409);
}

// One case per line reads as a table.
#[rustfmt::skip]
fn chat_cases(t: &mut Table, done_chat: Uuid) {
    let chat_path = format!("/chats/{done_chat}");
    t.bad_path("GET chat: malformed chatId", Method::GET, "/chats/not-a-uuid", "chatId");
    t.bad_path("DELETE chat: malformed chatId", Method::DELETE, "/chats/123", "chatId");
    t.bad_path("listings: malformed chatId", Method::GET, "/chats/xyz/listings", "chatId");
    t.bad_path("messages: malformed chatId", Method::GET, "/messages/chat/xyz", "chatId");
    t.bad("PATCH chat: malformed chatId", Method::PATCH, "/chats/abc", json!({ "chatName": "Nowa" }), "chatId");
    t.bad("empty chatName", Method::PATCH, &chat_path, json!({ "chatName": "  " }), "chatName");
    t.bad("chatName over 100 characters", Method::PATCH, &chat_path, json!({ "chatName": "a".repeat(101) }), "chatName");
    t.bad("chatName of the wrong type", Method::PATCH, &chat_path, json!({ "chatName": 5 }), "chatName");
    t.bad("chatName missing", Method::PATCH, &chat_path, json!({}), "chatName");
    t.status("GET chat of nobody", Method::GET, &format!("/chats/{}", Uuid::new_v4()), None, 404);
    t.status("PATCH chat of nobody", Method::PATCH, &format!("/chats/{}", Uuid::new_v4()), Some(json!({ "chatName": "Nowa" })), 404);
    t.status("GET chats not logged in", Method::GET, "/chats", None, 401);
    t.as_caller(Caller::Anonymous);
}

// One case per line reads as a table.
#[rustfmt::skip]
fn favorite_cases(t: &mut Table) {
    t.bad("malformed listingId", Method::POST, "/favorites", json!({ "listingId": "abc" }), "listingId");
    t.bad("listingId missing", Method::POST, "/favorites", json!({}), "listingId");
    t.bad("listingId of the wrong type", Method::POST, "/favorites", json!({ "listingId": [1] }), "listingId");
    t.status("listing of nobody", Method::POST, "/favorites", Some(json!({ "listingId": Uuid::new_v4() })), 404);
    t.bad_path("DELETE favourite: malformed listingId", Method::DELETE, "/favorites/abc", "listingId");
}

// One case per line reads as a table.
#[rustfmt::skip]
fn profile_cases(t: &mut Table) {
    let path = format!("/user-profiles/{}", Uuid::new_v4());
    let profile = json!({ "personalInfoDescription": { "relationship": "mama" } });
    t.bad_path("GET profile: malformed profileId", Method::GET, "/user-profiles/abc", "profileId");
    t.bad_path("DELETE profile: malformed profileId", Method::DELETE, "/user-profiles/abc", "profileId");
    t.bad("PATCH profile: malformed profileId", Method::PATCH, "/user-profiles/abc", json!({ "personName": "Mama" }), "profileId");
    t.bad("empty personName", Method::PATCH, &path, json!({ "personName": "" }), "personName");
    t.bad("personName over 100 characters", Method::PATCH, &path, json!({ "personName": "a".repeat(101) }), "personName");
    t.bad("profile not an object", Method::PATCH, &path, json!({ "profile": "mama" }), "profile");
    t.bad("profile without personalInfoDescription", Method::PATCH, &path, json!({ "profile": {} }), "profile");
    t.bad("profile field of the wrong type", Method::PATCH, &path, json!({ "profile": { "personalInfoDescription": {}, "lifestyleDescription": 5 } }), "profile.lifestyleDescription");
    t.bad("nothing to change", Method::PATCH, &path, json!({}), "body");
    t.status("profile of nobody", Method::PATCH, &path, Some(json!({ "profile": profile })), 404);
    t.status("DELETE profile of nobody", Method::DELETE, &path, None, 404);
}

// One case per line reads as a table.
#[rustfmt::skip]
fn feedback_cases(t: &mut Table) {
    let chat = Uuid::new_v4();
    let rating = |value: Value| json!({ "chatId": chat, "rating": value });
    t.bad("rating 0", Method::POST, "/feedback", rating(json!(0)), "rating");
    t.bad("rating 6", Method::POST, "/feedback", rating(json!(6)), "rating");
    t.bad("rating 3.5", Method::POST, "/feedback", rating(json!(3.5)), "rating");
    t.bad("rating \"5\"", Method::POST, "/feedback", rating(json!("5")), "rating");
    t.bad("rating missing", Method::POST, "/feedback", json!({ "chatId": chat }), "rating");
    t.bad("comment over 2000 characters", Method::POST, "/feedback", json!({ "chatId": chat, "rating": 4, "comment": "a".repeat(2001) }), "comment");
    t.bad("comment of the wrong type", Method::POST, "/feedback", json!({ "chatId": chat, "rating": 4, "comment": 5 }), "comment");
    t.bad("feedback: malformed chatId", Method::POST, "/feedback", json!({ "chatId": "x", "rating": 4 }), "chatId");
    t.status("feedback on a chat of nobody", Method::POST, "/feedback", Some(rating(json!(4))), 404);
    t.bad_path("GET feedback: malformed chatId", Method::GET, "/feedback/chat/abc", "chatId");
    t.status("GET feedback of nobody's chat", Method::GET, &format!("/feedback/chat/{chat}"), None, 404);
    for (name, query, field) in [
        ("page 0", "page=0", "page"),
        ("page not a number", "page=abc", "page"),
        ("page fractional", "page=1.5", "page"),
        ("pageSize 0", "pageSize=0", "pageSize"),
        ("pageSize 101", "pageSize=101", "pageSize"),
        ("pageSize empty", "page=1&pageSize=", "pageSize"),
    ] {
        t.bad_path(name, Method::GET, &format!("/feedback?{query}"), field);
        t.as_caller(Caller::Admin);
    }
    t.status("admin list as a user", Method::GET, "/feedback?page=1&pageSize=10", None, 403);
}

trait TapChat {
    fn tap_chat(self, chat_id: &str) -> Self;
}

impl TapChat for Value {
    fn tap_chat(mut self, chat_id: &str) -> Self {
        self["chatId"] = json!(chat_id);
        self
    }
}

async fn run(case: &Case, user: &Api, admin: &Api, anonymous: &Api) -> Result<(), String> {
    let api = match case.caller {
        Caller::User => user,
        Caller::Admin => admin,
        Caller::Anonymous => anonymous,
    };
    let reply = match &case.body {
        Body::None => api.send(case.method.clone(), &case.path, None).await,
        Body::Json(body) => api.send(case.method.clone(), &case.path, Some(body)).await,
        Body::Raw(content_type, bytes) => {
            api.raw(
                case.method.clone(),
                &case.path,
                *content_type,
                Some(bytes.clone()),
            )
            .await
        }
    };
    let status = reply.status.as_u16();
    if status >= 500 {
        return Err(format!(
            "{}: server error {status} {}",
            case.name, reply.body
        ));
    }
    if status != case.status {
        return Err(format!(
            "{}: expected {}, got {status} {}",
            case.name, case.status, reply.body
        ));
    }
    if let Some(field) = &case.field
        && reply.body["details"][0]["field"] != json!(field)
    {
        return Err(format!(
            "{}: expected field {field}, got {}",
            case.name, reply.body
        ));
    }
    if status >= 400 && reply.body["statusCode"] != json!(status) {
        return Err(format!("{}: not an error body: {}", case.name, reply.body));
    }
    if status >= 400 && reply.body["code"] != json!(error_code(status)) {
        return Err(format!(
            "{}: expected code {}, got {}",
            case.name,
            error_code(status),
            reply.body
        ));
    }
    Ok(())
}

/// The documented machine code of an error status (README, "Errors").
fn error_code(status: u16) -> &'static str {
    match status {
        400 => "invalid_input",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        413 => "payload_too_large",
        429 => "rate_limited",
        _ => "(an undocumented status)",
    }
}

#[actix_rt::test]
async fn every_bad_input_gets_its_documented_answer() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let user = Api::guest(&app).await;
    let admin = Api::with_role(&app, Role::Admin).await;
    let anonymous = Api {
        token: "not-a-token".into(),
        ..user.clone()
    };
    let done_chat = user.start(json!({})).await;
    user.interview(done_chat, first_suggestion).await;

    let mut table = Table { cases: Vec::new() };
    start_search_cases(&mut table, done_chat);
    send_message_cases(&mut table, done_chat);
    chat_cases(&mut table, done_chat);
    favorite_cases(&mut table);
    profile_cases(&mut table);
    feedback_cases(&mut table);
    assert!(table.cases.len() >= 45, "only {} cases", table.cases.len());

    let mut failures = Vec::new();
    for case in &table.cases {
        if let Err(failure) = run(case, &user, &admin, &anonymous).await {
            failures.push(failure);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.cases.len(),
        failures.join("\n")
    );
    // Nothing was changed by the refused requests.
    let chats = user.get("/chats").await.expect(200);
    assert_eq!(chats["chats"].as_array().unwrap().len(), 1, "{chats}");
    assert_eq!(
        chats["chats"][0]["chatName"],
        user.get(&format!("/chats/{done_chat}")).await.expect(200)["chatName"]
    );
    app.stop().await;
}

#[actix_rt::test]
async fn searches_and_answers_are_rate_limited() {
    let config = WebConfig {
        rate_limits: RateLimits {
            searches_per_hour: 2,
            answers_per_minute: 1,
            ..WebConfig::for_tests().rate_limits
        },
        ..WebConfig::for_tests()
    };
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let user = Api::guest(&app).await;
    let chat_id = user.start(json!({})).await;
    user.start(json!({})).await;
    let refused = user
        .send(
            Method::POST,
            "/restapi/stalking-request",
            Some(&search_with("chatId", json!(Uuid::now_v7()))),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 429, "{}", refused.body);
    // Another user is not affected.
    Api::guest(&app).await.start(json!({})).await;

    let answer = answer_with(chat_id, json!({ "content": "Mama", "sender": "user" }));
    let first = user
        .send(Method::POST, "/restapi/send-message", Some(&answer))
        .await;
    assert_ne!(first.status.as_u16(), 429, "{}", first.body);
    let response = user
        .http
        .post(format!("{}/restapi/send-message", user.base))
        .bearer_auth(&user.token)
        .json(&answer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=60).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    app.stop().await;
}
