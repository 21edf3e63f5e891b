//! The marketplace search service: one `ProductFetchedEvent` per fetch request, always —
//! with products, or with `success: false` and the error once retries are exhausted.

pub mod catalog;
mod provider;
mod service;

pub use provider::{CatalogSearch, ProductSearch};
pub use service::{FetchService, start};
