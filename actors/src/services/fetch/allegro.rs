//! Allegro: `GET /offers/listing` (promoted and regular offers) with a client-credentials
//! token. Production hosts by default; the sandbox's, or a mock's, by configuration.

use async_trait::async_trait;
use serde::Deserialize;

use super::listing;
use super::provider::ProductSearch;
use super::token::ClientCredentials;
use crate::events::FetchRequest;
use crate::services::http::{Answer, Secret};
use crate::services::provider::ProviderError;
use crate::vocabulary::{Marketplace, Price, Product, ProductDetails};

const PROVIDER: &str = "allegro";
const MEDIA_TYPE: &str = "application/vnd.allegro.public.v1+json";
/// `/offers/listing` answers at most this many offers.
const MAX_LIMIT: u32 = 60;

#[derive(Debug, Clone)]
pub struct AllegroConfig {
    /// The REST API: `https://api.allegro.pl` (sandbox:
    /// `https://api.allegro.pl.allegrosandbox.pl`).
    pub api_url: String,
    /// The site, which issues tokens (`/auth/oauth/token`) and shows offers
    /// (`/oferta/{id}`): `https://allegro.pl` (sandbox: `https://allegro.pl.allegrosandbox.pl`).
    pub site_url: String,
    pub client_id: String,
    pub client_secret: Secret,
}

pub struct Allegro {
    client: reqwest::Client,
    api_url: String,
    site_url: String,
    credentials: ClientCredentials,
}

impl Allegro {
    pub fn new(client: reqwest::Client, config: AllegroConfig) -> Self {
        let site_url = config.site_url.trim_end_matches('/').to_owned();
        Self {
            client,
            api_url: config.api_url.trim_end_matches('/').to_owned(),
            credentials: ClientCredentials::new(
                PROVIDER,
                format!("{site_url}/auth/oauth/token"),
                config.client_id,
                config.client_secret,
                None,
            ),
            site_url,
        }
    }
}

#[async_trait]
impl ProductSearch for Allegro {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        let mut query = vec![
            ("phrase", request.query.clone()),
            ("limit", request.limit.clamp(1, MAX_LIMIT).to_string()),
        ];
        if let Some(min) = request.price_range.min_price {
            query.push(("price.from", listing::amount(min)));
        }
        if let Some(max) = request.price_range.max_price {
            query.push(("price.to", listing::amount(max)));
        }
        let url = format!("{}/offers/listing", self.api_url);
        let answer = self
            .credentials
            .send(&self.client, |token| {
                self.client
                    .get(&url)
                    .query(&query)
                    .bearer_auth(token)
                    .header(reqwest::header::ACCEPT, MEDIA_TYPE)
                    .header(reqwest::header::ACCEPT_LANGUAGE, "pl-PL")
            })
            .await?;
        parse(&answer, &self.site_url)
    }
}

/// The offers of a listing answer; offers link to `site_url` unless an external vendor
/// shows them.
pub fn parse(answer: &Answer, site_url: &str) -> Result<Vec<Product>, ProviderError> {
    if answer.status == reqwest::StatusCode::FORBIDDEN
        && answer.body.contains("VerificationRequired")
    {
        return Err(ProviderError::Invalid {
            provider: PROVIDER,
            reason: "Allegro allows /offers/listing to verified applications only \
                     (403 VerificationRequired): have the application verified, or use the \
                     sandbox (ALLEGRO_SANDBOX=true)"
                .into(),
        });
    }
    let listing: Listing = answer.json()?;
    let offers = listing
        .items
        .promoted
        .into_iter()
        .chain(listing.items.regular)
        .collect();
    listing::products(PROVIDER, offers, |offer| offer.into_product(site_url))
}

/// The answer; `items` is required, so another shape is an error rather than no offers.
#[derive(Deserialize)]
struct Listing {
    items: Items,
}

#[derive(Deserialize)]
struct Items {
    #[serde(default)]
    promoted: Vec<Offer>,
    #[serde(default)]
    regular: Vec<Offer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Offer {
    id: Option<serde_json::Value>,
    name: Option<String>,
    seller: Option<Seller>,
    #[serde(default)]
    images: Vec<Image>,
    selling_mode: Option<SellingMode>,
    vendor: Option<Vendor>,
}

#[derive(Deserialize)]
struct Seller {
    login: Option<String>,
}

#[derive(Deserialize)]
struct Image {
    url: Option<String>,
}

#[derive(Deserialize)]
struct SellingMode {
    price: Option<Money>,
}

#[derive(Deserialize)]
struct Money {
    amount: Option<serde_json::Value>,
    currency: Option<String>,
}

#[derive(Deserialize)]
struct Vendor {
    url: Option<String>,
}

impl Offer {
    fn into_product(self, site_url: &str) -> Option<Product> {
        let title = listing::nonempty(self.name)?;
        let id = self.id.as_ref().and_then(listing::id_text);
        let link = listing::nonempty(self.vendor.and_then(|v| v.url))
            .or_else(|| id.as_ref().map(|id| format!("{site_url}/oferta/{id}")))?;
        let money = self.selling_mode.and_then(|m| m.price);
        let currency = money
            .as_ref()
            .and_then(|m| m.currency.clone())
            .unwrap_or_else(|| "PLN".to_owned());
        let price = money
            .and_then(|m| m.amount.as_ref().and_then(listing::number))
            .map(|value| Price::of(value, &currency))
            .unwrap_or_default();
        Some(Product {
            image: self
                .images
                .into_iter()
                .find_map(|i| listing::nonempty(i.url)),
            // The listing has no description; the title is what there is.
            description: title.clone(),
            title,
            link,
            price,
            category: None,
            provider: Marketplace::Allegro,
            details: ProductDetails {
                provider_id: id,
                seller: self.seller.and_then(|s| listing::nonempty(s.login)),
                ..ProductDetails::default()
            },
        })
    }
}
