//! The shared vocabulary of Present Finder: the recipient profile, the product record, the
//! interview's answer suggestions and the session's stages. Defined once, imported everywhere.

mod interview;
mod llm_usage;
mod product;
mod profile;
mod session;

pub use interview::{Locale, Occasion, PotentialAnswers, SuggestedAnswer};
pub use llm_usage::{LlmTask, SessionUsage, Usage};
pub use product::{
    BadProduct, CATEGORIES, Marketplace, Price, Product, ProductDetails, ProviderCount, RankedGift,
    Rating,
};
pub use profile::{PersonalInfo, Possessions, RecipientProfile};
pub use session::{PriceRange, Stage};
