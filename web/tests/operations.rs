//! Health, metrics, cross-origin rules and the OpenAPI description.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::test;
use common::TestApp;
use present_finder_actors::testing::Transport;
use present_finder_schema::{ServiceDatabase, connect_pool};
use present_finder_web::http::{self, WebConfig};

#[actix_rt::test]
async fn readiness_is_ok_when_everything_answers_and_names_what_is_down() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let service = test::init_service(http::app(app.state.clone())).await;
    let response = test::call_service(
        &service,
        test::TestRequest::get()
            .uri("/health/readiness")
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = test::read_body_json(response).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["info"]["database:restapi"]["status"], "up");
    assert_eq!(body["info"]["broker"]["status"], "up");

    // A database that cannot be reached.
    let mut broken = app.state.clone();
    broken.pools.insert(
        ServiceDatabase::Chat,
        connect_pool(
            "postgres://postgres@127.0.0.1:5432/no_such_database_for_readiness",
            1,
        )
        .unwrap(),
    );
    let service = test::init_service(http::app(broken)).await;
    for path in ["/health/readiness", "/health"] {
        let response =
            test::call_service(&service, test::TestRequest::get().uri(path).to_request()).await;
        assert_eq!(response.status(), 503);
        let body: serde_json::Value = test::read_body_json(response).await;
        assert_eq!(body["status"], "error");
        assert_eq!(body["error"]["database:chat"]["status"], "down");
        assert!(body["error"]["database:chat"]["message"].as_str().is_some());
        assert_eq!(body["info"]["database:restapi"]["status"], "up");
    }
    let response = test::call_service(
        &service,
        test::TestRequest::get()
            .uri("/health/liveness")
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    app.stop().await;
}

#[actix_rt::test]
async fn metrics_expose_http_and_broker_figures() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let client = reqwest::Client::new();
    client
        .get(app.url("/health/liveness"))
        .send()
        .await
        .unwrap();
    let text = client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            "http_requests_total{method=\"GET\",route=\"/health/liveness\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains("broker_connected{transport=\"in-process\"} 1"));
    assert!(text.contains("sse_connections"));
    app.stop().await;
}

#[actix_rt::test]
async fn unknown_routes_answer_a_json_404() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let response = reqwest::get(app.url("/no/such/route")).await.unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["statusCode"], 404);
    assert_eq!(body["error"], "Not Found");
    app.stop().await;
}

#[actix_rt::test]
async fn state_changing_requests_from_foreign_origins_are_refused() {
    let mut config = WebConfig::for_tests();
    config.cors_origins = vec!["https://gifts.example.com".into()];
    let app = TestApp::spawn_with(Transport::InProcess, config).await;
    let client = reqwest::Client::new();
    let foreign = client
        .post(app.url("/auth/guest"))
        .header("Origin", "https://evil.example.net")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let allowed = client
        .post(app.url("/auth/guest"))
        .header("Origin", "https://gifts.example.com")
        .send()
        .await
        .unwrap();
    assert_ne!(allowed.status(), 403);
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://gifts.example.com")
    );
    // Reading is allowed from anywhere the browser permits (CORS decides what it may see).
    let read = client
        .get(app.url("/health/liveness"))
        .header("Origin", "https://evil.example.net")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    app.stop().await;
}

/// Every route of the API contract is described in `/openapi.json`, and every described
/// route exists.
#[actix_rt::test]
async fn openapi_describes_every_route() {
    let app = TestApp::spawn(Transport::InProcess).await;
    let spec: serde_json::Value = reqwest::get(app.url("/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let described: std::collections::BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let contract = [
        ("GET", "/auth/google/url"),
        ("POST", "/auth/google/callback"),
        ("POST", "/auth/guest"),
        ("GET", "/auth/me"),
        ("DELETE", "/auth/me"),
        ("GET", "/auth/me/export"),
        ("POST", "/auth/refresh"),
        ("POST", "/auth/logout"),
        ("POST", "/restapi/stalking-request"),
        ("POST", "/restapi/send-message"),
        ("GET", "/chats"),
        ("GET", "/chats/{chatId}"),
        ("PATCH", "/chats/{chatId}"),
        ("DELETE", "/chats/{chatId}"),
        ("GET", "/chats/{chatId}/listings"),
        ("GET", "/messages/chat/{chatId}"),
        ("GET", "/favorites"),
        ("POST", "/favorites"),
        ("DELETE", "/favorites/{listingId}"),
        ("GET", "/user-profiles"),
        ("GET", "/user-profiles/{profileId}"),
        ("PATCH", "/user-profiles/{profileId}"),
        ("DELETE", "/user-profiles/{profileId}"),
        ("POST", "/feedback"),
        ("GET", "/feedback"),
        ("GET", "/feedback/chat/{chatId}"),
        ("GET", "/sse"),
        ("GET", "/health/liveness"),
        ("GET", "/health/readiness"),
        ("GET", "/health"),
        ("GET", "/metrics"),
    ];
    for (method, path) in contract {
        assert!(
            described.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} is not in /openapi.json"
        );
    }
    // Every described route is served: with a uuid in its parameters it never falls through
    // to the 404 of unknown routes (whose message is "Not found").
    let client = reqwest::Client::new();
    for (method, path) in &described {
        let concrete = path
            .replace("{chatId}", "0190b8a2-0000-7000-8000-000000000000")
            .replace("{listingId}", "0190b8a2-0000-7000-8000-000000000000")
            .replace("{profileId}", "0190b8a2-0000-7000-8000-000000000000");
        let request = client.request(method.parse().unwrap(), app.url(&concrete));
        let response = request.send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(
            !(status == 404 && body.contains("\"Not found\"")),
            "{method} {path} is described but not routed"
        );
        assert!(
            status.as_u16() < 500 || status == 503,
            "{method} {path} answered {status}"
        );
    }
    app.stop().await;
}
