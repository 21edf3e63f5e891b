//! Each marketplace client against a local mock of its API serving the reference fixtures:
//! the exact request it sends, the products it reads, and each documented failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mocks;

use std::time::{Duration, Instant};

use mocks::{attempts, client, exact_query, fixture, search};
use present_finder_actors::services::fetch::{
    Allegro, AllegroConfig, Amazon, AmazonConfig, Ebay, EbayConfig, Olx, OlxConfig, ProductSearch,
};
use present_finder_actors::services::http::Secret;
use present_finder_actors::services::provider::ProviderError;
use present_finder_actors::vocabulary::{Marketplace, Rating};
use wiremock::matchers::{basic_auth, bearer_token, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TIMEOUT: Duration = Duration::from_secs(5);

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn invalid(
    result: Result<Vec<present_finder_actors::vocabulary::Product>, ProviderError>,
) -> String {
    match result {
        Err(error @ ProviderError::Invalid { .. }) => error.to_string(),
        other => panic!("expected an unusable answer, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// OLX

fn olx(server: &MockServer) -> Olx {
    Olx::new(
        client(TIMEOUT),
        OlxConfig {
            base_url: server.uri(),
        },
    )
}

#[tokio::test]
async fn olx_sends_a_browser_like_offers_request_and_reads_the_offers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/offers/"))
        .and(exact_query(&[
            ("offset", "0"),
            ("limit", "20"),
            ("query", "ekspres do kawy"),
            ("filter_refiners", "spell_checker"),
            ("filter_float_price:from", "100"),
            ("filter_float_price:to", "300"),
        ]))
        .and(header("accept", "application/json"))
        .and(header("referer", format!("{}/", server.uri()).as_str()))
        .and(wiremock::matchers::header_regex(
            "user-agent",
            "^Mozilla/5.0 .*Chrome/",
        ))
        .respond_with(json(fixture("olx_offers.json")))
        .expect(1)
        .mount(&server)
        .await;
    let products = olx(&server)
        .search(&search("ekspres do kawy", Some(100.0), Some(300.0)))
        .await
        .unwrap();
    assert_eq!(products.len(), 2);
    let first = &products[0];
    assert_eq!(
        first.title,
        "Ekspres do kawy DeLonghi Magnifica S – stan idealny"
    );
    assert_eq!(
        first.link,
        "https://www.olx.pl/d/oferta/ekspres-do-kawy-delonghi-magnifica-s-CID99-IDZx1Ab.html"
    );
    assert_eq!(
        first.image.as_deref(),
        Some("https://ireland.apollo.olxcdn.com:443/v1/files/ab12cd34ef56-PL/image")
    );
    assert_eq!(
        first.description,
        "Sprzedam ekspres, używany pół roku. Odbiór Kraków lub wysyłka OLX."
    );
    assert_eq!(first.price.value, Some(250.0));
    assert_eq!(first.price.label.as_deref(), Some("250 zł"));
    assert_eq!(first.price.currency.as_deref(), Some("PLN"));
    assert!(first.price.negotiable, "do negocjacji");
    assert_eq!(first.provider, Marketplace::Olx);
    assert_eq!(first.details.provider_id.as_deref(), Some("901234567"));
    assert_eq!(first.details.seller.as_deref(), Some("Marek"));
    assert_eq!(
        first.details.location.as_deref(),
        Some("Kraków, Małopolskie")
    );
    assert_eq!(first.details.condition.as_deref(), Some("Używane"));
    let second = &products[1];
    assert_eq!(second.image, None, "no photos");
    assert!(!second.price.negotiable);
    assert_eq!(
        second.details.location.as_deref(),
        Some("Warszawa, Mazowieckie")
    );
}

#[tokio::test]
async fn olx_failures_are_errors_of_the_request() {
    let server = MockServer::start().await;
    let olx = olx(&server);
    let cases = [
        (
            ResponseTemplate::new(200).set_body_raw(
                "<!DOCTYPE html><html><body>Please enable JS and disable any ad blocker</body></html>",
                "text/html",
            ),
            "HTML",
        ),
        (json(String::new()), "empty"),
        (json("{\"data\": [{\"title\": ".into()), "unexpected JSON"),
        (json("{\"offers\": []}".into()), "unexpected JSON"),
        (
            json("{\"data\": [{\"id\": 1, \"description\": \"no title\"}]}".into()),
            "none of the 1 offers",
        ),
        (ResponseTemplate::new(403).set_body_string("blocked"), "403"),
    ];
    for (response, expected) in cases {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(response)
            .mount(&server)
            .await;
        let message = invalid(olx.search(&search("rower", None, None)).await);
        assert!(message.contains(expected), "{message}");
    }
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(json(
            "{\"data\": [], \"metadata\": {\"total_elements\": 0}}".into(),
        ))
        .mount(&server)
        .await;
    let none = olx.search(&search("xyzzy", None, None)).await.unwrap();
    assert!(none.is_empty(), "no offers is an empty success");
}

// ---------------------------------------------------------------------------------------------
// Allegro

fn allegro(server: &MockServer) -> Allegro {
    Allegro::new(
        client(TIMEOUT),
        AllegroConfig {
            api_url: format!("{}/api", server.uri()),
            site_url: format!("{}/site", server.uri()),
            client_id: "allegro-client".into(),
            client_secret: Secret::new("allegro-secret"),
        },
    )
}

async fn allegro_token(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path("/site/auth/oauth/token"))
        .and(basic_auth("allegro-client", "allegro-secret"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(json(format!(
            "{{\"access_token\":\"{token}\",\"token_type\":\"bearer\",\"expires_in\":43199,\
             \"scope\":\"allegro:api:sale:offers:read\",\"allegro_api\":true,\"jti\":\"5a0b\"}}"
        )))
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn allegro_gets_a_token_once_and_lists_promoted_and_regular_offers() {
    let server = MockServer::start().await;
    allegro_token(&server, "token-1", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/offers/listing"))
        .and(exact_query(&[
            ("phrase", "kubek termiczny"),
            ("limit", "20"),
            ("price.from", "50"),
            ("price.to", "199.99"),
        ]))
        .and(bearer_token("token-1"))
        .and(header("accept", "application/vnd.allegro.public.v1+json"))
        .and(header("accept-language", "pl-PL"))
        .respond_with(json(fixture("allegro_listing.json")))
        .expect(2)
        .mount(&server)
        .await;
    let allegro = allegro(&server);
    let request = search("kubek termiczny", Some(50.0), Some(199.99));
    let products = allegro.search(&request).await.unwrap();
    let titles: Vec<&str> = products.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Kubek termiczny Contigo West Loop 470 ml grafitowy",
            "Zestaw do parzenia kawy drip V60 + młynek ręczny",
            "Kawa ziarnista Etiopia Yirgacheffe 1 kg – Allegro Lokalnie",
        ],
        "promoted first, then regular"
    );
    let mug = &products[0];
    assert_eq!(
        mug.link,
        format!("{}/site/oferta/14938201777", server.uri())
    );
    assert_eq!(mug.price.value, Some(119.0));
    assert_eq!(mug.price.currency.as_deref(), Some("PLN"));
    assert_eq!(mug.price.label.as_deref(), Some("119.00 zł"));
    assert_eq!(
        mug.image.as_deref(),
        Some(
            "https://a.allegroimg.com/original/11a2b3/4c5d6e7f8a9b0c1d2e3f/Kubek-termiczny-Contigo"
        )
    );
    assert_eq!(mug.details.seller.as_deref(), Some("sklep-termo"));
    assert_eq!(mug.details.provider_id.as_deref(), Some("14938201777"));
    assert_eq!(mug.provider, Marketplace::Allegro);
    assert_eq!(
        products[2].link, "https://allegrolokalnie.pl/oferta/kawa-ziarnista-etiopia",
        "an external vendor's offer links to the vendor"
    );
    assert_eq!(products[1].price.value, Some(189.9));
    // The token is reused: the token mock expects one call for both searches.
    allegro.search(&request).await.unwrap();
}

#[tokio::test]
async fn allegro_fetches_a_new_token_when_the_api_refuses_the_old_one() {
    let server = MockServer::start().await;
    allegro_token(&server, "expired", 1).await;
    allegro_token(&server, "fresh", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/offers/listing"))
        .and(bearer_token("expired"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            "{\"error\":\"invalid_token\",\"error_description\":\"Access token expired\"}",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/offers/listing"))
        .and(bearer_token("fresh"))
        .respond_with(json(fixture("allegro_listing.json")))
        .expect(1)
        .mount(&server)
        .await;
    let products = allegro(&server)
        .search(&search("kubek", None, None))
        .await
        .unwrap();
    assert_eq!(products.len(), 3);
}

#[tokio::test]
async fn allegro_reports_an_unverified_application_and_refused_credentials_clearly() {
    let server = MockServer::start().await;
    allegro_token(&server, "token-1", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/offers/listing"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            "{\"errors\":[{\"code\":\"VerificationRequired\",\"message\":\"Access is denied. Verification is required.\",\"details\":null,\"path\":null,\"userMessage\":\"No access to the specified resource. Access is possible only for verified applications.\",\"metadata\":{}}]}",
            "application/vnd.allegro.public.v1+json",
        ))
        .mount(&server)
        .await;
    let message = invalid(allegro(&server).search(&search("kubek", None, None)).await);
    assert!(message.contains("VerificationRequired"), "{message}");
    assert!(message.contains("verified applications"), "{message}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            "{\"error\":\"invalid_client\",\"error_description\":\"Bad client credentials\"}",
        ))
        .mount(&server)
        .await;
    let message = invalid(allegro(&server).search(&search("kubek", None, None)).await);
    assert!(message.contains("token request"), "{message}");
    assert!(message.contains("invalid_client"), "{message}");
    assert!(!message.contains("allegro-secret"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// eBay

fn ebay(server: &MockServer) -> Ebay {
    Ebay::new(
        client(TIMEOUT),
        EbayConfig {
            api_url: server.uri(),
            marketplace_id: "EBAY_PL".into(),
            client_id: "ebay-client".into(),
            client_secret: Secret::new("ebay-secret"),
        },
    )
}

async fn ebay_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/identity/v1/oauth2/token"))
        .and(basic_auth("ebay-client", "ebay-secret"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "grant_type=client_credentials&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope",
        ))
        .respond_with(json(
            "{\"access_token\":\"v^1.1#i^1#p^1#r^0#I^3#f^0#t^H4sI\",\"expires_in\":7200,\"token_type\":\"Application Access Token\"}".into(),
        ))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn ebay_searches_the_polish_marketplace_in_zloty_with_an_application_token() {
    let server = MockServer::start().await;
    ebay_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/buy/browse/v1/item_summary/search"))
        .and(exact_query(&[
            ("q", "lego technic"),
            ("limit", "20"),
            ("offset", "0"),
            ("filter", "price:[100..400],priceCurrency:PLN"),
        ]))
        .and(bearer_token("v^1.1#i^1#p^1#r^0#I^3#f^0#t^H4sI"))
        .and(header("x-ebay-c-marketplace-id", "EBAY_PL"))
        .respond_with(json(fixture("ebay_search.json")))
        .expect(1)
        .mount(&server)
        .await;
    let products = ebay(&server)
        .search(&search("lego technic", Some(100.0), Some(400.0)))
        .await
        .unwrap();
    assert_eq!(products.len(), 2);
    let bugatti = &products[0];
    assert_eq!(
        bugatti.title,
        "LEGO Technic 42151 Bugatti Bolide – NEU & OVP"
    );
    assert_eq!(bugatti.link, "https://www.ebay.pl/itm/126543210987");
    assert_eq!(
        bugatti.image.as_deref(),
        Some("https://i.ebayimg.com/images/g/AbCdEfGhIjKlMnOp/s-l225.jpg")
    );
    assert_eq!(bugatti.price.value, Some(189.99));
    assert_eq!(bugatti.price.currency.as_deref(), Some("PLN"));
    assert!(!bugatti.price.negotiable);
    assert_eq!(
        bugatti.details.provider_id.as_deref(),
        Some("v1|126543210987|0")
    );
    assert_eq!(
        bugatti.details.seller.as_deref(),
        Some("brickworld_de (99.6% positive feedback)")
    );
    assert_eq!(bugatti.details.location.as_deref(), Some("DE"));
    assert_eq!(bugatti.details.condition.as_deref(), Some("Neu"));
    assert_eq!(bugatti.provider, Marketplace::Ebay);
    let used = &products[1];
    assert_eq!(
        used.link, "https://api.ebay.com/buy/browse/v1/item/v1%7C126500000001%7C0",
        "without a web URL, the item's API URL"
    );
    assert_eq!(
        used.image.as_deref(),
        Some("https://i.ebayimg.com/images/g/ZyXwVuTsRqPoNmLk/s-l1600.jpg"),
        "without an image, the first thumbnail"
    );
    assert!(used.price.negotiable, "best offer accepted");
    assert_eq!(used.details.location.as_deref(), Some("Poznań, PL"));
}

#[tokio::test]
async fn ebay_without_hits_is_empty_but_another_shape_is_an_error() {
    let server = MockServer::start().await;
    ebay_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/buy/browse/v1/item_summary/search"))
        .and(exact_query(&[("q", "xyzzy"), ("limit", "20"), ("offset", "0")]))
        .respond_with(json(
            "{\"href\":\"https://api.ebay.com/buy/browse/v1/item_summary/search?q=xyzzy\",\"total\":0,\"limit\":20,\"offset\":0}".into(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/buy/browse/v1/item_summary/search"))
        .and(wiremock::matchers::query_param("q", "changed"))
        .respond_with(json("{\"results\":[]}".into()))
        .mount(&server)
        .await;
    let ebay = ebay(&server);
    assert!(
        ebay.search(&search("xyzzy", None, None))
            .await
            .unwrap()
            .is_empty()
    );
    let message = invalid(ebay.search(&search("changed", None, None)).await);
    assert!(message.contains("total"), "{message}");
}

#[tokio::test]
async fn ebay_fetches_a_new_token_when_the_api_refuses_the_old_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/identity/v1/oauth2/token"))
        .respond_with(json(
            "{\"access_token\":\"revoked\",\"expires_in\":7200}".into(),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/identity/v1/oauth2/token"))
        .respond_with(json(
            "{\"access_token\":\"fresh\",\"expires_in\":7200}".into(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/buy/browse/v1/item_summary/search"))
        .and(bearer_token("revoked"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            "{\"errors\":[{\"errorId\":1001,\"domain\":\"OAuth\",\"category\":\"REQUEST\",\"message\":\"Invalid access token\"}]}",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/buy/browse/v1/item_summary/search"))
        .and(bearer_token("fresh"))
        .respond_with(json(fixture("ebay_search.json")))
        .expect(2)
        .mount(&server)
        .await;
    let ebay = ebay(&server);
    assert_eq!(
        ebay.search(&search("lego", None, None))
            .await
            .unwrap()
            .len(),
        2
    );
    // The new token is kept: the token mocks expect two calls in all.
    assert_eq!(
        ebay.search(&search("lego", None, None))
            .await
            .unwrap()
            .len(),
        2
    );
}

// ---------------------------------------------------------------------------------------------
// Amazon (RapidAPI)

fn amazon(server: &MockServer) -> Amazon {
    Amazon::new(
        client(TIMEOUT),
        AmazonConfig {
            api_url: server.uri(),
            api_key: Secret::new("rapid-key"),
            country: "PL".into(),
        },
    )
}

#[tokio::test]
async fn amazon_searches_amazon_pl_through_rapidapi_and_reads_formatted_prices() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(exact_query(&[
            ("query", "słuchawki bezprzewodowe"),
            ("country", "PL"),
            ("page", "1"),
            ("min_price", "100"),
            ("max_price", "400"),
        ]))
        .and(header("x-rapidapi-key", "rapid-key"))
        .and(header(
            "x-rapidapi-host",
            "real-time-amazon-data.p.rapidapi.com",
        ))
        .respond_with(json(fixture("amazon_search.json")))
        .expect(1)
        .mount(&server)
        .await;
    let products = amazon(&server)
        .search(&search("słuchawki bezprzewodowe", Some(100.0), Some(400.0)))
        .await
        .unwrap();
    assert_eq!(products.len(), 2);
    let sony = &products[0];
    assert_eq!(
        sony.title,
        "Sony WH-CH720N – bezprzewodowe słuchawki nauszne z ANC, czarne"
    );
    assert_eq!(sony.price.value, Some(349.0));
    assert_eq!(sony.price.label.as_deref(), Some("349,00 zł"));
    assert_eq!(sony.price.currency.as_deref(), Some("PLN"));
    assert_eq!(sony.link, "https://www.amazon.pl/dp/B0CHX1W1XY");
    assert_eq!(
        sony.image.as_deref(),
        Some("https://m.media-amazon.com/images/I/51abcDEF12L._AC_UL960_FMwebp_QL65_.jpg")
    );
    assert_eq!(
        sony.details.rating,
        Some(Rating {
            stars: 4.4,
            count: Some(5821)
        })
    );
    assert_eq!(sony.details.provider_id.as_deref(), Some("B0CHX1W1XY"));
    assert_eq!(sony.provider, Marketplace::Amazon);
    assert_eq!(
        products[1].price.value,
        Some(1199.99),
        "thousands grouped by a space"
    );
    assert_eq!(products[1].details.rating, None);
}

#[tokio::test]
async fn amazon_errors_are_reported() {
    let server = MockServer::start().await;
    let amazon = amazon(&server);
    for (response, expected) in [
        (
            json("{\"status\":\"ERROR\",\"request_id\":\"r1\",\"error\":{\"message\":\"Invalid country\",\"code\":400}}".into()),
            "Invalid country",
        ),
        (
            ResponseTemplate::new(403)
                .set_body_string("{\"message\":\"You are not subscribed to this API.\"}"),
            "not subscribed",
        ),
        (json("{\"status\":\"OK\",\"data\":{}}".into()), "unexpected JSON"),
        (
            ResponseTemplate::new(429).set_body_string(
                "{\"message\":\"You have exceeded the MONTHLY quota for Requests on your current plan, BASIC. Upgrade your plan at https://rapidapi.com/\"}",
            ),
            "quota is used up",
        ),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(response)
            .mount(&server)
            .await;
        let message = invalid(amazon.search(&search("lampka", None, None)).await);
        assert!(message.contains(expected), "{message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Retries, as the fetch service makes them (`Attempts` around each search)

#[tokio::test]
async fn a_rate_limited_search_waits_as_long_as_retry_after_says_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_string("{\"message\":\"You have exceeded the rate limit per second for your plan, BASIC, by the API provider\"}"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(json(fixture("amazon_search.json")))
        .expect(1)
        .mount(&server)
        .await;
    let amazon = amazon(&server);
    let request = search("lampka", None, None);
    let started = Instant::now();
    let products = attempts(2, TIMEOUT)
        .run("amazon", |_| amazon.search(&request))
        .await
        .unwrap();
    assert_eq!(products.len(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}, Retry-After said 1 s",
        started.elapsed()
    );
}

#[tokio::test]
async fn server_errors_are_retried_and_the_last_one_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/offers/"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .expect(3)
        .mount(&server)
        .await;
    let olx = olx(&server);
    let request = search("rower", None, None);
    let error = attempts(2, TIMEOUT)
        .run("olx", |_| olx.search(&request))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProviderError::Unavailable { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("503"), "{error}");
}

#[tokio::test]
async fn a_search_past_its_time_limit_is_retried_then_reported_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/offers/"))
        .respond_with(json(fixture("olx_offers.json")).set_delay(Duration::from_secs(3)))
        .expect(2)
        .mount(&server)
        .await;
    let olx = olx(&server);
    let request = search("rower", None, None);
    let started = Instant::now();
    let error = attempts(1, Duration::from_millis(300))
        .run("olx", |_| olx.search(&request))
        .await
        .unwrap_err();
    assert!(error.is_retryable(), "{error}");
    assert!(error.to_string().contains("300ms"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_unusable_answer_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/offers/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>captcha</html>", "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let olx = olx(&server);
    let request = search("rower", None, None);
    let error = attempts(3, TIMEOUT)
        .run("olx", |_| olx.search(&request))
        .await
        .unwrap_err();
    assert!(matches!(error, ProviderError::Invalid { .. }), "{error}");
}
