//! OLX: the public offers endpoint its web pages use (`GET /api/v1/offers/`), with the
//! headers of a browser. No credentials; OLX guards it with an anti-bot check, whose HTML
//! page is an error of that request.

use async_trait::async_trait;
use serde::Deserialize;

use super::listing;
use super::provider::ProductSearch;
use crate::events::FetchRequest;
use crate::services::http::Answer;
use crate::services::provider::ProviderError;
use crate::vocabulary::{Marketplace, Price, Product, ProductDetails};

const PROVIDER: &str = "olx";
/// OLX answers at most this many offers per page.
const MAX_LIMIT: u32 = 50;
const BROWSER: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

#[derive(Debug, Clone)]
pub struct OlxConfig {
    /// `https://www.olx.pl`, or a mock's address.
    pub base_url: String,
}

pub struct Olx {
    client: reqwest::Client,
    config: OlxConfig,
}

impl Olx {
    pub fn new(client: reqwest::Client, config: OlxConfig) -> Self {
        Self { client, config }
    }
}

#[async_trait]
impl ProductSearch for Olx {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        let base = self.config.base_url.trim_end_matches('/');
        let mut query = vec![
            ("offset", "0".to_owned()),
            ("limit", request.limit.clamp(1, MAX_LIMIT).to_string()),
            ("query", request.query.clone()),
            ("filter_refiners", "spell_checker".to_owned()),
        ];
        if let Some(min) = request.price_range.min_price {
            query.push(("filter_float_price:from", listing::amount(min)));
        }
        if let Some(max) = request.price_range.max_price {
            query.push(("filter_float_price:to", listing::amount(max)));
        }
        let http = self
            .client
            .get(format!("{base}/api/v1/offers/"))
            .query(&query)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, BROWSER)
            .header(reqwest::header::REFERER, format!("{base}/"));
        parse(&Answer::send(PROVIDER, http).await?)
    }
}

pub fn parse(answer: &Answer) -> Result<Vec<Product>, ProviderError> {
    let page: Page = answer.json()?;
    listing::products(PROVIDER, page.data, Offer::into_product)
}

/// The answer; `data` is required, so another shape is an error rather than no offers.
#[derive(Deserialize)]
struct Page {
    data: Vec<Offer>,
}

#[derive(Deserialize)]
struct Offer {
    id: Option<serde_json::Value>,
    title: Option<String>,
    url: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    photos: Vec<Photo>,
    #[serde(default)]
    params: Vec<Param>,
    user: Option<User>,
    location: Option<Location>,
}

#[derive(Deserialize)]
struct Photo {
    link: Option<String>,
}

#[derive(Deserialize)]
struct Param {
    key: Option<String>,
    /// A price (`value`, `label`, `currency`, `negotiable`) or a choice (`key`, `label`).
    value: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct User {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Location {
    city: Option<Named>,
    region: Option<Named>,
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

impl Offer {
    /// An offer without title or link cannot be shown; it is left out.
    fn into_product(self) -> Option<Product> {
        let title = listing::nonempty(self.title)?;
        let link = listing::nonempty(self.url)?;
        let param = |key: &str| {
            self.params
                .iter()
                .find(|p| p.key.as_deref() == Some(key))
                .and_then(|p| p.value.as_ref())
        };
        let price = param("price").map(price).unwrap_or_default();
        let condition = param("state")
            .and_then(|v| v.get("label"))
            .and_then(|l| l.as_str())
            .map(str::to_owned);
        let location = self.location.map(|l| {
            [l.city, l.region]
                .into_iter()
                .filter_map(|n| n.and_then(|n| n.name).filter(|n| !n.trim().is_empty()))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let image = self
            .photos
            .into_iter()
            .find_map(|p| p.link)
            .map(|link| full_size(&link));
        Some(Product {
            image,
            description: self
                .description
                .map(|d| listing::plain_text(&d))
                .unwrap_or_default(),
            title,
            link,
            price,
            category: None,
            provider: Marketplace::Olx,
            details: ProductDetails {
                provider_id: self.id.and_then(|id| listing::id_text(&id)),
                seller: self.user.and_then(|u| listing::nonempty(u.name)),
                location: location.filter(|l| !l.is_empty()),
                condition,
                rating: None,
            },
        })
    }
}

/// OLX's price parameter. "do negocjacji" (negotiable) is kept as such; a giveaway or an
/// exchange has a label and no number.
fn price(value: &serde_json::Value) -> Price {
    let label = value
        .get("label")
        .and_then(|l| l.as_str())
        .map(str::to_owned);
    let negotiable = value.get("negotiable").and_then(|n| n.as_bool()) == Some(true)
        || label
            .as_deref()
            .is_some_and(|l| l.to_lowercase().contains("do negocjacji"));
    Price {
        value: value.get("value").and_then(listing::number),
        label,
        currency: Some(
            value
                .get("currency")
                .and_then(|c| c.as_str())
                .unwrap_or("PLN")
                .to_owned(),
        ),
        negotiable,
    }
}

/// Photo links are templates ending in `;s={width}x{height}`; without it OLX serves the
/// original size.
fn full_size(link: &str) -> String {
    link.split(";s=").next().unwrap_or(link).to_owned()
}

#[cfg(test)]
mod tests {
    use super::full_size;

    #[test]
    fn photo_templates_lose_their_size() {
        assert_eq!(
            full_size(
                "https://ireland.apollo.olxcdn.com:443/v1/files/ab-PL/image;s={width}x{height}"
            ),
            "https://ireland.apollo.olxcdn.com:443/v1/files/ab-PL/image"
        );
        assert_eq!(full_size("https://x/y.jpg"), "https://x/y.jpg");
    }
}
