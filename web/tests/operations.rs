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
