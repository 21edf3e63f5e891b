//! The marketplace parsers under arbitrary answers: any status, any body, and the reference
//! fixtures with any part replaced by any JSON. Each answers products or an error and never
//! panics. `PROPTEST_CASES` sets the cases per property (default 256).

use proptest::prelude::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::{allegro, amazon, ebay, listing, olx};
use crate::services::fuzzing::{any_json, mutated};
use crate::services::http::Answer;

const FIXTURES: [&str; 4] = [
    include_str!("../../../tests/fixtures/olx_offers.json"),
    include_str!("../../../tests/fixtures/allegro_listing.json"),
    include_str!("../../../tests/fixtures/ebay_search.json"),
    include_str!("../../../tests/fixtures/amazon_search.json"),
];

const NAMES: &[&str] = &[
    "data",
    "items",
    "promoted",
    "regular",
    "itemSummaries",
    "total",
    "status",
    "products",
    "title",
    "name",
    "url",
    "id",
    "price",
    "value",
    "label",
    "currency",
    "negotiable",
    "params",
    "key",
    "photos",
    "link",
    "sellingMode",
    "amount",
    "images",
    "vendor",
    "seller",
    "login",
    "user",
    "location",
    "city",
    "region",
    "image",
    "imageUrl",
    "thumbnailImages",
    "itemWebUrl",
    "buyingOptions",
    "feedbackPercentage",
    "itemLocation",
    "product_price",
    "product_title",
    "product_star_rating",
    "product_num_ratings",
    "product_url",
    "asin",
    "error",
    "message",
];

fn parse_all(status: u16, body: &str) {
    let answer = Answer {
        provider: "shop",
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        headers: HeaderMap::new(),
        body: body.to_owned(),
    };
    let _ = olx::parse(&answer);
    let _ = allegro::parse(&answer, "https://allegro.pl");
    let _ = ebay::parse(&answer);
    let _ = amazon::parse(&answer);
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_body_with_any_status_parses_or_fails_cleanly(
        status in prop_oneof![Just(200u16), Just(202), Just(401), Just(403), Just(429), Just(503), 100u16..600],
        body in prop_oneof![".{0,200}", any_json(NAMES).prop_map(|v| v.to_string())],
    ) {
        parse_all(status, &body);
    }

    #[test]
    fn fixtures_with_any_part_replaced_parse_or_fail_cleanly(
        body in prop_oneof![
            mutated(FIXTURES[0], NAMES),
            mutated(FIXTURES[1], NAMES),
            mutated(FIXTURES[2], NAMES),
            mutated(FIXTURES[3], NAMES),
        ],
    ) {
        parse_all(200, &body);
    }

    #[test]
    fn any_price_label_or_description_reads_cleanly(text in ".{0,80}") {
        if let Some(value) = listing::price_in(&text) {
            prop_assert!(value.is_finite() && value >= 0.0, "{value}");
        }
        let plain = listing::plain_text(&text);
        prop_assert!(plain.chars().count() <= 601);
    }
}

#[test]
fn the_unmodified_fixtures_parse() {
    for (fixture, parse) in FIXTURES.iter().zip([
        olx::parse as fn(&Answer) -> _,
        |a: &Answer| allegro::parse(a, "https://allegro.pl"),
        ebay::parse,
        amazon::parse,
    ]) {
        let answer = Answer {
            provider: "shop",
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: (*fixture).to_owned(),
        };
        assert!(!parse(&answer).unwrap().is_empty());
    }
}
