use async_trait::async_trait;

use super::catalog::Catalog;
use crate::events::FetchRequest;
use crate::services::provider::{ProviderError, off_the_event_loop};
use crate::vocabulary::Product;

/// Searches one marketplace.
#[async_trait]
pub trait ProductSearch: Send + Sync {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError>;

    /// Remote marketplaces get a query cache and a call log; the bundled catalog needs neither.
    fn is_remote(&self) -> bool {
        true
    }
}

/// The bundled catalog, searched in memory.
pub struct CatalogSearch;

#[async_trait]
impl ProductSearch for CatalogSearch {
    async fn search(&self, request: &FetchRequest) -> Result<Vec<Product>, ProviderError> {
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let (query, price_range, locale) =
            (request.query.clone(), request.price_range, request.locale);
        off_the_event_loop("catalog", move || {
            Catalog::bundled().search(&query, price_range, limit, locale)
        })
        .await
    }

    fn is_remote(&self) -> bool {
        false
    }
}
