//! Amazon through RapidAPI's "Real-Time Amazon Data" search (`GET /search`), amazon.pl by
//! default. (Amazon's own Product Advertising API 5 is being retired, so nothing is built on
//! it.)

use async_trait::async_trait;
use serde::Deserialize;

use super::listing;
use super::provider::ProductSearch;
use crate::events::FetchRequest;
use crate::services::http::{Answer, Secret};
use crate::services::provider::ProviderError;
use crate::vocabulary::{Marketplace, Price, Product, ProductDetails, Rating};

const PROVIDER: &str = "amazon";
/// The host RapidAPI routes by, whatever address the requests go to.
pub const RAPIDAPI_HOST: &str = "real-time-amazon-data.p.rapidapi.com";

#[derive(Debug, Clone)]
pub struct AmazonConfig {
    /// `https://real-time-amazon-data.p.rapidapi.com`, or a mock's address.
    pub api_url: String,
    pub api_key: Secret,
    /// The Amazon store searched: `PL` is amazon.pl.
    pub country: String,
}

pub struct Amazon {
    client: reqwest::Client,
    config: AmazonConfig,
}

impl Amazon {
    pub fn new(client: reqwest::Client, config: AmazonConfig) -> Self {
        Self { client, config }
    }
}

#[async_trait]
impl ProductSearch for Amazon {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        let mut query = vec![
            ("query", request.query.clone()),
            ("country", self.config.country.clone()),
            ("page", "1".to_owned()),
        ];
        if let Some(min) = request.price_range.min_price {
            query.push(("min_price", listing::amount(min)));
        }
        if let Some(max) = request.price_range.max_price {
            query.push(("max_price", listing::amount(max)));
        }
        let http = self
            .client
            .get(format!(
                "{}/search",
                self.config.api_url.trim_end_matches('/')
            ))
            .query(&query)
            .header("X-RapidAPI-Key", self.config.api_key.expose())
            .header("X-RapidAPI-Host", RAPIDAPI_HOST)
            .header(reqwest::header::ACCEPT, "application/json");
        // The page size is the API's own; the fetch service keeps `limit` of them.
        parse(&Answer::send(PROVIDER, http).await?)
    }
}

pub fn parse(answer: &Answer) -> Result<Vec<Product>, ProviderError> {
    if answer.status == reqwest::StatusCode::TOO_MANY_REQUESTS
        && answer.body.to_lowercase().contains("quota")
    {
        // The plan's monthly requests are used up: retrying before the month ends only
        // spends the search's time.
        return Err(ProviderError::Invalid {
            provider: PROVIDER,
            reason: "the RapidAPI plan's request quota is used up (429)".into(),
        });
    }
    let page: Page = answer.json()?;
    if page.status != "OK" {
        let message = page
            .error
            .and_then(|e| e.message)
            .unwrap_or_else(|| "no reason given".to_owned());
        return Err(ProviderError::Invalid {
            provider: PROVIDER,
            reason: format!("status {}: {message}", page.status),
        });
    }
    let products = page
        .data
        .map(|d| d.products)
        .ok_or(ProviderError::Invalid {
            provider: PROVIDER,
            reason: "an OK answer without data.products".into(),
        })?;
    listing::products(PROVIDER, products, Item::into_product)
}

/// The answer: `status` is required, and `data.products` when it is "OK".
#[derive(Deserialize)]
struct Page {
    status: String,
    data: Option<Data>,
    error: Option<ApiError>,
}

#[derive(Deserialize)]
struct Data {
    products: Vec<Item>,
}

#[derive(Deserialize)]
struct ApiError {
    message: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    asin: Option<String>,
    product_title: Option<String>,
    product_price: Option<String>,
    currency: Option<String>,
    product_star_rating: Option<serde_json::Value>,
    product_num_ratings: Option<u64>,
    product_url: Option<String>,
    product_photo: Option<String>,
}

impl Item {
    fn into_product(self) -> Option<Product> {
        let title = listing::nonempty(self.product_title)?;
        let asin = listing::nonempty(self.asin);
        let link = listing::nonempty(self.product_url).or_else(|| {
            asin.as_ref()
                .map(|asin| format!("https://www.amazon.pl/dp/{asin}"))
        })?;
        let label = listing::nonempty(self.product_price);
        let price = Price {
            value: label.as_deref().and_then(listing::price_in),
            label,
            currency: listing::nonempty(self.currency).or(Some("PLN".to_owned())),
            negotiable: false,
        };
        let rating = self
            .product_star_rating
            .as_ref()
            .and_then(listing::number)
            .filter(|stars| (0.0..=5.0).contains(stars))
            .map(|stars| Rating {
                stars,
                count: self.product_num_ratings,
            });
        Some(Product {
            image: listing::nonempty(self.product_photo),
            // Search results carry no description.
            description: title.clone(),
            title,
            link,
            price,
            category: None,
            provider: Marketplace::Amazon,
            details: ProductDetails {
                provider_id: asin,
                rating,
                ..ProductDetails::default()
            },
        })
    }
}
