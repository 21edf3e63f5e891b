//! What the provider tests share: the reference fixtures, a matcher for a request's whole
//! query string, and fetch requests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use present_finder_actors::broker::RetryPolicy;
use present_finder_actors::events::FetchRequest;
use present_finder_actors::services::provider::Attempts;
use present_finder_actors::vocabulary::PriceRange;
use uuid::Uuid;
use wiremock::{Match, Request};

/// A fixture of `tests/fixtures/`, hand-written after the providers' documented answers.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Matches a request whose query string holds exactly these parameters (in any order), no
/// more, no fewer.
pub struct ExactQuery(BTreeMap<String, String>);

pub fn exact_query(pairs: &[(&str, &str)]) -> ExactQuery {
    ExactQuery(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let sent: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let unique: BTreeMap<String, String> = sent.iter().cloned().collect();
        sent.len() == self.0.len() && unique == self.0
    }
}

/// A search for `query` within the price range, 20 products.
pub fn search(query: &str, min: Option<f64>, max: Option<f64>) -> FetchRequest {
    FetchRequest {
        request_id: Uuid::now_v7(),
        wave_id: Uuid::now_v7(),
        query: query.to_owned(),
        limit: 20,
        price_range: PriceRange {
            min_price: min,
            max_price: max,
        },
        locale: Default::default(),
    }
}

/// The HTTP client the providers get, with `timeout`.
pub fn client(timeout: Duration) -> reqwest::Client {
    present_finder_actors::services::http::client(timeout).unwrap()
}

/// How the fetch service repeats a marketplace call, with short pauses.
pub fn attempts(retries: u32, timeout: Duration) -> Attempts {
    Attempts {
        retries,
        timeout,
        backoff: RetryPolicy {
            base: Duration::from_millis(50),
            max: Duration::from_secs(3),
        },
    }
}
