//! OpenAPI descriptions of shared types whose Rust definitions live outside the HTTP layer
//! (the vocabulary and the listing). They are never built: they only document the wire shape.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use utoipa::ToSchema;
use uuid::Uuid;

/// The occasion of the gift (`holiday` is Christmas).
#[derive(ToSchema)]
#[schema(rename_all = "kebab-case")]
pub enum Occasion {
    Birthday,
    NameDay,
    Anniversary,
    Holiday,
    Valentines,
    JustBecause,
}

/// The language of the interview and of the results.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Locale {
    Pl,
    En,
}

/// A gift found for a chat, in rank order (1 = best).
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct Listing {
    id: Uuid,
    chat_id: Uuid,
    image: Option<String>,
    title: String,
    description: String,
    link: String,
    price: Price,
    /// One of the web client's category names, when known.
    category: Option<String>,
    /// `olx`, `allegro`, `ebay`, `amazon` or `catalog`.
    provider: String,
    is_favorited: bool,
    created_at: DateTime<Utc>,
    /// 1–10, higher fits better.
    score: f64,
    /// Why it fits the recipient.
    reasoning: String,
    rank: i32,
    /// The marketplace's own id of the offer (OLX id, Allegro offer id, eBay item id,
    /// ASIN). This and the fields below are left out when the marketplace does not give them.
    #[schema(nullable = false)]
    provider_id: Option<String>,
    #[schema(nullable = false)]
    seller: Option<String>,
    /// Where the item is, e.g. "Kraków, Małopolskie".
    #[schema(nullable = false)]
    location: Option<String>,
    /// As the marketplace words it, e.g. "Używane", "Nowy".
    #[schema(nullable = false)]
    condition: Option<String>,
    #[schema(nullable = false)]
    rating: Option<Rating>,
}

/// Customers' rating of the product.
#[derive(ToSchema)]
pub struct Rating {
    /// 0–5 stars.
    stars: f64,
    /// How many ratings the average is of; left out when unknown.
    #[schema(nullable = false)]
    count: Option<u64>,
}

#[derive(ToSchema)]
pub struct Price {
    /// A number (not a string); null when the marketplace shows none.
    value: Option<f64>,
    label: Option<String>,
    currency: Option<String>,
    negotiable: bool,
}

/// What is known about the person the gift is for.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct RecipientProfile {
    personal_info_description: PersonalInfo,
    lifestyle_description: Option<String>,
    preferences_description: Option<String>,
    recent_life_description: Option<String>,
    possessions: Option<Possessions>,
}

#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct PersonalInfo {
    relationship: Option<String>,
    occasion: Option<String>,
    age_range: Option<String>,
}

#[derive(ToSchema)]
pub struct Possessions {
    what_already_has: Vec<String>,
    what_is_missing: Vec<String>,
}
