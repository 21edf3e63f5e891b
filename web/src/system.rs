//! Assembling the actor system: the Broker (declaring the queues of every service, not only
//! the selected ones), one pool per database the selected services need, the services, the
//! restapi consumer, then the outbox relays. Used by `serve`, the
//! benchmarks and the tests alike.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use present_finder_actors::broker::{Broker, BrokerConfig, BrokerHandle};
use present_finder_actors::services::retention::{Job, record_pruned};
use present_finder_actors::services::{
    Providers, RunningServices, ServiceContext, ServiceName, Settings, start_services,
    whole_topology,
};
use present_finder_schema::{DbPool, ServiceDatabase, connect_pool};

use crate::restapi;

/// What to run and where its databases are.
#[derive(Clone)]
pub struct SystemConfig {
    pub broker: BrokerConfig,
    /// Connection URL of each database (only those of the selected services are used).
    pub database_urls: BTreeMap<ServiceDatabase, String>,
    pub pool_size: usize,
    pub settings: Settings,
    pub services: BTreeSet<ServiceName>,
    /// `None`: the embedded providers.
    pub providers: Option<Providers>,
}

/// The running actor system of one process.
pub struct RunningSystem {
    pub broker: BrokerHandle,
    pub pools: BTreeMap<ServiceDatabase, DbPool>,
    pub services: RunningServices,
    pub settings: Arc<Settings>,
}

impl RunningSystem {
    pub async fn start(config: SystemConfig) -> anyhow::Result<Self> {
        let broker = Broker::start(BrokerConfig {
            service_queues: whole_topology(&config.settings.marketplaces),
            ..config.broker.clone()
        })
        .await
        .context("starting the Broker")?;
        let mut pools = BTreeMap::new();
        for service in &config.services {
            let database = service.database();
            if pools.contains_key(&database) {
                continue;
            }
            let url = config
                .database_urls
                .get(&database)
                .with_context(|| format!("no URL for the {database} database"))?;
            pools.insert(database, connect_pool(url, config.pool_size)?);
        }
        let settings = Arc::new(config.settings.clone());
        let providers = config
            .providers
            .clone()
            .unwrap_or_else(|| Providers::embedded(&settings));
        let mut services = start_services(
            &broker,
            &pools,
            settings.clone(),
            providers,
            &config.services,
        )
        .await?;
        if let Some(ctx) = services.context(ServiceName::Restapi) {
            restapi::start(ctx.clone())
                .await
                .context("starting the restapi service")?;
            services.every(settings.retention.interval, guest_expiry(ctx));
        }
        services.resume_relays();
        Ok(Self {
            broker,
            pools,
            services,
            settings,
        })
    }

    /// The restapi service's context (when this process runs it).
    pub fn restapi(&self) -> Option<ServiceContext> {
        self.services.context(ServiceName::Restapi)
    }

    /// Graceful stop: no new deliveries, handlers in flight finish, background work (relay
    /// polling, deadline sweeps) stops, outboxes are flushed. Afterwards nothing of this
    /// system touches the databases.
    pub async fn shutdown(&self, timeout: Duration) {
        let drained = tokio::time::timeout(timeout, self.broker.drain()).await;
        if drained.is_err() {
            log::warn!("handlers still running after {timeout:?}; stopping anyway");
        }
        self.services.stop_background(timeout).await;
        let flushed = tokio::time::timeout(timeout, self.services.flush_outboxes()).await;
        if flushed.is_err() {
            log::warn!(
                "outboxes not flushed within {timeout:?}; the next start publishes the rest"
            );
        }
    }
}

/// The periodic expiry of unused guest accounts ([`crate::http::auth::expire_guests`]).
fn guest_expiry(ctx: ServiceContext) -> Job {
    Arc::new(move || {
        let ctx = ctx.clone();
        Box::pin(async move {
            let retention = &ctx.settings.retention;
            let ttl_days = retention.guest_ttl.as_secs() / (24 * 3600);
            match crate::http::auth::expire_guests(&ctx, retention.guest_ttl, retention.batch_size)
                .await
            {
                Ok(0) => {}
                Ok(expired) => {
                    record_pruned(ServiceDatabase::Restapi, "users", expired);
                    log::info!(
                        "retention: deleted {expired} guest account(s) unused for {ttl_days} days"
                    );
                }
                Err(error) => log::warn!("guest expiry failed: {error}"),
            }
        })
    })
}
