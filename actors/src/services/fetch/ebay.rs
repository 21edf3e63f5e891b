//! eBay: the Browse API's `item_summary/search` with a client-credentials application token,
//! on the marketplace `EBAY_MARKETPLACE_ID` names (`EBAY_PL` by default), prices in złoty.

use async_trait::async_trait;
use serde::Deserialize;

use super::listing;
use super::provider::ProductSearch;
use super::token::ClientCredentials;
use crate::events::FetchRequest;
use crate::services::http::{Answer, Secret};
use crate::services::provider::ProviderError;
use crate::vocabulary::{Marketplace, Price, Product, ProductDetails};

const PROVIDER: &str = "ebay";
const SCOPE: &str = "https://api.ebay.com/oauth/api_scope";
/// Browse search answers at most this many items per page.
const MAX_LIMIT: u32 = 200;
/// eBay refuses longer keyword strings.
const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone)]
pub struct EbayConfig {
    /// `https://api.ebay.com` (sandbox: `https://api.sandbox.ebay.com`): the token endpoint
    /// and the Browse API are both under it.
    pub api_url: String,
    pub marketplace_id: String,
    pub client_id: String,
    pub client_secret: Secret,
}

impl EbayConfig {
    /// eBay Poland.
    pub const DEFAULT_MARKETPLACE: &str = "EBAY_PL";
}

pub struct Ebay {
    client: reqwest::Client,
    search_url: String,
    marketplace_id: String,
    credentials: ClientCredentials,
}

impl Ebay {
    pub fn new(client: reqwest::Client, config: EbayConfig) -> Self {
        let api_url = config.api_url.trim_end_matches('/');
        Self {
            client,
            search_url: format!("{api_url}/buy/browse/v1/item_summary/search"),
            marketplace_id: config.marketplace_id,
            credentials: ClientCredentials::new(
                PROVIDER,
                format!("{api_url}/identity/v1/oauth2/token"),
                config.client_id,
                config.client_secret,
                Some(SCOPE.to_owned()),
            ),
        }
    }
}

#[async_trait]
impl ProductSearch for Ebay {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        let mut query = vec![
            ("q", request.query.chars().take(MAX_QUERY_CHARS).collect()),
            ("limit", request.limit.clamp(1, MAX_LIMIT).to_string()),
            // The first page: an offset must be 0 or a multiple of the limit.
            ("offset", "0".to_owned()),
        ];
        if let Some(filter) = price_filter(request) {
            query.push(("filter", filter));
        }
        let answer = self
            .credentials
            .send(&self.client, |token| {
                self.client
                    .get(&self.search_url)
                    .query(&query)
                    .bearer_auth(token)
                    .header("X-EBAY-C-MARKETPLACE-ID", &self.marketplace_id)
                    .header(reqwest::header::ACCEPT, "application/json")
            })
            .await?;
        parse(&answer)
    }
}

/// `price:[a..b],priceCurrency:PLN` (either bound may be open); eBay needs the currency with
/// a price range.
fn price_filter(request: &FetchRequest) -> Option<String> {
    let range = request.price_range;
    if range.min_price.is_none() && range.max_price.is_none() {
        return None;
    }
    let bound = |b: Option<f64>| b.map(listing::amount).unwrap_or_default();
    Some(format!(
        "price:[{}..{}],priceCurrency:PLN",
        bound(range.min_price),
        bound(range.max_price)
    ))
}

pub fn parse(answer: &Answer) -> Result<Vec<Product>, ProviderError> {
    let page: Page = answer.json()?;
    listing::products(PROVIDER, page.item_summaries, Item::into_product)
}

/// The answer; `total` is required (eBay leaves `itemSummaries` out when nothing matched),
/// so another shape is an error rather than no items.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[allow(dead_code)]
    total: u64,
    #[serde(default)]
    item_summaries: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    item_id: Option<String>,
    title: Option<String>,
    price: Option<Money>,
    image: Option<Image>,
    #[serde(default)]
    thumbnail_images: Vec<Image>,
    item_web_url: Option<String>,
    item_href: Option<String>,
    seller: Option<Seller>,
    condition: Option<String>,
    item_location: Option<ItemLocation>,
    short_description: Option<String>,
    #[serde(default)]
    buying_options: Vec<String>,
}

#[derive(Deserialize)]
struct Money {
    value: Option<serde_json::Value>,
    currency: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Image {
    image_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Seller {
    username: Option<String>,
    feedback_percentage: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ItemLocation {
    city: Option<String>,
    country: Option<String>,
}

impl Item {
    fn into_product(self) -> Option<Product> {
        let title = listing::nonempty(self.title)?;
        let link = listing::nonempty(self.item_web_url).or(listing::nonempty(self.item_href))?;
        let price = self
            .price
            .and_then(|m| {
                let value = m.value.as_ref().and_then(listing::number)?;
                Some(Price::of(value, m.currency.as_deref().unwrap_or("PLN")))
            })
            .map(|mut price| {
                price.negotiable = self.buying_options.iter().any(|o| o == "BEST_OFFER");
                price
            })
            .unwrap_or_default();
        let image = self
            .image
            .into_iter()
            .chain(self.thumbnail_images)
            .find_map(|i| listing::nonempty(i.image_url));
        let seller = self.seller.and_then(|s| {
            let name = listing::nonempty(s.username)?;
            Some(
                match s.feedback_percentage.as_ref().and_then(listing::number) {
                    // The only rating in a search result is the seller's.
                    Some(positive) => format!("{name} ({positive}% positive feedback)"),
                    None => name,
                },
            )
        });
        let location = self.item_location.map(|l| {
            [l.city, l.country]
                .into_iter()
                .filter_map(listing::nonempty)
                .collect::<Vec<_>>()
                .join(", ")
        });
        Some(Product {
            image,
            description: self
                .short_description
                .map(|d| listing::plain_text(&d))
                .unwrap_or_else(|| title.clone()),
            title,
            link,
            price,
            category: None,
            provider: Marketplace::Ebay,
            details: ProductDetails {
                provider_id: listing::nonempty(self.item_id),
                seller,
                location: location.filter(|l| !l.is_empty()),
                condition: listing::nonempty(self.condition),
                rating: None,
            },
        })
    }
}
