//! A gift as the API shows it (the predecessor's `Listing`, plus score, reasoning and rank).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use present_finder_actors::vocabulary::{Price, ProductDetails};
use present_finder_schema::tables::restapi::listings;
use serde::Serialize;
use uuid::Uuid;

/// A stored listing; also its shape in the account export.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = listings)]
#[serde(rename_all = "camelCase")]
pub struct ListingRow {
    pub id: Uuid,
    #[serde(skip)]
    pub chat_id: Uuid,
    pub rank: i32,
    pub image: Option<String>,
    pub title: String,
    pub description: String,
    pub link: String,
    pub price_value: Option<f64>,
    pub price_label: Option<String>,
    pub price_currency: Option<String>,
    pub price_negotiable: bool,
    pub category: Option<String>,
    pub provider: String,
    pub score: f64,
    pub reasoning: String,
    pub created_at: DateTime<Utc>,
    /// What the marketplace said beyond the essentials (seller, location, condition,
    /// rating, its own offer id), when it said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    pub id: Uuid,
    pub chat_id: Uuid,
    pub image: Option<String>,
    pub title: String,
    pub description: String,
    pub link: String,
    pub price: Price,
    pub category: Option<String>,
    pub provider: String,
    pub is_favorited: bool,
    pub created_at: DateTime<Utc>,
    pub score: f64,
    pub reasoning: String,
    pub rank: i32,
    /// Each field left out when the marketplace did not give it.
    #[serde(flatten)]
    pub details: ProductDetails,
}

impl Listing {
    pub fn from_row(row: ListingRow, is_favorited: bool) -> Self {
        let details = row.details().unwrap_or_default();
        Self {
            id: row.id,
            chat_id: row.chat_id,
            image: row.image,
            title: row.title,
            description: row.description,
            link: row.link,
            price: Price {
                value: row.price_value,
                label: row.price_label,
                currency: row.price_currency,
                negotiable: row.price_negotiable,
            },
            category: row.category,
            provider: row.provider,
            is_favorited,
            created_at: row.created_at,
            score: row.score,
            reasoning: row.reasoning,
            rank: row.rank,
            details,
        }
    }
}

impl ListingRow {
    /// The stored details; none when there are none or they cannot be read (the listing is
    /// still shown, without them).
    fn details(&self) -> Option<ProductDetails> {
        let stored = self.details.as_ref()?;
        serde_json::from_value(stored.clone())
            .inspect_err(|error| log::warn!("listing {}: unreadable details ({error})", self.id))
            .ok()
    }
}

/// A listing in the `gift-ready` SSE message, which also names its id `listingId`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingWithId {
    pub listing_id: Uuid,
    #[serde(flatten)]
    pub listing: Listing,
}
