//! Whole gift searches against local mocks of the four marketplaces and BrightData: gifts
//! from every shop, a shop that is down, answers reused from the caches, and a marketplace
//! with no client refused at start. No test touches the internet.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{Harness, Search, fast_settings};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_actors::services::fetch::{AllegroConfig, AmazonConfig, EbayConfig, OlxConfig};
use present_finder_actors::services::http::Secret;
use present_finder_actors::services::stalking::BrightDataConfig;
use present_finder_actors::services::{ProviderConfig, Providers, ServiceName, Settings};
use present_finder_actors::testing::Transport;
use present_finder_actors::vocabulary::Marketplace;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::tables::fetch::provider_calls;
use present_finder_schema::tables::reranking;
use present_finder_schema::tables::stalking::analyses;
use present_finder_web::driver::{Ending, Scripted, SessionOutcome};
use present_finder_web::system::{RunningSystem, SystemConfig};
use serde_json::Value;
use wiremock::matchers::{bearer_token, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../actors/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Answers a search with the fixture's offers, each title starting with the query, so that
/// every wave finds products that fit its ideas.
struct Offers {
    fixture: Value,
    /// The query parameter holding the search text.
    parameter: &'static str,
}

impl Respond for Offers {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = request
            .url
            .query_pairs()
            .find(|(key, _)| key == self.parameter)
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        let mut body = self.fixture.clone();
        retitle(&mut body, &query);
        ResponseTemplate::new(200).set_body_json(body)
    }
}

fn retitle(value: &mut Value, query: &str) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                match field {
                    Value::String(title)
                        if ["title", "name", "product_title"].contains(&key.as_str()) =>
                    {
                        *title = format!("{query}: {title}");
                    }
                    _ => retitle(field, query),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| retitle(item, query)),
        _ => {}
    }
}

/// One mock server per provider.
struct Shops {
    olx: MockServer,
    allegro: MockServer,
    ebay: MockServer,
    amazon: MockServer,
    brightdata: MockServer,
}

const INSTAGRAM: &str = "https://www.instagram.com/ola.gotuje";

impl Shops {
    async fn start() -> Self {
        let shops = Self {
            olx: MockServer::start().await,
            allegro: MockServer::start().await,
            ebay: MockServer::start().await,
            amazon: MockServer::start().await,
            brightdata: MockServer::start().await,
        };
        Mock::given(method("GET"))
            .and(path("/api/v1/offers/"))
            .and(header("accept", "application/json"))
            .respond_with(Offers {
                fixture: fixture("olx_offers.json"),
                parameter: "query",
            })
            .mount(&shops.olx)
            .await;
        Mock::given(method("POST"))
            .and(path("/auth/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "allegro-token", "token_type": "bearer", "expires_in": 43199
            })))
            .mount(&shops.allegro)
            .await;
        Mock::given(method("GET"))
            .and(path("/offers/listing"))
            .and(bearer_token("allegro-token"))
            .and(header("accept", "application/vnd.allegro.public.v1+json"))
            .respond_with(Offers {
                fixture: fixture("allegro_listing.json"),
                parameter: "phrase",
            })
            .mount(&shops.allegro)
            .await;
        Mock::given(method("POST"))
            .and(path("/identity/v1/oauth2/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "ebay-token", "expires_in": 7200,
                "token_type": "Application Access Token"
            })))
            .mount(&shops.ebay)
            .await;
        Mock::given(method("GET"))
            .and(path("/buy/browse/v1/item_summary/search"))
            .and(bearer_token("ebay-token"))
            .and(header("x-ebay-c-marketplace-id", "EBAY_PL"))
            .respond_with(Offers {
                fixture: fixture("ebay_search.json"),
                parameter: "q",
            })
            .mount(&shops.ebay)
            .await;
        Mock::given(method("GET"))
            .and(path("/search"))
            .and(header("x-rapidapi-key", "rapid-key"))
            .respond_with(Offers {
                fixture: fixture("amazon_search.json"),
                parameter: "query",
            })
            .mount(&shops.amazon)
            .await;
        Mock::given(method("POST"))
            .and(path("/datasets/v3/trigger"))
            .and(bearer_token("bd-key"))
            .and(wiremock::matchers::body_json(
                serde_json::json!([{ "url": INSTAGRAM }]),
            ))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot_id": "s_1"})),
            )
            .mount(&shops.brightdata)
            .await;
        Mock::given(method("GET"))
            .and(path("/datasets/v3/progress/s_1"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"snapshot_id": "s_1", "status": "ready"})),
            )
            .mount(&shops.brightdata)
            .await;
        Mock::given(method("GET"))
            .and(path("/datasets/v3/snapshot/s_1"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(fixture("brightdata_instagram.json")),
            )
            .mount(&shops.brightdata)
            .await;
        shops
    }

    fn config(&self) -> ProviderConfig {
        ProviderConfig {
            olx: Some(OlxConfig {
                base_url: self.olx.uri(),
            }),
            allegro: Some(AllegroConfig {
                api_url: self.allegro.uri(),
                site_url: self.allegro.uri(),
                client_id: "allegro-client".into(),
                client_secret: Secret::new("allegro-secret"),
            }),
            ebay: Some(EbayConfig {
                api_url: self.ebay.uri(),
                marketplace_id: "EBAY_PL".into(),
                client_id: "ebay-client".into(),
                client_secret: Secret::new("ebay-secret"),
            }),
            amazon: Some(AmazonConfig {
                api_url: self.amazon.uri(),
                api_key: Secret::new("rapid-key"),
                country: "PL".into(),
            }),
            brightdata: Some(BrightDataConfig {
                api_url: self.brightdata.uri(),
                api_key: Secret::new("bd-key"),
                poll_interval: Duration::from_millis(50),
            }),
            llm: None,
        }
    }

    /// Searches that reached each marketplace (token requests not counted).
    async fn searches(&self) -> [usize; 4] {
        [
            requests_to(&self.olx, "/api/v1/offers/").await,
            requests_to(&self.allegro, "/offers/listing").await,
            requests_to(&self.ebay, "/buy/browse/v1/item_summary/search").await,
            requests_to(&self.amazon, "/search").await,
        ]
    }

    async fn scrapes(&self) -> usize {
        requests_to(&self.brightdata, "/datasets/v3/trigger").await
    }
}

async fn requests_to(server: &MockServer, path: &str) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests.iter().filter(|r| r.url.path() == path).count()
}

fn settings() -> Settings {
    Settings {
        marketplaces: vec![
            Marketplace::Olx,
            Marketplace::Allegro,
            Marketplace::Ebay,
            Marketplace::Amazon,
        ],
        max_ideas_loop: 0,
        // Generous: the profile is read before the search starts.
        stalking_deadline: Duration::from_secs(10),
        provider_timeout: Duration::from_secs(5),
        ..fast_settings()
    }
}

async fn start(shops: &Shops, settings: Settings) -> Harness {
    let providers = Providers::configured(&settings, &shops.config()).unwrap();
    Harness::start_custom(
        Transport::InProcess,
        settings,
        ServiceName::ALL.into_iter().collect(),
        Some(providers),
    )
    .await
}

fn coffee_lover() -> Search {
    Search {
        instagram_url: Some(INSTAGRAM.to_owned()),
        ..Search::default()
    }
}

fn script() -> Scripted {
    Scripted::new([
        "To moja siostra",
        "Kobieta",
        "26-35",
        "Pije kawę z ekspresu i wspina się na ściance",
        "Lubi słuchać muzyki w słuchawkach",
    ])
}

fn gifts(outcome: &SessionOutcome) -> &[Value] {
    match &outcome.ending {
        Ending::Ready { gifts, partial } => {
            assert!(!partial, "not cut short");
            gifts
        }
        other => panic!("expected gifts, got {other:?}"),
    }
}

fn providers(gifts: &[Value]) -> BTreeSet<String> {
    gifts
        .iter()
        .map(|g| g["provider"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_rt::test]
async fn a_search_through_every_shop_ranks_gifts_from_each_and_caches_what_it_read() {
    let shops = Shops::start().await;
    let harness = start(&shops, settings()).await;
    let user_id = harness.guest().await;
    let outcome = harness.search_as(user_id, coffee_lover(), script()).await;
    let found = gifts(&outcome);
    assert_eq!(
        providers(found),
        BTreeSet::from(["allegro", "amazon", "ebay", "olx"].map(str::to_owned)),
        "{found:#?}"
    );
    for gift in found {
        let shown = format!("{gift:#}");
        // The fixtures hold one offer without a photo each for OLX and Allegro: no image
        // then, and never an empty one.
        assert!(
            gift["image"].is_null()
                || gift["image"]
                    .as_str()
                    .is_some_and(|i| i.starts_with("https://")),
            "{shown}"
        );
        assert!(
            gift["price"]["value"].as_f64().is_some_and(|v| v > 0.0),
            "{shown}"
        );
        assert!(gift["price"]["label"].as_str().is_some(), "{shown}");
        assert!(
            gift["link"].as_str().is_some_and(|l| l.starts_with("http")),
            "{shown}"
        );
        assert!(gift["score"].as_f64().is_some(), "{shown}");
    }
    for marketplace in ["allegro", "amazon", "ebay", "olx"] {
        assert!(
            found
                .iter()
                .any(|g| g["provider"] == marketplace && g["image"].is_string()),
            "no {marketplace} gift with an image"
        );
    }
    // What each shop said of its offers (seller, condition, location, rating) reached the
    // result, and so did the results page the API serves from the restapi database.
    for gift in found {
        assert_fixture_details(gift);
    }
    for marketplace in ["allegro", "ebay"] {
        assert!(
            found
                .iter()
                .any(|g| g["provider"] == marketplace && g["seller"].is_string()),
            "no {marketplace} gift with its seller"
        );
    }
    let listed = api_listings(&harness, user_id, found).await;
    assert_eq!(listed.len(), found.len());
    for (listing, gift) in listed.iter().zip(found) {
        assert_eq!(listing["id"], gift["id"]);
        for field in ["providerId", "seller", "location", "condition", "rating"] {
            assert_eq!(
                listing.get(field),
                gift.get(field),
                "{field} of {listing:#}"
            );
        }
        assert_fixture_details(listing);
    }
    let searched = shops.searches().await;
    assert!(searched.iter().all(|&n| n > 0), "{searched:?}");
    assert_eq!(shops.scrapes().await, 1);
    // The scraped profile became facts (the embedded extractor's).
    let (facts, sources) = analysis(&harness).await;
    assert_eq!(sources[0]["ok"], true, "{sources}");
    let facts = facts.to_string().to_lowercase();
    assert!(
        facts.contains("kaw") || facts.contains("wspinacz"),
        "{facts}"
    );

    // The same search again: every marketplace query and the profile come from the caches.
    let again = harness.search(coffee_lover(), script()).await;
    assert_eq!(providers(gifts(&again)).len(), 4);
    assert_eq!(
        shops.searches().await,
        searched,
        "answered from the query cache"
    );
    assert_eq!(shops.scrapes().await, 1, "answered from the scrape cache");
    harness.stop().await;
}

/// The details the fixture offer with the marketplace's `id` carries, as a gift shows them
/// (fields the marketplace does not give are left out).
fn fixture_details(provider: &str, id: &str) -> Value {
    match (provider, id) {
        ("allegro", "14938201777") => serde_json::json!({"seller": "sklep-termo"}),
        ("allegro", "15002398811") => serde_json::json!({"seller": "kawowy_zakatek"}),
        ("allegro", "15002398999") => serde_json::json!({"seller": "palarnia_lokalna"}),
        ("ebay", "v1|126543210987|0") => serde_json::json!({
            "seller": "brickworld_de (99.6% positive feedback)",
            "location": "DE",
            "condition": "Neu",
        }),
        ("ebay", "v1|126500000001|0") => serde_json::json!({
            "seller": "klocki_pl",
            "location": "Poznań, PL",
            "condition": "Używany",
        }),
        ("amazon", "B0CHX1W1XY") => serde_json::json!({"rating": {"stars": 4.4, "count": 5821}}),
        ("amazon", "B0BTJ3RY9P") => serde_json::json!({}),
        _ => panic!("no {provider} offer {id} in the fixtures"),
    }
}

/// An Allegro, eBay or Amazon gift carries the id, seller, location, condition and rating of
/// the fixture offer it came from, and leaves out what the offer does not say.
fn assert_fixture_details(gift: &Value) {
    let provider = gift["provider"].as_str().unwrap();
    if !["allegro", "ebay", "amazon"].contains(&provider) {
        return;
    }
    let id = gift["providerId"]
        .as_str()
        .unwrap_or_else(|| panic!("no providerId: {gift:#}"));
    let expected = fixture_details(provider, id);
    for field in ["seller", "location", "condition", "rating"] {
        assert_eq!(gift.get(field), expected.get(field), "{field} of {gift:#}");
    }
}

/// The chat's listings as `GET /chats/{chatId}/listings` serves them.
async fn api_listings(harness: &Harness, user_id: uuid::Uuid, gifts: &[Value]) -> Vec<Value> {
    let chat_id: uuid::Uuid = gifts[0]["chatId"].as_str().unwrap().parse().unwrap();
    let pool = harness.databases.pool(ServiceDatabase::Restapi);
    let mut conn = pool.get().await.unwrap();
    let page = present_finder_web::restapi::queries::listings::chat_with_listings(
        &mut conn, user_id, chat_id,
    )
    .await
    .unwrap()
    .expect("the user's chat");
    page.listings
        .iter()
        .map(|listing| serde_json::to_value(listing).unwrap())
        .collect()
}

/// The facts and sources of the (last) profile analysis.
async fn analysis(harness: &Harness) -> (Value, Value) {
    analysis_if_any(harness).await.expect("a profile analysis")
}

async fn analysis_if_any(harness: &Harness) -> Option<(Value, Value)> {
    let pool = harness.databases.pool(ServiceDatabase::Stalking);
    let mut conn = pool.get().await.unwrap();
    analyses::table
        .order(analyses::requested_at.desc())
        .select((analyses::facts, analyses::sources))
        .first(&mut conn)
        .await
        .optional()
        .unwrap()
}

#[actix_rt::test]
async fn an_unreadable_profile_is_reported_and_the_search_goes_on() {
    let shops = Shops::start().await;
    let private = "https://www.instagram.com/private.person";
    Mock::given(method("POST"))
        .and(path("/datasets/v3/trigger"))
        .and(wiremock::matchers::body_json(
            serde_json::json!([{ "url": private }]),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"snapshot_id": "s_2"})),
        )
        .mount(&shops.brightdata)
        .await;
    Mock::given(method("GET"))
        .and(path("/datasets/v3/progress/s_2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"snapshot_id": "s_2", "status": "ready"})),
        )
        .mount(&shops.brightdata)
        .await;
    Mock::given(method("GET"))
        .and(path("/datasets/v3/snapshot/s_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"url": private, "error": "Profile is private", "error_code": "private"}
        ])))
        .mount(&shops.brightdata)
        .await;
    let harness = start(&shops, settings()).await;
    let search = Search {
        instagram_url: Some(private.to_owned()),
        ..Search::default()
    };
    let outcome = harness.search(search, script()).await;
    assert_eq!(providers(gifts(&outcome)).len(), 4);
    let (facts, sources) = analysis(&harness).await;
    assert_eq!(facts, serde_json::json!([]));
    assert_eq!(sources[0]["ok"], false, "{sources}");
    assert!(
        sources[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("Profile is private")),
        "{sources}"
    );
    harness.stop().await;
}

/// A scrape that never finishes is given up at the stalking deadline, when the search stops
/// waiting for it, not at `PROFILE_TIMEOUT_S`: the analysis reports the profile as not
/// available, and its snapshot is polled no more.
#[actix_rt::test]
async fn a_scrape_that_never_finishes_is_given_up_at_the_stalking_deadline() {
    let shops = Shops::start().await;
    let endless = "https://www.instagram.com/never.ready";
    Mock::given(method("POST"))
        .and(path("/datasets/v3/trigger"))
        .and(wiremock::matchers::body_json(
            serde_json::json!([{ "url": endless }]),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"snapshot_id": "s_endless"})),
        )
        .mount(&shops.brightdata)
        .await;
    let progress = "/datasets/v3/progress/s_endless";
    Mock::given(method("GET"))
        .and(path(progress))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"snapshot_id": "s_endless", "status": "running"}),
            ),
        )
        .mount(&shops.brightdata)
        .await;
    let stalking_deadline = Duration::from_secs(3);
    let profile_timeout = Duration::from_secs(600);
    let settings = Settings {
        stalking_deadline,
        profile_timeout,
        ..settings()
    };
    let harness = start(&shops, settings).await;
    let started = std::time::Instant::now();
    let search = Search {
        instagram_url: Some(endless.to_owned()),
        ..Search::default()
    };
    let outcome = harness.search(search, script()).await;
    assert_eq!(providers(gifts(&outcome)).len(), 4);

    // The analysis ends at about the deadline (generous bounds: a loaded machine is slow).
    let (facts, sources) = loop {
        if let Some(analysis) = analysis_if_any(&harness).await {
            break analysis;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no analysis 120 s after the search started"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let elapsed = started.elapsed();
    assert!(
        elapsed >= stalking_deadline && elapsed < profile_timeout / 5,
        "the analysis ended {elapsed:?} after the search started"
    );
    assert_eq!(facts, serde_json::json!([]));
    assert_eq!(sources[0]["ok"], false, "{sources}");
    let error = sources[0]["error"].as_str().unwrap();
    assert!(
        error.starts_with("not available") && error.contains("stalking deadline"),
        "{error}"
    );

    // The snapshot was polled until then, and no more since (a poll every 50 ms otherwise).
    let polled = requests_to(&shops.brightdata, progress).await;
    assert!(polled > 0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(requests_to(&shops.brightdata, progress).await, polled);
    harness.stop().await;
}

#[actix_rt::test]
async fn offers_outside_the_budget_are_dropped_where_they_are_fetched() {
    let shops = Shops::start().await;
    let harness = start(&shops, settings()).await;
    let search = Search {
        instagram_url: Some(INSTAGRAM.to_owned()),
        ..Search::budget(100.0, 300.0)
    };
    let outcome = harness.search(search, script()).await;
    // Amazon's fixture offers cost 349 and 1199.99 zł: none is left.
    assert_eq!(
        providers(gifts(&outcome)),
        BTreeSet::from(["allegro", "ebay", "olx"].map(str::to_owned))
    );
    let prices = harness.reranked_prices().await;
    assert!(!prices.is_empty());
    for price in prices {
        let price = price.unwrap();
        assert!(
            (100.0..=300.0).contains(&price),
            "{price} reached reranking"
        );
    }
    harness.stop().await;
}

#[actix_rt::test]
async fn a_search_with_one_shop_down_ends_with_the_others_results_in_time() {
    let shops = Shops::start().await;
    shops.olx.reset().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/offers/"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .mount(&shops.olx)
        .await;
    let settings = settings();
    let deadline = settings.session_deadline;
    let retries = settings.provider_retries as usize;
    let harness = start(&shops, settings).await;
    let outcome = harness.search(coffee_lover(), script()).await;
    let gifts = gifts(&outcome);
    assert_eq!(
        providers(gifts),
        BTreeSet::from(["allegro", "amazon", "ebay"].map(str::to_owned))
    );
    assert!(outcome.elapsed < deadline, "{:?}", outcome.elapsed);
    // Each OLX query was tried once and retried, and every attempt is in the call log.
    let [olx, ..] = shops.searches().await;
    assert!(olx > 0 && olx % (retries + 1) == 0, "{olx} OLX calls");
    let pool = harness.databases.pool(ServiceDatabase::Fetch);
    let mut conn = pool.get().await.unwrap();
    let failed: i64 = provider_calls::table
        .filter(provider_calls::provider.eq("olx"))
        .filter(provider_calls::ok.eq(false))
        .filter(provider_calls::error.like("%503%"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(failed as usize, olx);
    drop(conn);
    let errors = fetch_errors(&harness, "olx").await;
    assert_eq!(errors.len(), olx / (retries + 1));
    assert!(errors.iter().all(|e| e.contains("503")), "{errors:?}");
    harness.stop().await;
}

/// The errors the fetch answers of `marketplace` reported to reranking (one per request).
async fn fetch_errors(harness: &Harness, marketplace: &str) -> Vec<String> {
    use reranking::wave_requests;
    let pool = harness.databases.pool(ServiceDatabase::Reranking);
    let mut conn = pool.get().await.unwrap();
    let answers: Vec<(Option<bool>, Option<String>)> = wave_requests::table
        .filter(wave_requests::provider.eq(marketplace))
        .select((wave_requests::success, wave_requests::error))
        .load(&mut conn)
        .await
        .unwrap();
    answers
        .into_iter()
        .map(|(success, error)| {
            assert_eq!(success, Some(false), "{error:?}");
            error.unwrap()
        })
        .collect()
}

#[actix_rt::test]
async fn an_anti_bot_page_is_an_error_of_each_request_not_an_empty_success() {
    let shops = Shops::start().await;
    shops.olx.reset().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/offers/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><html><head><title>olx.pl</title></head><body>Please enable JS and disable any ad blocker</body></html>",
            "text/html; charset=utf-8",
        ))
        .mount(&shops.olx)
        .await;
    let harness = start(&shops, settings()).await;
    let outcome = harness.search(coffee_lover(), script()).await;
    assert_eq!(providers(gifts(&outcome)).len(), 3);
    let errors = fetch_errors(&harness, "olx").await;
    let [olx, ..] = shops.searches().await;
    assert_eq!(errors.len(), olx, "an unusable answer is not retried");
    assert!(errors.iter().all(|e| e.contains("HTML")), "{errors:?}");
    harness.stop().await;
}

#[actix_rt::test]
async fn a_marketplace_without_a_client_stops_the_start() {
    let databases = present_finder_schema::testing::TestDatabases::create()
        .await
        .unwrap();
    let settings = Settings {
        marketplaces: vec![Marketplace::Catalog, Marketplace::Allegro],
        ..fast_settings()
    };
    let started = RunningSystem::start(SystemConfig {
        broker: present_finder_actors::testing::broker_config(Transport::InProcess),
        database_urls: databases.urls(),
        pool_size: 2,
        providers: Some(Providers::embedded(&settings)),
        settings,
        services: ServiceName::ALL.into_iter().collect(),
    })
    .await;
    let error = format!("{:#}", started.err().expect("the start fails"));
    assert!(error.contains("MARKETPLACES names allegro"), "{error}");
}
