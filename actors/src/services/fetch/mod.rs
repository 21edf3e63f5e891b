//! The marketplace search service: one `ProductFetchedEvent` per fetch request, always —
//! with products, or with `success: false` and the error once retries are exhausted.

mod allegro;
mod amazon;
pub mod catalog;
mod ebay;
mod listing;
mod olx;
mod provider;
mod service;
mod token;

#[cfg(test)]
mod fuzz;

pub use allegro::{Allegro, AllegroConfig};
pub use amazon::{Amazon, AmazonConfig};
pub use ebay::{Ebay, EbayConfig};
pub use olx::{Olx, OlxConfig};
pub use provider::{CatalogSearch, ProductSearch};
pub use service::{FetchService, start};
