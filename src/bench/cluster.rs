//! `bench cluster`: whole searches over HTTP and SSE, as browsers make them, against 1, 2,
//! 3… `serve` processes (every service in each) sharing scratch databases and a RabbitMQ
//! namespace; the browsers are spread over the processes as nginx would spread them.
//! Reports sessions per second and start → `gift-ready` latency for each count, and the
//! database's commits per second beside PostgreSQL's ceiling, measured with `pgbench` in the
//! same run, so the scaling reads as a fraction of what the database can do.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use present_finder_web::browser::Browser;
use present_finder_web::driver::Ending;

use super::child::{Scratch, Server};
use super::report;
use crate::config::Config;

/// The shared test database the scratch databases are schemas of.
pub(super) const TEST_DATABASE: &str = "present_finder_test";

pub async fn run(
    config: Config,
    processes: Vec<usize>,
    sessions: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    if config.broker.amqp_url.is_none() {
        bail!("bench cluster runs on RabbitMQ: set AMQP_URL");
    }
    report(format!(
        "bench cluster: {sessions} searches over HTTP/SSE, {concurrency} at a time, on RabbitMQ"
    ));
    let ceiling = pgbench_ceiling().context("pgbench")?;
    report(format!(
        "  PostgreSQL ceiling (pgbench -N, 16 clients, 15 s): {ceiling:.0} transactions/s"
    ));
    for count in processes {
        let figures = measure(&config, count, sessions, concurrency)
            .await
            .with_context(|| format!("{count} processes"))?;
        report(format!(
            "  {count} process{} {:>6.1} sessions/s   p50 {:>6} ms, p99 {:>6} ms   \
             {:>5.0} commits/s = {:>3.0}% of the ceiling ({:.0} per search)",
            if count == 1 { "  " } else { "es" },
            figures.rate,
            figures.p50,
            figures.p99,
            figures.commits_per_second,
            100.0 * figures.commits_per_second / ceiling,
            figures.commits_per_search,
        ));
    }
    Ok(())
}

struct Figures {
    rate: f64,
    p50: u128,
    p99: u128,
    commits_per_second: f64,
    commits_per_search: f64,
}

async fn measure(
    config: &Config,
    count: usize,
    sessions: usize,
    concurrency: usize,
) -> anyhow::Result<Figures> {
    let scratch = Scratch::create(config).await?;
    let pool = (config.database.pool_size.max(2) / count.max(1)).max(2);
    let mut servers: Vec<Server> = Vec::with_capacity(count);
    let result = async {
        for _ in 0..count {
            servers.push(scratch.serve(&[("DB_POOL_SIZE", pool.to_string())])?);
        }
        let bases: Vec<String> = servers
            .iter()
            .map(|s| format!("http://127.0.0.1:{}", s.port))
            .collect();
        let mut browsers = Vec::with_capacity(sessions);
        for n in 0..sessions {
            browsers.push(Browser::guest(&bases[n % bases.len()]).await?);
        }
        let commits_before = commits()?;
        let started = Instant::now();
        let mut running = FuturesUnordered::new();
        let mut latencies = Vec::with_capacity(sessions);
        for browser in &browsers {
            if running.len() >= concurrency
                && let Some(end) = running.next().await
            {
                latencies.push(finished(end)?);
            }
            running.push(browser.search());
        }
        while let Some(end) = running.next().await {
            latencies.push(finished(end)?);
        }
        let wall = started.elapsed();
        let committed = commits()?.saturating_sub(commits_before) as f64;
        latencies.sort();
        Ok(Figures {
            rate: sessions as f64 / wall.as_secs_f64(),
            p50: percentile(&latencies, 0.50),
            p99: percentile(&latencies, 0.99),
            commits_per_second: committed / wall.as_secs_f64(),
            commits_per_search: committed / sessions.max(1) as f64,
        })
    }
    .await;
    for server in servers {
        server.stop();
    }
    scratch.remove().await;
    result
}

fn finished(
    end: anyhow::Result<present_finder_web::browser::SearchEnd>,
) -> anyhow::Result<Duration> {
    let end = end?;
    match end.ending {
        Ending::Ready { .. } => Ok(end.elapsed),
        other => bail!("chat {} ended with {other:?}", end.chat_id),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> u128 {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(index).map_or(0, Duration::as_millis)
}

/// Transactions committed so far in the test database (every scratch database is a schema
/// of it).
fn commits() -> anyhow::Result<u64> {
    let query =
        format!("SELECT xact_commit FROM pg_stat_database WHERE datname = '{TEST_DATABASE}'");
    let output = psql(&["-d", "postgres", "-Atc", &query])?;
    output.trim().parse().context("xact_commit")
}

/// pgbench's simple-update transactions per second on a scratch database of its own.
fn pgbench_ceiling() -> anyhow::Result<f64> {
    let database = format!(
        "pgbench_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    psql(&[
        "-d",
        "postgres",
        "-qc",
        &format!("CREATE DATABASE {database}"),
    ])?;
    let result = (|| {
        run_tool("pgbench", &["-i", "-q", "-s", "10", &database])?;
        let output = run_tool(
            "pgbench",
            &["-c", "16", "-j", "2", "-T", "15", "-N", &database],
        )?;
        output
            .lines()
            .find_map(|line| line.strip_prefix("tps = "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|tps| tps.parse().ok())
            .context("no tps line in pgbench's output")
    })();
    psql(&[
        "-d",
        "postgres",
        "-qc",
        &format!("DROP DATABASE {database}"),
    ])?;
    result
}

pub(super) fn psql(args: &[&str]) -> anyhow::Result<String> {
    run_tool("psql", args)
}

/// Runs a PostgreSQL client tool as the administrator of the test server.
fn run_tool(tool: &str, args: &[&str]) -> anyhow::Result<String> {
    let admin = url::Url::parse(&present_finder_schema::testing::admin_url())?;
    let output = Command::new(tool)
        .args(["-h", admin.host_str().unwrap_or("127.0.0.1")])
        .args(["-p", &admin.port().unwrap_or(5432).to_string()])
        .args(["-U", admin.username()])
        .args(args)
        .output()
        .with_context(|| format!("cannot run {tool}"))?;
    if !output.status.success() {
        bail!("{tool}: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
