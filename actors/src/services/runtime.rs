//! Starting the services `SERVICES` selects, in the order that loses nothing: relays
//! created paused, every subscription made, then the relays resumed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use actix::{Actor, Addr};
use anyhow::Context as _;
use present_finder_schema::{DbPool, ServiceDatabase};

use super::chat::interviewer::InterviewSettings;
use super::chat::{EmbeddedInterviewerProvider, Interviewer, LlmInterviewer};
use super::fetch::{
    Allegro, AllegroConfig, Amazon, AmazonConfig, CatalogSearch, Ebay, EbayConfig, Olx, OlxConfig,
    ProductSearch,
};
use super::gift_ideas::{EmbeddedIdeaGenerator, IdeaGenerator, LlmIdeaGenerator};
use super::provider::Attempts;
use super::reranking::{EmbeddedScorer, LlmScorer, ProductScorer};
use super::retention::{Job, Periodic, sweep_job};
use super::stalking::{
    BrightData, BrightDataConfig, EmbeddedFactExtractor, FactExtractor, LlmFactExtractor,
    ProfileReader, UnconfiguredProfileReader,
};
use super::{
    Lifecycle, ServiceContext, ServiceName, Settings, Turns, chat, fetch, gift, gift_ideas,
    reranking, stalking,
};
use crate::broker::outbox::{Flush, OutboxRelay, Resume};
use crate::broker::{BrokerHandle, RetryPolicy};
use crate::llm::{LlmClient, LlmConfig};
use crate::vocabulary::Marketplace;

/// The real providers configuration turns on (credentials, addresses); what is `None` stays
/// embedded.
#[derive(Debug, Clone, Default)]
pub struct ProviderConfig {
    pub olx: Option<OlxConfig>,
    pub allegro: Option<AllegroConfig>,
    pub ebay: Option<EbayConfig>,
    pub amazon: Option<AmazonConfig>,
    pub brightdata: Option<BrightDataConfig>,
    /// The LLM for every step it can do.
    pub llm: Option<LlmConfig>,
}

/// The provider behind each external need, chosen by configuration.
#[derive(Clone)]
pub struct Providers {
    pub interviewer: Arc<dyn Interviewer>,
    pub profile_reader: Arc<dyn ProfileReader>,
    pub fact_extractor: Arc<dyn FactExtractor>,
    pub idea_generator: Arc<dyn IdeaGenerator>,
    pub marketplaces: HashMap<Marketplace, Arc<dyn ProductSearch>>,
    pub scorer: Arc<dyn ProductScorer>,
}

impl Providers {
    /// Everything embedded: works with no keys and no network.
    pub fn embedded(settings: &Settings) -> Self {
        let catalog: Arc<dyn ProductSearch> = Arc::new(CatalogSearch);
        Self {
            interviewer: Arc::new(EmbeddedInterviewerProvider::new(
                settings.max_questions,
                settings.min_questions,
            )),
            profile_reader: Arc::new(UnconfiguredProfileReader),
            fact_extractor: Arc::new(EmbeddedFactExtractor),
            idea_generator: Arc::new(EmbeddedIdeaGenerator),
            marketplaces: HashMap::from([(Marketplace::Catalog, catalog)]),
            scorer: Arc::new(EmbeddedScorer),
        }
    }

    /// The embedded providers, with the real ones `config` turns on in their place or beside
    /// them (the LLM for its steps; the catalog stays one marketplace among the others).
    pub fn configured(settings: &Settings, config: &ProviderConfig) -> anyhow::Result<Self> {
        let mut providers = match &config.llm {
            Some(llm) => Self::with_llm(settings, llm.clone())?,
            None => Self::embedded(settings),
        };
        let client = || {
            super::http::client(settings.provider_timeout)
                .context("building the HTTP client of the providers")
        };
        let shops = &mut providers.marketplaces;
        if let Some(olx) = &config.olx {
            shops.insert(Marketplace::Olx, Arc::new(Olx::new(client()?, olx.clone())));
        }
        if let Some(allegro) = &config.allegro {
            let allegro = Allegro::new(client()?, allegro.clone());
            shops.insert(Marketplace::Allegro, Arc::new(allegro));
        }
        if let Some(ebay) = &config.ebay {
            shops.insert(
                Marketplace::Ebay,
                Arc::new(Ebay::new(client()?, ebay.clone())),
            );
        }
        if let Some(amazon) = &config.amazon {
            let amazon = Amazon::new(client()?, amazon.clone());
            shops.insert(Marketplace::Amazon, Arc::new(amazon));
        }
        if let Some(brightdata) = &config.brightdata {
            let attempts = Attempts {
                retries: settings.provider_retries,
                timeout: settings.provider_timeout,
                backoff: RetryPolicy {
                    base: Duration::from_millis(500),
                    max: Duration::from_secs(5),
                },
            };
            providers.profile_reader =
                Arc::new(BrightData::new(client()?, brightdata.clone(), attempts));
        }
        Ok(providers)
    }

    /// The LLM for every step it can do, each step falling back to its embedded provider.
    pub fn with_llm(settings: &Settings, config: LlmConfig) -> anyhow::Result<Self> {
        let client = LlmClient::new(config).context("the LLM client")?;
        let interview = InterviewSettings {
            max_questions: settings.max_questions,
            min_questions: settings.min_questions,
        };
        Ok(Self {
            interviewer: Arc::new(LlmInterviewer::new(
                client.clone(),
                interview,
                settings.interview_timeout,
            )),
            fact_extractor: Arc::new(LlmFactExtractor::new(
                client.clone(),
                settings.extraction_timeout,
            )),
            idea_generator: Arc::new(LlmIdeaGenerator::new(
                client.clone(),
                settings.ideas_timeout,
            )),
            scorer: Arc::new(LlmScorer::new(client, settings.scoring_timeout)),
            ..Self::embedded(settings)
        })
    }
}

/// The services of this process and the outbox relays of their databases.
pub struct RunningServices {
    contexts: BTreeMap<ServiceName, ServiceContext>,
    relays: BTreeMap<ServiceDatabase, Addr<OutboxRelay>>,
    /// The retention sweepers (one per database) and other periodic work.
    periodic: Vec<Addr<Periodic>>,
    lifecycle: Arc<Lifecycle>,
}

impl RunningServices {
    /// The context of a running service (the web layer builds the restapi service on it).
    pub fn context(&self, service: ServiceName) -> Option<ServiceContext> {
        self.contexts.get(&service).cloned()
    }

    /// Runs `job` every `interval` as background work of these services (stopped with them).
    pub fn every(&mut self, interval: std::time::Duration, job: Job) {
        self.periodic
            .push(Periodic::new(interval, self.lifecycle.clone(), job).start());
    }

    /// Starts publishing. Call once every service of the process has subscribed.
    pub fn resume_relays(&self) {
        for relay in self.relays.values() {
            relay.do_send(Resume);
        }
    }

    /// Stops the background work (relay polling, deadline sweeps) and waits for the work in
    /// progress, so that nothing touches the databases afterwards.
    pub async fn stop_background(&self, timeout: std::time::Duration) {
        self.lifecycle.stop(timeout).await;
    }

    /// Publishes everything left in the outboxes (graceful shutdown).
    pub async fn flush_outboxes(&self) {
        for (database, relay) in &self.relays {
            match relay.send(Flush).await {
                Ok(Ok(count)) if count > 0 => {
                    log::info!("published {count} pending {database} events")
                }
                Ok(Ok(_)) => {}
                Ok(Err(error)) => log::warn!("could not flush the {database} outbox: {error:#}"),
                Err(error) => log::warn!("the {database} outbox relay is gone: {error}"),
            }
        }
    }
}

/// Starts `services` (the restapi one only gets its context: the web layer runs it).
/// Relays stay paused until [`RunningServices::resume_relays`].
pub async fn start_services(
    broker: &BrokerHandle,
    pools: &BTreeMap<ServiceDatabase, DbPool>,
    settings: Arc<Settings>,
    providers: Providers,
    services: &BTreeSet<ServiceName>,
) -> anyhow::Result<RunningServices> {
    let mut relays = BTreeMap::new();
    let mut contexts = BTreeMap::new();
    let lifecycle = Arc::new(Lifecycle::default());
    for &service in services {
        let database = service.database();
        let pool = pools
            .get(&database)
            .with_context(|| format!("no connection pool for the {database} database"))?
            .clone();
        let relay = relays
            .entry(database)
            .or_insert_with(|| {
                OutboxRelay::new(
                    database.key(),
                    pool.clone(),
                    broker.clone(),
                    settings.outbox_poll_interval,
                    lifecycle.clone(),
                )
                .start()
            })
            .clone();
        let ctx = ServiceContext {
            service,
            pool,
            broker: broker.clone(),
            relay,
            settings: settings.clone(),
            lifecycle: lifecycle.clone(),
            turns: Arc::new(Turns::new()),
        };
        contexts.insert(service, ctx.clone());
        start_service(ctx, &providers)
            .await
            .with_context(|| format!("starting the {service} service"))?;
    }
    let mut running = RunningServices {
        contexts,
        relays,
        periodic: Vec::new(),
        lifecycle,
    };
    for database in running.relays.keys().copied().collect::<Vec<_>>() {
        if let Some(pool) = pools.get(&database) {
            let job = sweep_job(
                database,
                pool.clone(),
                settings.retention.clone(),
                running.lifecycle.clone(),
            );
            running.every(settings.retention.interval, job);
        }
    }
    Ok(running)
}

async fn start_service(ctx: ServiceContext, providers: &Providers) -> anyhow::Result<()> {
    match ctx.service {
        ServiceName::Restapi => {}
        ServiceName::Stalking => {
            stalking::start(
                ctx,
                providers.profile_reader.clone(),
                providers.fact_extractor.clone(),
            )
            .await?;
        }
        ServiceName::Chat => {
            chat::start(ctx, providers.interviewer.clone()).await?;
        }
        ServiceName::Gift => {
            gift::start(ctx).await?;
        }
        ServiceName::GiftIdeas => {
            gift_ideas::start(ctx, providers.idea_generator.clone()).await?;
        }
        ServiceName::Fetch => {
            let mut enabled = HashMap::new();
            for marketplace in &ctx.settings.marketplaces {
                // Gift ideas sends queries to every marketplace of MARKETPLACES: one without
                // a client here would leave each wave waiting for answers that never come.
                let search = providers.marketplaces.get(marketplace).with_context(|| {
                    format!("MARKETPLACES names {marketplace}, but no client for it is configured")
                })?;
                enabled.insert(*marketplace, search.clone());
            }
            fetch::start(ctx, enabled).await?;
        }
        ServiceName::Reranking => {
            reranking::start(ctx, providers.scorer.clone()).await?;
        }
    }
    Ok(())
}
