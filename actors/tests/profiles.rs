//! The BrightData profile reader against a local mock of the dataset API serving the
//! reference records: trigger, progress polling and download, per network.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mocks;

use std::time::Duration;

use mocks::{attempts, client, exact_query, fixture};
use present_finder_actors::services::http::Secret;
use present_finder_actors::services::provider::ProviderError;
use present_finder_actors::services::stalking::{BrightData, BrightDataConfig, ProfileReader};
use wiremock::matchers::{bearer_token, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn reader(server: &MockServer) -> BrightData {
    BrightData::new(
        client(Duration::from_secs(5)),
        BrightDataConfig {
            api_url: server.uri(),
            api_key: Secret::new("bd-key"),
            poll_interval: Duration::from_millis(20),
        },
        attempts(2, Duration::from_secs(5)),
    )
}

fn json(body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "application/json")
}

/// A scrape of `url` by `dataset` that is running for `running` progress checks, then
/// ready with `records`; each call checked for its exact request.
async fn scrape(
    server: &MockServer,
    dataset: &str,
    url: &str,
    snapshot: &str,
    running: u64,
    records: String,
) {
    Mock::given(method("POST"))
        .and(path("/datasets/v3/trigger"))
        .and(exact_query(&[
            ("dataset_id", dataset),
            ("include_errors", "true"),
        ]))
        .and(bearer_token("bd-key"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!([{ "url": url }])))
        .respond_with(json(format!("{{\"snapshot_id\":\"{snapshot}\"}}")))
        .expect(1)
        .mount(server)
        .await;
    let progress = format!("/datasets/v3/progress/{snapshot}");
    if running > 0 {
        Mock::given(method("GET"))
            .and(path(progress.as_str()))
            .and(bearer_token("bd-key"))
            .respond_with(json(format!(
                "{{\"snapshot_id\":\"{snapshot}\",\"dataset_id\":\"{dataset}\",\"status\":\"running\"}}"
            )))
            .up_to_n_times(running)
            .expect(running)
            .mount(server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(progress.as_str()))
        .and(bearer_token("bd-key"))
        .respond_with(json(format!(
            "{{\"snapshot_id\":\"{snapshot}\",\"dataset_id\":\"{dataset}\",\"status\":\"ready\"}}"
        )))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/datasets/v3/snapshot/{snapshot}").as_str()))
        .and(exact_query(&[("format", "json")]))
        .and(bearer_token("bd-key"))
        .respond_with(json(records))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_instagram_profile_is_triggered_polled_until_ready_and_read() {
    let server = MockServer::start().await;
    let url = "https://www.instagram.com/ola.gotuje";
    scrape(
        &server,
        "gd_l1vikfch901nx3by4",
        url,
        "s_ig1",
        3,
        fixture("brightdata_instagram.json"),
    )
    .await;
    let text = reader(&server).read("instagram", url).await.unwrap();
    assert_eq!(
        text,
        "Ola Kowalska\n\
         ☕ kawa | 🧗 ścianki wspinaczkowe | 📚 kryminały #kraków\n\
         #kraków\n\
         #wspinaczka #espresso\n\
         Nowa droga 6b+ zrobiona! #wspinaczka #bouldering\n\
         Poranne espresso z nowego młynka ☕ #espresso"
    );
}

#[tokio::test]
async fn tiktok_and_x_profiles_use_their_profile_datasets() {
    let server = MockServer::start().await;
    let tiktok = "https://www.tiktok.com/@kubagra";
    let x = "https://x.com/ania_dev";
    scrape(
        &server,
        "gd_l1villgoiiidt09ci",
        tiktok,
        "s_tt1",
        0,
        fixture("brightdata_tiktok.json"),
    )
    .await;
    scrape(
        &server,
        "gd_lwxmeb2u1cniijd7t4",
        x,
        "s_x1",
        1,
        fixture("brightdata_x.json"),
    )
    .await;
    let reader = reader(&server);
    assert_eq!(
        reader.read("tiktok", tiktok).await.unwrap(),
        "Kuba gra\nplanszówki 🎲 i rower 🚴\nRecenzja Wingspan #planszówki #boardgames",
        "the signature repeating the biography is read once"
    );
    assert_eq!(
        reader.read("x", x).await.unwrap(),
        "Ania 👩‍💻\nRust, mechaniczne klawiatury i górskie szlaki.\nWrocław\n\
         Nowe switche do klawiatury dotarły #mechanicalkeyboards"
    );
}

#[tokio::test]
async fn a_download_that_is_not_ready_yet_goes_back_to_polling() {
    let server = MockServer::start().await;
    let url = "https://www.instagram.com/ola.gotuje";
    Mock::given(method("GET"))
        .and(path("/datasets/v3/snapshot/s_ig2"))
        .respond_with(ResponseTemplate::new(202).set_body_raw(
            "{\"status\":\"building\",\"message\":\"Snapshot is building, try again in 10s\"}",
            "application/json",
        ))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    scrape(
        &server,
        "gd_l1vikfch901nx3by4",
        url,
        "s_ig2",
        0,
        fixture("brightdata_instagram.json"),
    )
    .await;
    let text = reader(&server).read("instagram", url).await.unwrap();
    assert!(text.starts_with("Ola Kowalska"), "{text}");
}

fn invalid(result: Result<String, ProviderError>) -> String {
    match result {
        Err(error @ ProviderError::Invalid { .. }) => error.to_string(),
        other => panic!("expected an unusable answer, got {other:?}"),
    }
}

#[tokio::test]
async fn unreadable_profiles_and_failed_scrapes_are_errors_of_that_profile() {
    let server = MockServer::start().await;
    let private = "https://www.instagram.com/private.person";
    scrape(
        &server,
        "gd_l1vikfch901nx3by4",
        private,
        "s_priv",
        0,
        format!(
            "[{{\"url\":\"{private}\",\"error\":\"Profile is private\",\"error_code\":\"private\"}}]"
        ),
    )
    .await;
    let reader = reader(&server);
    let message = invalid(reader.read("instagram", private).await);
    assert!(message.contains("Profile is private"), "{message}");

    let empty = "https://x.com/nobody";
    scrape(
        &server,
        "gd_lwxmeb2u1cniijd7t4",
        empty,
        "s_none",
        0,
        "[]".into(),
    )
    .await;
    let message = invalid(reader.read("x", empty).await);
    assert!(message.contains("no record"), "{message}");

    let failing = "https://www.tiktok.com/@gone";
    Mock::given(method("POST"))
        .and(path("/datasets/v3/trigger"))
        .and(body_json(serde_json::json!([{ "url": failing }])))
        .respond_with(json("{\"snapshot_id\":\"s_fail\"}"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/datasets/v3/progress/s_fail"))
        .respond_with(json("{\"snapshot_id\":\"s_fail\",\"status\":\"failed\"}"))
        .mount(&server)
        .await;
    let message = invalid(reader.read("tiktok", failing).await);
    assert!(message.contains("failed"), "{message}");

    let message = invalid(reader.read("facebook", "https://facebook.com/x").await);
    assert!(message.contains("facebook"), "{message}");
}

#[tokio::test]
async fn a_refused_key_is_not_retried_and_server_errors_are() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/datasets/v3/trigger"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .expect(1)
        .mount(&server)
        .await;
    let message = invalid(reader(&server).read("x", "https://x.com/ania_dev").await);
    assert!(message.contains("401"), "{message}");
    assert!(!message.contains("bd-key"), "{message}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/datasets/v3/trigger"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .expect(3)
        .mount(&server)
        .await;
    let error = reader(&server)
        .read("x", "https://x.com/ania_dev")
        .await
        .unwrap_err();
    assert!(error.is_retryable(), "{error}");
}
