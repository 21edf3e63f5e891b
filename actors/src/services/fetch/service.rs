use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use present_finder_schema::tables::fetch::{provider_calls, query_cache};

use super::provider::ProductSearch;
use crate::broker::{BrokerError, Deliver, HandlerError, RetryPolicy};
use crate::events::{Envelope, FetchRequest, ProductFetchedEvent, decode_fetch_event};
use crate::services::provider::{Attempts, ProviderError, within};
use crate::services::{ServiceContext, unexpected_event};
use crate::vocabulary::{Marketplace, Product};

/// Time allowed to write an attempt's call log row after the attempt.
const CALL_LOG_TIME: Duration = Duration::from_secs(5);

/// The fetch service's supervisor actor.
pub struct FetchService {
    ctx: ServiceContext,
    providers: Arc<HashMap<Marketplace, Arc<dyn ProductSearch>>>,
}

impl Actor for FetchService {
    type Context = Context<Self>;
}

impl Supervised for FetchService {}

/// Starts the service for the marketplaces that have a provider.
pub async fn start(
    ctx: ServiceContext,
    providers: HashMap<Marketplace, Arc<dyn ProductSearch>>,
) -> Result<Addr<FetchService>, BrokerError> {
    let broker = ctx.broker.clone();
    let service = ctx.service;
    let marketplaces: Vec<Marketplace> = providers.keys().copied().collect();
    let events = service.consumed_events(&marketplaces);
    let providers = Arc::new(providers);
    let addr = Supervisor::start(move |_| FetchService { ctx, providers });
    service
        .subscribe(&broker, events, addr.clone().recipient())
        .await?;
    Ok(addr)
}

impl Handler<Deliver> for FetchService {
    type Result = ResponseFuture<Result<(), HandlerError>>;

    fn handle(&mut self, deliver: Deliver, _: &mut Self::Context) -> Self::Result {
        let ctx = self.ctx.clone();
        let providers = self.providers.clone();
        Box::pin(async move {
            let envelope = deliver.envelope;
            let Some(decoded) = decode_fetch_event(&envelope) else {
                return Err(unexpected_event(&envelope));
            };
            let (marketplace, request) = decoded?;
            let outcome = match providers.get(&marketplace) {
                Some(provider) => fetch(&ctx, provider.as_ref(), marketplace, &request).await,
                None => Err(format!("{marketplace} is not enabled")),
            };
            answer(ctx, envelope, marketplace, request, outcome).await
        })
    }
}

/// Searches, from the query cache when a fresh answer is there, otherwise from the
/// marketplace with a timeout per attempt and retries with backoff. Whatever a marketplace
/// answers, at most `limit` products within the price range are kept, so that one
/// marketplace's long pages cannot crowd the others out of a wave.
async fn fetch(
    ctx: &ServiceContext,
    provider: &dyn ProductSearch,
    marketplace: Marketplace,
    request: &FetchRequest,
) -> Result<Vec<Product>, String> {
    let settings = &ctx.settings;
    let remote = provider.is_remote();
    let key = cache_key(request);
    if remote && let Some(products) = cached(ctx, marketplace, &key).await {
        return Ok(products);
    }
    // The attempt's own time limit is applied inside, so that an attempt that runs out of
    // time is logged too; the outer one only bounds the log write.
    let attempts = Attempts {
        retries: settings.provider_retries,
        timeout: settings.provider_timeout + CALL_LOG_TIME,
        backoff: RetryPolicy {
            base: Duration::from_millis(300),
            max: Duration::from_secs(4),
        },
    };
    let found = attempts
        .run(marketplace.as_str(), move |_| async move {
            let started = Instant::now();
            let result = within(
                marketplace.as_str(),
                settings.provider_timeout,
                provider.search(request),
            )
            .await;
            if remote {
                log_call(ctx, marketplace, request, &result, started.elapsed()).await;
            }
            result
        })
        .await
        .map_err(|error| error.to_string())?;
    let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
    let products: Vec<Product> = found
        .into_iter()
        .filter(|p| request.price_range.admits(p.price.value))
        .take(limit)
        .collect();
    if remote {
        store_cached(ctx, marketplace, &key, &products).await;
    }
    Ok(products)
}

/// Emits the one answer of this request.
async fn answer(
    ctx: ServiceContext,
    envelope: Arc<Envelope>,
    marketplace: Marketplace,
    request: FetchRequest,
    outcome: Result<Vec<Product>, String>,
) -> Result<(), HandlerError> {
    let (success, products, error) = match outcome {
        Ok(products) => (true, products, None),
        Err(error) => (false, Vec::new(), Some(error)),
    };
    let fetched = ProductFetchedEvent {
        request_id: request.request_id,
        wave_id: request.wave_id,
        provider: marketplace,
        success,
        products,
        error,
    };
    let cause = envelope.clone();
    ctx.once(&envelope, move |_| {
        Box::pin(async move { Ok(vec![Envelope::caused_by(&cause, &fetched)]) })
    })
    .await
}

fn cache_key(request: &FetchRequest) -> String {
    let bound = |price: Option<f64>| price.map(|p| format!("{p:.2}")).unwrap_or_default();
    format!(
        "{}|{}|{}|{}",
        request.query.trim().to_lowercase(),
        request.limit,
        bound(request.price_range.min_price),
        bound(request.price_range.max_price)
    )
}

async fn cached(ctx: &ServiceContext, marketplace: Marketplace, key: &str) -> Option<Vec<Product>> {
    let mut conn = ctx.pool.get().await.ok()?;
    let products: serde_json::Value = query_cache::table
        .find((marketplace.as_str(), key))
        .filter(query_cache::expires_at.gt(Utc::now()))
        .select(query_cache::products)
        .first(&mut conn)
        .await
        .ok()?;
    serde_json::from_value(products).ok()
}

/// Best effort: a failed cache write only costs a later call.
async fn store_cached(
    ctx: &ServiceContext,
    marketplace: Marketplace,
    key: &str,
    products: &[Product],
) {
    let Ok(mut conn) = ctx.pool.get().await else {
        return;
    };
    let Ok(value) = serde_json::to_value(products) else {
        return;
    };
    let now = Utc::now();
    let expires_at = now + ctx.settings.query_cache_ttl;
    let stored = diesel::insert_into(query_cache::table)
        .values((
            query_cache::provider.eq(marketplace.as_str()),
            query_cache::query_key.eq(key),
            query_cache::products.eq(&value),
            query_cache::fetched_at.eq(now),
            query_cache::expires_at.eq(expires_at),
        ))
        .on_conflict((query_cache::provider, query_cache::query_key))
        .do_update()
        .set((
            query_cache::products.eq(&value),
            query_cache::fetched_at.eq(now),
            query_cache::expires_at.eq(expires_at),
        ))
        .execute(&mut conn)
        .await;
    if let Err(error) = stored {
        log::warn!("could not cache a {marketplace} answer: {error}");
    }
}

async fn log_call(
    ctx: &ServiceContext,
    marketplace: Marketplace,
    request: &FetchRequest,
    result: &Result<Vec<Product>, ProviderError>,
    elapsed: Duration,
) {
    let Ok(mut conn) = ctx.pool.get().await else {
        return;
    };
    let logged = diesel::insert_into(provider_calls::table)
        .values((
            provider_calls::provider.eq(marketplace.as_str()),
            provider_calls::request_id.eq(request.request_id),
            provider_calls::ok.eq(result.is_ok()),
            provider_calls::duration_ms.eq(i32::try_from(elapsed.as_millis()).unwrap_or(i32::MAX)),
            provider_calls::error.eq(result.as_ref().err().map(ToString::to_string)),
        ))
        .execute(&mut conn)
        .await;
    if let Err(error) = logged {
        log::warn!("could not log a {marketplace} call: {error}");
    }
}
