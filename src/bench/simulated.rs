//! The simulated users of the event-level benchmarks: each search answered with the first
//! suggestion until its gifts are ready.

use std::ops::RangeInclusive;
use std::time::Duration;

use actix::Addr;
use anyhow::{Context, bail};
use present_finder_actors::broker::BrokerConfig;
use present_finder_actors::services::ServiceContext;
use present_finder_actors::services::{Providers, ServiceName, Settings};
use present_finder_actors::vocabulary::{Locale, Occasion, PriceRange};
use present_finder_schema::ServiceDatabase;
use present_finder_web::driver::{
    AnswerScript, Ending, FirstSuggestion, Follow, SessionDriver, SessionOutcome, Thinking,
};
use present_finder_web::restapi::commands::{self, StartSearch};
use present_finder_web::system::{RunningSystem, SystemConfig};
use serde_json::Value;
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::config::Config;

/// Every service running in this process, with a driver for simulated users.
pub struct Simulation {
    pub system: RunningSystem,
    pub restapi: ServiceContext,
    pub driver: Addr<SessionDriver>,
}

impl Simulation {
    /// Starts every service with `settings` and `providers` on `broker` and `database_urls`.
    pub async fn start(
        config: &Config,
        broker: BrokerConfig,
        database_urls: std::collections::BTreeMap<ServiceDatabase, String>,
        settings: Settings,
        providers: Providers,
    ) -> anyhow::Result<Self> {
        let system = RunningSystem::start(SystemConfig {
            broker,
            database_urls,
            pool_size: config.database.pool_size,
            settings,
            services: ServiceName::ALL.into_iter().collect(),
            providers: Some(providers),
        })
        .await?;
        let restapi = system.restapi().context("the restapi service runs")?;
        let driver = SessionDriver::start(restapi.clone(), &system.broker).await?;
        Ok(Self {
            system,
            restapi,
            driver,
        })
    }

    /// [`start`](Self::start) with `config`'s settings and configured providers.
    pub async fn configured(
        config: &Config,
        broker: BrokerConfig,
        database_urls: std::collections::BTreeMap<ServiceDatabase, String>,
    ) -> anyhow::Result<Self> {
        let settings = bench_settings(config);
        let providers = Providers::configured(&settings, &config.providers)?;
        Self::start(config, broker, database_urls, settings, providers).await
    }
}

/// `config`'s settings with a deadline sweeper that runs often, so that a wait that times out
/// ends promptly.
pub fn bench_settings(config: &Config) -> Settings {
    Settings {
        sweep_interval: Duration::from_millis(200),
        ..config.settings.clone()
    }
}

/// Starts a search of `user_id` (described by `request`, given the new chat's id) with a
/// simulated user answering by `script`; the receiver gets how it ended.
pub async fn search(
    driver: &Addr<SessionDriver>,
    restapi: &ServiceContext,
    user_id: Uuid,
    script: Box<dyn AnswerScript>,
    request: impl FnOnce(Uuid) -> StartSearch,
) -> anyhow::Result<oneshot::Receiver<SessionOutcome>> {
    let chat_id = Uuid::now_v7();
    let (done, outcome) = oneshot::channel();
    driver
        .send(Follow {
            chat_id,
            user_id,
            script,
            done,
        })
        .await?;
    commands::start_search(restapi, user_id, request(chat_id)).await?;
    Ok(outcome)
}

/// A search that ended with its gifts.
pub struct FinishedSearch {
    pub outcome: SessionOutcome,
    pub gifts: Vec<Value>,
}

/// Starts the `n`-th search of `user_id` (the occasions take turns) with a simulated user
/// following it, who thinks for a time within `think` before each answer; the returned
/// future waits up to `limit` for its gifts.
pub async fn start_search(
    driver: &Addr<SessionDriver>,
    restapi: &ServiceContext,
    user_id: Uuid,
    n: usize,
    think: RangeInclusive<Duration>,
    limit: Duration,
) -> anyhow::Result<impl Future<Output = anyhow::Result<FinishedSearch>> + use<>> {
    let request = |chat_id| StartSearch {
        chat_id,
        occasion: Occasion::ALL[n % Occasion::ALL.len()],
        locale: Locale::Pl,
        instagram_url: None,
        tiktok_url: None,
        x_url: None,
        price_range: PriceRange {
            min_price: Some(50.0),
            max_price: Some(500.0),
        },
        profile_id: None,
    };
    let script = Thinking {
        script: FirstSuggestion,
        range: think,
    };
    let outcome = search(driver, restapi, user_id, Box::new(script), request).await?;
    Ok(async move {
        let outcome = tokio::time::timeout(limit, outcome)
            .await
            .with_context(|| format!("a search did not end within {} s", limit.as_secs()))??;
        match &outcome.ending {
            Ending::Ready { gifts, .. } => Ok(FinishedSearch {
                gifts: gifts.clone(),
                outcome,
            }),
            other => bail!("a search ended with {other:?}"),
        }
    })
}
