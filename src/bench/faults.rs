//! `bench faults`: many searches at once over HTTP and SSE, as browsers make them, against
//! `serve` processes on RabbitMQ and scratch databases, while faults hit them:
//!
//! * `kill`: `kill -9` of a random process at random moments, restarted on its port;
//! * `rabbitmq`: RabbitMQ stopped and started (a private node of the benchmark's own, so the
//!   other users of the machine's node are not disturbed);
//! * `postgres`: the machine's PostgreSQL cluster restarted (`pg_ctlcluster`), once per run
//!   — it drops every connection on the machine, so run it alone;
//! * `chaos`: the processes run with `BROKER_CHAOS`, every event delivered twice and
//!   shuffled.
//!
//! Afterwards every search must have ended in results or a clean `session-error`, with no
//! ui event, message or listing lost or duplicated, and the dead-letter queue empty. It
//! prints one line: `N searches, N completed, N failed cleanly, N lost, N duplicated`.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::ValueEnum;
use present_finder_actors::testing::PrivateRabbit;
use present_finder_schema::ServiceDatabase;
use present_finder_web::browser::{Browser, SearchEnd};
use present_finder_web::driver::Ending;
use uuid::Uuid;

use super::child::{Scratch, Server, free_port};
use super::cluster::{TEST_DATABASE, psql};
use super::report;
use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Fault {
    Kill,
    Rabbitmq,
    Postgres,
    Chaos,
}

/// The PostgreSQL cluster `postgres` restarts (Debian's layout).
const PG_CLUSTER: [&str; 2] = ["15", "main"];

pub async fn run(
    mut config: Config,
    searches: usize,
    processes: usize,
    faults: Vec<Fault>,
) -> anyhow::Result<()> {
    let rabbit = if faults.contains(&Fault::Rabbitmq) {
        let rabbit = tokio::task::spawn_blocking(PrivateRabbit::start).await??;
        config.broker.amqp_url = Some(rabbit.url());
        Some(Arc::new(rabbit))
    } else if config.broker.amqp_url.is_none() {
        bail!("bench faults runs on RabbitMQ: set AMQP_URL (or add the rabbitmq fault)");
    } else {
        None
    };
    let scratch = Scratch::create(&config).await?;
    let extra = environment(faults.contains(&Fault::Chaos));
    let mut servers = Vec::with_capacity(processes);
    let outcome = async {
        for _ in 0..processes.max(1) {
            servers.push(scratch.serve_at(free_port()?, &extra)?);
        }
        let bases: Vec<String> = servers.iter().map(|s| base(s.port)).collect();
        let mut browsers = Vec::with_capacity(searches);
        for n in 0..searches {
            browsers.push(Browser::guest(&bases[n % bases.len()]).await?);
        }
        let done = Rc::new(Cell::new(false));
        let searching = async {
            let ends = futures_util::future::join_all(browsers.iter().map(Browser::search)).await;
            done.set(true);
            ends
        };
        let env = scratch.env_with(&extra);
        let injecting = inject(&mut servers, &env, &faults, rabbit.clone(), &done);
        let (ends, injected) = futures_util::future::join(searching, injecting).await;
        let injected = injected?;
        log::info!("faults injected: {injected:?}");
        let tally = check(&scratch, &ends)?;
        let dead_letters = scratch.dead_letters().await?;
        report(format!(
            "{} searches, {} completed, {} failed cleanly, {} lost, {} duplicated",
            searches, tally.completed, tally.failed, tally.lost, tally.duplicated
        ));
        for problem in &tally.problems {
            log::error!("{problem}");
        }
        if tally.lost > 0 || tally.duplicated > 0 || dead_letters > 0 {
            bail!(
                "{} lost, {} duplicated, {dead_letters} dead letters",
                tally.lost,
                tally.duplicated
            );
        }
        Ok(())
    }
    .await;
    for server in servers {
        server.stop();
    }
    scratch.remove().await;
    drop(rabbit);
    outcome
}

fn base(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// Short searches (a few questions, one wave), as the deployment tests run them, with small
/// pools: the machine's PostgreSQL is shared.
fn environment(chaos: bool) -> Vec<(&'static str, String)> {
    let mut env: Vec<(&'static str, String)> = [
        ("DB_POOL_SIZE", "4"),
        ("MIN_QUESTIONS", "2"),
        ("MAX_QUESTIONS", "4"),
        ("MAX_IDEAS_LOOP", "0"),
        ("PRODUCTS_PER_QUERY", "10"),
        ("STALKING_DEADLINE_S", "2"),
        ("GIFT_SESSION_DEADLINE_S", "90"),
        ("SWEEP_INTERVAL_MS", "200"),
        ("OUTBOX_POLL_MS", "200"),
        ("SHUTDOWN_TIMEOUT_S", "10"),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_owned()))
    .collect();
    if chaos {
        env.push(("BROKER_CHAOS", "true".to_owned()));
    }
    env
}

/// Applies the periodic faults of `faults` in turn, one every few seconds, until `done`;
/// how many of each.
async fn inject(
    servers: &mut [Server],
    env: &[(&'static str, String)],
    faults: &[Fault],
    rabbit: Option<Arc<PrivateRabbit>>,
    done: &Cell<bool>,
) -> anyhow::Result<BTreeMap<String, usize>> {
    let periodic: Vec<Fault> = faults
        .iter()
        .copied()
        .filter(|fault| *fault != Fault::Chaos)
        .collect();
    let mut injected = BTreeMap::new();
    for fault in periodic.iter().cycle() {
        if !pause(random_between(2.0, 5.0), done).await {
            break;
        }
        match fault {
            Fault::Kill => {
                let index = rand::random_range(0..servers.len());
                servers[index].kill();
                log::info!("killed (-9) the server on port {}", servers[index].port);
                tokio::time::sleep(random_between(0.2, 1.5)).await;
                let port = servers[index].port;
                servers[index] = restart(port, env).await?;
                log::info!("restarted the server on port {port}");
            }
            Fault::Rabbitmq => {
                let Some(rabbit) = rabbit.clone() else {
                    continue;
                };
                log::info!("stopping RabbitMQ");
                let down = random_between(1.0, 4.0);
                // rabbitmqctl blocks: off the event loop, which goes on serving the browsers.
                tokio::task::spawn_blocking(move || {
                    rabbit.stop_app()?;
                    std::thread::sleep(down);
                    rabbit.start_app()
                })
                .await??;
                log::info!("RabbitMQ started again");
            }
            // Once per run: the whole machine's PostgreSQL goes down with it.
            Fault::Postgres if injected.contains_key("Postgres") => continue,
            Fault::Postgres => {
                log::info!("restarting PostgreSQL");
                tokio::task::spawn_blocking(restart_postgres).await??;
                log::info!("PostgreSQL restarted");
            }
            Fault::Chaos => continue,
        }
        *injected.entry(format!("{fault:?}")).or_insert(0) += 1;
    }
    Ok(injected)
}

/// Starts `serve` on `port` again, waiting until it is ready: under the load of the
/// browsers that were using it, a start can take a while; one that does not get ready is
/// killed and started once more.
async fn restart(port: u16, env: &[(&'static str, String)]) -> anyhow::Result<Server> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let env = env.to_vec();
        let started = tokio::task::spawn_blocking(move || {
            let mut server = Server::spawn_at(port, &["serve"], &env)?;
            match server.wait_ready(Duration::from_secs(120)) {
                Ok(()) => Ok(server),
                Err(error) => {
                    server.kill();
                    Err(error)
                }
            }
        })
        .await?;
        match started {
            Ok(server) => return Ok(server),
            Err(error) if attempts < 3 => {
                log::warn!("the server on port {port} did not start ({error:#}); again");
            }
            Err(error) => return Err(error),
        }
    }
}

/// Sleeps `duration` unless `done` becomes true first; whether it slept it all.
async fn pause(duration: Duration, done: &Cell<bool>) -> bool {
    let step = Duration::from_millis(100);
    let mut slept = Duration::ZERO;
    while slept < duration {
        if done.get() {
            return false;
        }
        tokio::time::sleep(step).await;
        slept += step;
    }
    !done.get()
}

fn random_between(low: f64, high: f64) -> Duration {
    Duration::from_secs_f64(low + rand::random::<f64>() * (high - low))
}

fn restart_postgres() -> anyhow::Result<()> {
    let output = Command::new("pg_ctlcluster")
        .args([
            "--skip-systemctl-redirect",
            PG_CLUSTER[0],
            PG_CLUSTER[1],
            "restart",
        ])
        .output()
        .context("cannot run pg_ctlcluster")?;
    if !output.status.success() {
        bail!(
            "pg_ctlcluster restart: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    completed: usize,
    failed: usize,
    lost: usize,
    duplicated: usize,
    problems: Vec<String>,
}

/// How each search ended, checked against what the restapi database holds: a search whose
/// browser gave up, or whose ui events have a gap, lost something; a chat whose transcript
/// does not alternate question and answer, or whose listings differ from the gifts it
/// showed, lost or duplicated some.
fn check(scratch: &Scratch, ends: &[anyhow::Result<SearchEnd>]) -> anyhow::Result<Tally> {
    let restapi = scratch.schema(ServiceDatabase::Restapi);
    let transcripts = rows(&format!(
        "SELECT chat_id, string_agg(left(role, 1), '' ORDER BY created_at, id) \
         FROM {restapi}.messages GROUP BY chat_id"
    ))?;
    let listings = rows(&format!(
        "SELECT chat_id, count(*) || ',' || count(DISTINCT link) || ',' || max(rank) \
         FROM {restapi}.listings GROUP BY chat_id"
    ))?;
    let mut tally = Tally::default();
    for end in ends {
        let end = match end {
            Ok(end) => end,
            Err(error) => {
                tally.lost += 1;
                tally
                    .problems
                    .push(format!("a search did not end: {error:#}"));
                continue;
            }
        };
        let chat = end.chat_id;
        let mut problem = |duplicated: bool, what: String| {
            if duplicated {
                tally.duplicated += 1;
            } else {
                tally.lost += 1;
            }
            tally.problems.push(format!("chat {chat}: {what}"));
        };
        let contiguous = end.seqs.iter().zip(1..).all(|(seq, n)| *seq == n);
        if !contiguous {
            problem(false, format!("ui events with a gap: {:?}", end.seqs));
        }
        let transcript = transcripts.get(&chat).map(String::as_str).unwrap_or("");
        // "a" questions and "u" answers, in turn, starting with a question.
        let alternates = transcript
            .chars()
            .enumerate()
            .all(|(n, role)| role == if n % 2 == 0 { 'a' } else { 'u' });
        if transcript.is_empty() || !alternates {
            problem(
                transcript.contains("aa") || transcript.contains("uu"),
                format!("transcript {transcript:?}"),
            );
        }
        match &end.ending {
            Ending::Ready { gifts, .. } => {
                tally.completed += 1;
                let expected = format!("{0},{0},{0}", gifts.len());
                let stored = listings
                    .get(&chat)
                    .cloned()
                    .unwrap_or_else(|| "0,0,".into());
                if !gifts.is_empty() && stored != expected {
                    let duplicated = stored
                        .split(',')
                        .next()
                        .and_then(|count| count.parse::<usize>().ok())
                        .is_some_and(|count| count > gifts.len());
                    problem(
                        duplicated,
                        format!(
                            "{} gifts shown, listings (count,links,rank) {stored}",
                            gifts.len()
                        ),
                    );
                }
            }
            Ending::Failed { .. } | Ending::Inappropriate { .. } => tally.failed += 1,
        }
    }
    Ok(tally)
}

/// Two-column rows of a query on the test database, by chat id.
fn rows(query: &str) -> anyhow::Result<BTreeMap<Uuid, String>> {
    let output = psql(&["-d", TEST_DATABASE, "-AtF", "\t", "-c", query])?;
    output
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (chat, value) = line.split_once('\t').context("a row of two columns")?;
            Ok((chat.parse()?, value.to_owned()))
        })
        .collect()
}
