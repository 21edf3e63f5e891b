//! `bench pipeline`: whole gift searches driven at the event level through the real services
//! and databases — simulated users who answer every question with the first suggestion —
//! on each transport. Reports sessions per second and start → `gift-ready` latency; with
//! `--shops`, against the four marketplace clients and mocks of their APIs, also the
//! marketplace calls and query-cache hits per session.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use present_finder_actors::broker::BrokerConfig;
use present_finder_actors::services::Providers;
use present_finder_actors::vocabulary::Marketplace;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::tables::{fetch, reranking};
use present_finder_schema::testing::TestDatabases;
use present_finder_web::restapi::commands;
use uuid::Uuid;

use super::shops::MockShops;
use super::simulated::{self, Simulation, bench_settings};
use super::{Transports, report};
use crate::config::Config;

pub async fn run(
    config: Config,
    sessions: usize,
    concurrency: usize,
    transports: Transports,
    shops: Option<RangeInclusive<u64>>,
) -> anyhow::Result<()> {
    let searched = match &shops {
        Some(delay) => format!(
            "OLX, Allegro, eBay and Amazon mocks answering in {}–{} ms",
            delay.start(),
            delay.end()
        ),
        None => "the marketplaces of MARKETPLACES".to_owned(),
    };
    report(format!(
        "bench pipeline: {sessions} sessions, {concurrency} at a time, answering with the first suggestion, searching {searched}"
    ));
    for transport in transports.selected() {
        let amqp = transport == Transports::Amqp;
        let label = if amqp {
            "RabbitMQ + PostgreSQL"
        } else {
            "in-process + PostgreSQL"
        };
        let figures = measure(&config, amqp, sessions, concurrency, shops.clone())
            .await
            .with_context(|| label.to_owned())?;
        report(format!(
            "  {label:<24} {:>7.1} sessions/s   start → gift-ready p50 {:>6} ms, p99 {:>6} ms \
             (interview p50 {} ms, interview end → gift-ready p50 {} ms, p99 {} ms; {} questions, {} gifts per session)",
            figures.rate,
            figures.p50,
            figures.p99,
            figures.interview_p50,
            figures.search_p50,
            figures.search_p99,
            figures.questions,
            figures.gifts
        ));
        if let Some(shops) = figures.shops {
            report(format!(
                "  {:<24} per session: {:.1} marketplace queries, {:.1} answered by a marketplace \
                 ({:.1} calls with retries), {:.1} from the query cache",
                "", shops.queries, shops.called, shops.calls, shops.cache_hits
            ));
        }
    }
    Ok(())
}

struct Figures {
    rate: f64,
    p50: u128,
    p99: u128,
    interview_p50: u128,
    search_p50: u128,
    search_p99: u128,
    questions: usize,
    gifts: usize,
    shops: Option<ShopFigures>,
}

/// Marketplace traffic per session.
struct ShopFigures {
    /// Fetch requests to the four marketplaces.
    queries: f64,
    /// Requests that reached a marketplace at least once.
    called: f64,
    /// Calls made (retries included), as the fetch service logged them.
    calls: f64,
    /// Requests answered from the query cache, with no call.
    cache_hits: f64,
}

async fn measure(
    config: &Config,
    amqp: bool,
    sessions: usize,
    concurrency: usize,
    shops: Option<RangeInclusive<u64>>,
) -> anyhow::Result<Figures> {
    // Scratch databases (schemas of the test database), dropped at the end.
    let databases = TestDatabases::create().await?;
    let broker = BrokerConfig {
        amqp_url: amqp.then(|| {
            config
                .broker
                .amqp_url
                .clone()
                .unwrap_or_else(|| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned())
        }),
        namespace: format!("bench-{}", &Uuid::new_v4().simple().to_string()[..8]),
        queue_expiry: Some(Duration::from_secs(60)),
        ..config.broker.clone()
    };
    let mocks = shops.map(MockShops::start).transpose()?;
    let mut settings = bench_settings(config);
    let providers = match &mocks {
        Some(mocks) => {
            settings.marketplaces = vec![
                Marketplace::Olx,
                Marketplace::Allegro,
                Marketplace::Ebay,
                Marketplace::Amazon,
            ];
            Providers::configured(&settings, &mocks.config())?
        }
        None => Providers::configured(&settings, &config.providers)?,
    };
    let simulation =
        Simulation::start(config, broker, databases.urls(), settings, providers).await?;
    let (system, restapi, driver) = (simulation.system, simulation.restapi, simulation.driver);
    let pool = databases.pool(ServiceDatabase::Restapi);

    let started = Instant::now();
    let mut running = FuturesUnordered::new();
    let mut latencies: Vec<Duration> = Vec::with_capacity(sessions);
    let mut interviews = Vec::with_capacity(sessions);
    let mut searches = Vec::with_capacity(sessions);
    let mut questions = 0;
    let mut gifts = 0;
    for n in 0..sessions {
        if running.len() >= concurrency
            && let Some(outcome) = running.next().await
        {
            let (elapsed, interview, asked, found) = outcome?;
            latencies.push(elapsed);
            interviews.push(interview);
            searches.push(elapsed.saturating_sub(interview));
            questions += asked;
            gifts += found;
        }
        let user_id = {
            let mut conn = pool.get().await?;
            commands::create_guest(&mut conn).await?
        };
        running.push(
            simulated::start_search(&driver, &restapi, user_id, n, Duration::from_secs(300))
                .await?
                .map(|search| {
                    let search = search?;
                    let outcome = search.outcome;
                    let interview = outcome
                        .events
                        .iter()
                        .find(|(_, _, data)| data["type"] == "chat-interview-completed")
                        .map_or(outcome.elapsed, |(at, _, _)| *at);
                    anyhow::Ok((
                        outcome.elapsed,
                        interview,
                        outcome.questions.len(),
                        search.gifts.len(),
                    ))
                }),
        );
    }
    while let Some(outcome) = running.next().await {
        let (elapsed, interview, asked, found) = outcome?;
        latencies.push(elapsed);
        interviews.push(interview);
        searches.push(elapsed.saturating_sub(interview));
        questions += asked;
        gifts += found;
    }
    let wall = started.elapsed();
    system.shutdown(Duration::from_secs(10)).await;
    system.broker.delete_topology().await?;
    let shops = match mocks {
        Some(mocks) => {
            let figures = shop_figures(&databases, sessions, mocks.searches()).await?;
            mocks.stop().await;
            Some(figures)
        }
        None => None,
    };
    Ok(Figures {
        rate: sessions as f64 / wall.as_secs_f64(),
        p50: percentile(&mut latencies, 0.50),
        p99: percentile(&mut latencies, 0.99),
        interview_p50: percentile(&mut interviews, 0.50),
        search_p50: percentile(&mut searches, 0.50),
        search_p99: percentile(&mut searches, 0.99),
        questions: questions / sessions.max(1),
        gifts: gifts / sessions.max(1),
        shops,
    })
}

/// The marketplace traffic of the run, from the scratch databases: the fetch requests the
/// waves expected (reranking), the calls the fetch service logged, and the searches the
/// mocks answered.
async fn shop_figures(
    databases: &TestDatabases,
    sessions: usize,
    searches: usize,
) -> anyhow::Result<ShopFigures> {
    let shops = ["olx", "allegro", "ebay", "amazon"];
    let queries: i64 = {
        let pool = databases.pool(ServiceDatabase::Reranking);
        let mut conn = pool.get().await?;
        reranking::wave_requests::table
            .filter(reranking::wave_requests::provider.eq_any(shops))
            .count()
            .get_result(&mut conn)
            .await?
    };
    let (calls, called): (i64, i64) = {
        let pool = databases.pool(ServiceDatabase::Fetch);
        let mut conn = pool.get().await?;
        let calls = fetch::provider_calls::table
            .count()
            .get_result(&mut conn)
            .await?;
        let called = fetch::provider_calls::table
            .select(diesel::dsl::count(fetch::provider_calls::request_id).aggregate_distinct())
            .get_result(&mut conn)
            .await?;
        (calls, called)
    };
    if usize::try_from(calls).ok() != Some(searches) {
        log::warn!("the fetch service logged {calls} calls, the mocks answered {searches}");
    }
    let per_session = |n: i64| n as f64 / sessions.max(1) as f64;
    Ok(ShopFigures {
        queries: per_session(queries),
        called: per_session(called),
        calls: per_session(calls),
        cache_hits: per_session(queries - called),
    })
}

fn percentile(values: &mut [Duration], p: f64) -> u128 {
    values.sort();
    let index = ((values.len() as f64 * p).ceil() as usize).clamp(1, values.len().max(1)) - 1;
    values.get(index).map_or(0, Duration::as_millis)
}
