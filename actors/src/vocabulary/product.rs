use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The category vocabulary the web client filters on (OLX's top-level categories).
pub const CATEGORIES: [&str; 18] = [
    "Dom i Ogród",
    "Elektronika",
    "Nieruchomości",
    "Dla Dzieci",
    "Antyki i Kolekcje",
    "Muzyka i Edukacja",
    "Firma i Przemysł",
    "Sport i Hobby",
    "Usługi",
    "Zdrowie i Uroda",
    "Oddam za darmo",
    "Moda",
    "Noclegi",
    "Praca",
    "Motoryzacja",
    "Zwierzęta",
    "Wypożyczalnia",
    "Rolnictwo",
];

/// A marketplace products are searched on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Marketplace {
    Olx,
    Allegro,
    Ebay,
    Amazon,
    /// The bundled catalog: works offline, with links to real marketplace searches.
    Catalog,
}

impl Marketplace {
    pub const ALL: [Marketplace; 5] = [
        Marketplace::Olx,
        Marketplace::Allegro,
        Marketplace::Ebay,
        Marketplace::Amazon,
        Marketplace::Catalog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Marketplace::Olx => "olx",
            Marketplace::Allegro => "allegro",
            Marketplace::Ebay => "ebay",
            Marketplace::Amazon => "amazon",
            Marketplace::Catalog => "catalog",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == value)
    }
}

impl std::fmt::Display for Marketplace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Price {
    /// Amount in `currency`; `None` when the marketplace shows no number.
    pub value: Option<f64>,
    pub label: Option<String>,
    pub currency: Option<String>,
    #[serde(default)]
    pub negotiable: bool,
}

impl Price {
    pub fn pln(value: f64) -> Self {
        Self::of(value, "PLN")
    }

    /// A fixed price in `currency` (an ISO code), labelled "149.00 zł" for złoty and
    /// "42.99 EUR" otherwise.
    pub fn of(value: f64, currency: &str) -> Self {
        let label = if currency == "PLN" {
            format!("{value:.2} zł")
        } else {
            format!("{value:.2} {currency}")
        };
        Self {
            value: Some(value),
            label: Some(label),
            currency: Some(currency.to_owned()),
            negotiable: false,
        }
    }
}

/// One product as found on a marketplace (the predecessor's `ListingPayload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub image: Option<String>,
    pub title: String,
    pub description: String,
    pub link: String,
    pub price: Price,
    #[serde(default)]
    pub category: Option<String>,
    pub provider: Marketplace,
    /// What a marketplace says beyond the essentials, when it says it.
    #[serde(flatten)]
    pub details: ProductDetails,
}

/// The optional part of a product record: each field is left out of the JSON when unknown,
/// so records without them read and write as before.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductDetails {
    /// The marketplace's own id of the offer (OLX id, Allegro offer id, eBay item id, ASIN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<String>,
    /// Where the item is: "Kraków, Małopolskie", "Poznań, PL".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// As the marketplace words it: "Używane", "Neu".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

impl ProductDetails {
    /// Whether the marketplace said nothing beyond the essentials.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Customers' rating of the product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rating {
    /// 0–5 stars.
    pub stars: f64,
    /// How many ratings the average is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// A product scored for one recipient: the unit of a gift-search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RankedGift {
    #[serde(flatten)]
    pub product: Product,
    /// 1–10, higher is a better fit.
    pub score: f64,
    /// One sentence, citing the recipient's profile.
    pub reasoning: String,
}

/// A product that scored badly, fed back to the idea generator of the next wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadProduct {
    pub title: String,
    pub provider: Marketplace,
    pub score: f64,
    pub reasoning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCount {
    pub provider: Marketplace,
    pub count: u32,
}
