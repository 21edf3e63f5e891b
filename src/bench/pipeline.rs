//! `bench pipeline`: whole gift searches driven at the event level through the real services
//! and databases — simulated users who answer every question with the first suggestion —
//! on each transport. Reports sessions per second and start → `gift-ready` latency; with
//! `--shops`, against the four marketplace clients and mocks of their APIs, also the
//! marketplace calls and query-cache hits per session.
//!
//! With `--llm-latency-ms` every step goes to the LLM client, against the scripted
//! OpenAI-compatible server of `llm_mock` answering after that delay: it also reports the
//! answer → next question latency, the tokens per session (characters / 4: the mock sends no
//! `usage`), fallbacks, the peak of open database connections and of callers waiting for one,
//! and the process's peak RSS.

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use present_finder_actors::broker::BrokerConfig;
use present_finder_actors::llm::{LlmConfig, LlmTask, counter_total};
use present_finder_actors::services::Providers;
use present_finder_actors::vocabulary::Marketplace;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::tables::{fetch, reranking};
use present_finder_schema::testing::TestDatabases;
use present_finder_web::driver::{Ending, SessionOutcome};
use present_finder_web::restapi::commands;
use present_finder_web::system::RunningSystem;
use uuid::Uuid;

use super::llm_mock::LlmMock;
use super::shops::MockShops;
use super::simulated::{self, Simulation, bench_settings};
use super::{Transports, report};
use crate::config::Config;

/// The LLM side of a run: the mock's delay and the client's bound on calls in flight.
#[derive(Debug, Clone, Copy)]
pub struct LlmRun {
    pub latency: Duration,
    pub max_concurrency: usize,
}

/// The simulated users of a run: how many searches, how many at once, and how long each
/// thinks before answering.
#[derive(Debug, Clone)]
pub struct Users {
    pub sessions: usize,
    pub concurrency: usize,
    pub think: RangeInclusive<Duration>,
}

pub async fn run(
    config: Config,
    users: Users,
    transports: Transports,
    llm: Option<LlmRun>,
    shops: Option<RangeInclusive<u64>>,
) -> anyhow::Result<()> {
    let providers = match llm {
        Some(llm) => format!(
            ", every step through the LLM client against a mock answering after {} ms \
             (at most {} calls in flight)",
            llm.latency.as_millis(),
            llm.max_concurrency
        ),
        None => String::new(),
    };
    let searched = match &shops {
        Some(delay) => format!(
            "OLX, Allegro, eBay and Amazon mocks answering in {}–{} ms",
            delay.start(),
            delay.end()
        ),
        None => "the marketplaces of MARKETPLACES".to_owned(),
    };
    let Users {
        sessions,
        concurrency,
        ref think,
    } = users;
    let thinking = if think.end().is_zero() {
        "at once".to_owned()
    } else {
        format!(
            "after thinking {}–{} ms",
            think.start().as_millis(),
            think.end().as_millis()
        )
    };
    report(format!(
        "bench pipeline: {sessions} sessions, {concurrency} at a time, answering with the first suggestion {thinking}, searching {searched}{providers}"
    ));
    for transport in transports.selected() {
        let amqp = transport == Transports::Amqp;
        let label = if amqp {
            "RabbitMQ + PostgreSQL"
        } else {
            "in-process + PostgreSQL"
        };
        let figures = measure(&config, amqp, &users, llm, shops.clone())
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
        if let Some(shops) = &figures.shops {
            report(format!(
                "  {:<24} per session: {:.1} marketplace queries, {:.1} answered by a marketplace \
                 ({:.1} calls with retries), {:.1} from the query cache",
                "", shops.queries, shops.called, shops.calls, shops.cache_hits
            ));
        }
        if llm.is_some() {
            report_llm(&figures, sessions);
        }
    }
    Ok(())
}

fn report_llm(figures: &Figures, sessions: usize) {
    report(format!(
        "    answer → next question p50 {} ms, p99 {} ms; {} of {sessions} results partial (a deadline cut them short)",
        figures.turn_p50, figures.turn_p99, figures.partial
    ));
    report(format!(
        "    open database connections at most {} (pools of {} per database), callers waiting for one at most {}; peak RSS {} MiB",
        figures.peak_connections, figures.pool_size, figures.peak_waiting, figures.peak_rss_mib
    ));
    let sessions = sessions.max(1) as u64;
    let tokens = |task: &str| counter_total("llm_tokens_total", &[("task", task)]);
    let steps: Vec<String> = LlmTask::ALL
        .iter()
        .map(|task| format!("{} {}", task.as_str(), tokens(task.as_str()) / sessions))
        .collect();
    let calls = counter_total("llm_calls_total", &[("outcome", "ok")]);
    report(format!(
        "    LLM tokens per session {} ({}), {:.1} calls per session, {} fallbacks, {} failed attempts",
        counter_total("llm_tokens_total", &[]) / sessions,
        steps.join(", "),
        calls as f64 / sessions as f64,
        counter_total("llm_fallbacks_total", &[]),
        counter_total("llm_calls_total", &[("outcome", "error")]),
    ));
}

struct Figures {
    turn_p50: u128,
    turn_p99: u128,
    partial: usize,
    peak_connections: usize,
    peak_waiting: usize,
    pool_size: usize,
    peak_rss_mib: u64,
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
    users: &Users,
    llm: Option<LlmRun>,
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
    let mut settings = bench_settings(config);
    let mocks = shops.map(MockShops::start).transpose()?;
    let mut provider_config = match &mocks {
        Some(mocks) => {
            settings.marketplaces = vec![
                Marketplace::Olx,
                Marketplace::Allegro,
                Marketplace::Ebay,
                Marketplace::Amazon,
            ];
            mocks.config()
        }
        None => config.providers.clone(),
    };
    let mock = llm.map(|llm| LlmMock::start(llm.latency)).transpose()?;
    if let (Some(mock), Some(llm)) = (&mock, llm) {
        provider_config.llm = Some(LlmConfig {
            max_concurrency: llm.max_concurrency,
            ..LlmConfig::new("bench-key", mock.base_url())
        });
    }
    let providers = Providers::configured(&settings, &provider_config)?;
    let Simulation {
        system,
        restapi,
        driver,
    } = Simulation::start(config, broker, databases.urls(), settings, providers).await?;
    let pools = Pools::watch(&system);
    let pool = databases.pool(ServiceDatabase::Restapi);

    let started = Instant::now();
    let mut running = FuturesUnordered::new();
    let (sessions, concurrency) = (users.sessions, users.concurrency);
    let mut finished: Vec<Finished> = Vec::with_capacity(sessions);
    for n in 0..sessions {
        if running.len() >= concurrency
            && let Some(outcome) = running.next().await
        {
            finished.push(outcome?);
        }
        let user_id = {
            let mut conn = pool.get().await?;
            commands::create_guest(&mut conn).await?
        };
        running.push(
            simulated::start_search(
                &driver,
                &restapi,
                user_id,
                n,
                users.think.clone(),
                Duration::from_secs(300),
            )
            .await?
            .map(|search| {
                let search = search?;
                anyhow::Ok(Finished::of(&search.outcome, search.gifts.len()))
            }),
        );
    }
    while let Some(outcome) = running.next().await {
        finished.push(outcome?);
    }
    let wall = started.elapsed();
    let (peak_connections, peak_waiting) = pools.stop();
    system.shutdown(Duration::from_secs(10)).await;
    system.broker.delete_topology().await?;
    if let Some(mock) = mock {
        mock.stop().await;
    }
    let shops = match mocks {
        Some(mocks) => {
            let figures = shop_figures(&databases, sessions, mocks.searches()).await?;
            mocks.stop().await;
            Some(figures)
        }
        None => None,
    };
    let count = finished.len().max(1);
    let all = |pick: fn(&Finished) -> Vec<Duration>| -> Vec<Duration> {
        finished.iter().flat_map(pick).collect()
    };
    let mut latencies = all(|f| vec![f.elapsed]);
    let mut interviews = all(|f| vec![f.interview]);
    let mut searches = all(|f| vec![f.elapsed.saturating_sub(f.interview)]);
    let mut turns = all(|f| f.turns.clone());
    Ok(Figures {
        turn_p50: percentile(&mut turns, 0.50),
        turn_p99: percentile(&mut turns, 0.99),
        partial: finished.iter().filter(|f| f.partial).count(),
        peak_connections,
        peak_waiting,
        pool_size: config.database.pool_size,
        peak_rss_mib: peak_rss_kib() / 1024,
        rate: sessions as f64 / wall.as_secs_f64(),
        p50: percentile(&mut latencies, 0.50),
        p99: percentile(&mut latencies, 0.99),
        interview_p50: percentile(&mut interviews, 0.50),
        search_p50: percentile(&mut searches, 0.50),
        search_p99: percentile(&mut searches, 0.99),
        questions: finished.iter().map(|f| f.questions).sum::<usize>() / count,
        gifts: finished.iter().map(|f| f.gifts).sum::<usize>() / count,
        shops,
    })
}

/// What one search's run tells.
struct Finished {
    elapsed: Duration,
    /// From the start to the end of the interview.
    interview: Duration,
    /// From each answer sent to the next question.
    turns: Vec<Duration>,
    questions: usize,
    gifts: usize,
    partial: bool,
}

impl Finished {
    fn of(outcome: &SessionOutcome, gifts: usize) -> Self {
        let interview = outcome
            .events
            .iter()
            .find(|(_, _, data)| data["type"] == "chat-interview-completed")
            .map_or(outcome.elapsed, |(at, _, _)| *at);
        let asked: Vec<Duration> = outcome
            .events
            .iter()
            .filter(|(_, _, data)| {
                data["type"] == "chatbot-message" && data["message"]["sender"] == "assistant"
            })
            .map(|(at, _, _)| *at)
            .collect();
        // From each answer sent to the question after it, as the person waits for it.
        let turns = outcome
            .answered
            .iter()
            .filter_map(|&sent| asked.iter().find(|&&at| at > sent).map(|&at| at - sent))
            .collect();
        Self {
            elapsed: outcome.elapsed,
            interview,
            turns,
            questions: outcome.questions.len(),
            gifts,
            partial: matches!(outcome.ending, Ending::Ready { partial: true, .. }),
        }
    }
}

/// Samples the system's connection pools every 10 ms: the most connections open at once
/// (over every database) and the most callers waiting for a connection.
struct Pools {
    stop: Arc<AtomicBool>,
    peak_open: Arc<AtomicUsize>,
    peak_waiting: Arc<AtomicUsize>,
}

impl Pools {
    fn watch(system: &RunningSystem) -> Self {
        let pools: Vec<_> = system.pools.values().cloned().collect();
        let watch = Self {
            stop: Arc::new(AtomicBool::new(false)),
            peak_open: Arc::new(AtomicUsize::new(0)),
            peak_waiting: Arc::new(AtomicUsize::new(0)),
        };
        let (stop, open, waiting) = (
            watch.stop.clone(),
            watch.peak_open.clone(),
            watch.peak_waiting.clone(),
        );
        actix_rt::spawn(async move {
            while !AtomicBool::load(&stop, Ordering::Relaxed) {
                let status: Vec<_> = pools.iter().map(|p| p.status()).collect();
                open.fetch_max(status.iter().map(|s| s.size).sum(), Ordering::Relaxed);
                waiting.fetch_max(status.iter().map(|s| s.waiting).sum(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        watch
    }

    /// Stops sampling; the peaks of open connections and of waiting callers.
    fn stop(self) -> (usize, usize) {
        self.stop.store(true, Ordering::Relaxed);
        (
            AtomicUsize::load(&self.peak_open, Ordering::Relaxed),
            AtomicUsize::load(&self.peak_waiting, Ordering::Relaxed),
        )
    }
}

/// The process's peak resident set (`VmHWM`), in KiB; 0 where `/proc` does not tell.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
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
