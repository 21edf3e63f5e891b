//! `bench chats`: `GET /chats` of a user whose 20 searches have finished (each with its gifts
//! and reasoning summary, as the History screen lists them), authenticated, under `wrk` (32
//! connections), against `serve` running as a child process on scratch databases.
//!
//! The searches are run first, in this process, through every service on the same scratch
//! databases (the simulated users of `bench pipeline`); `serve` starts on them afterwards.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use present_finder_actors::broker::BrokerConfig;
use present_finder_schema::ServiceDatabase;
use present_finder_web::http::WebConfig;
use present_finder_web::http::auth::Role;
use present_finder_web::http::auth::tokens::{self, Bearer};
use present_finder_web::restapi::commands;
use uuid::Uuid;

use super::child::{Scratch, request};
use super::report;
use super::simulated::{self, Simulation};
use crate::config::Config;

/// Searches run at once while seeding.
const SEEDING_AT_ONCE: usize = 5;

pub async fn run(
    config: Config,
    connections: u32,
    seconds: u32,
    chats: usize,
) -> anyhow::Result<()> {
    let scratch = Scratch::create(&config).await?;
    let result = seed_and_measure(&config, &scratch, connections, seconds, chats).await;
    scratch.remove().await;
    result
}

async fn seed_and_measure(
    config: &Config,
    scratch: &Scratch,
    connections: u32,
    seconds: u32,
    chats: usize,
) -> anyhow::Result<()> {
    let (user_id, gifts) = seed(config, scratch, chats)
        .await
        .context("running the searches to list")?;
    let server = scratch.serve(&[])?;
    let result = measure(
        scratch,
        server.port,
        user_id,
        connections,
        seconds,
        chats,
        gifts,
    );
    server.stop();
    result
}

/// The value of `name` in the environment `serve` gets.
fn serve_env<'a>(scratch: &'a Scratch, name: &str) -> Option<&'a String> {
    scratch
        .env
        .iter()
        .find(|(variable, _)| *variable == name)
        .map(|(_, value)| value)
}

/// Runs `searches` whole searches of one new guest to their results, through every service
/// on the scratch databases; the guest's id and the gifts found in all.
async fn seed(
    config: &Config,
    scratch: &Scratch,
    searches: usize,
) -> anyhow::Result<(Uuid, usize)> {
    let database_urls = ServiceDatabase::ALL
        .into_iter()
        .filter_map(|db| serve_env(scratch, db.url_variable()).map(|url| (db, url.clone())))
        .collect();
    let simulation = Simulation::configured(
        config,
        BrokerConfig {
            amqp_url: None,
            ..config.broker.clone()
        },
        database_urls,
    )
    .await?;
    let (system, restapi, driver) = (simulation.system, simulation.restapi, simulation.driver);
    let user_id = commands::create_guest(&mut *restapi.pool.get().await?).await?;

    let mut running = FuturesUnordered::new();
    let mut gifts = 0;
    for n in 0..searches {
        if running.len() >= SEEDING_AT_ONCE
            && let Some(found) = running.next().await
        {
            gifts += found?;
        }
        running.push(
            simulated::start_search(
                &driver,
                &restapi,
                user_id,
                n,
                Duration::ZERO..=Duration::ZERO,
                Duration::from_secs(120),
            )
            .await?
            .map(|search| anyhow::Ok(search?.gifts.len())),
        );
    }
    while let Some(found) = running.next().await {
        gifts += found?;
    }
    system.shutdown(Duration::from_secs(10)).await;
    Ok((user_id, gifts))
}

fn measure(
    scratch: &Scratch,
    port: u16,
    user_id: Uuid,
    connections: u32,
    seconds: u32,
    chats: usize,
    gifts: usize,
) -> anyhow::Result<()> {
    // A token of the seeded guest, signed with the key `serve` was given.
    let web = WebConfig::from_lookup(&|name| serve_env(scratch, name).cloned(), false)
        .map_err(|(variable, problem)| anyhow::anyhow!("{variable}: {problem}"))?;
    let token = tokens::issue_access(
        &web,
        Bearer {
            user_id,
            role: Role::User,
            guest: true,
            generation: 0,
        },
    )?;
    let authorization = format!("Bearer {token}");
    let (status, body) = request(
        port,
        "GET",
        "/chats",
        &[("Authorization", &authorization)],
        None,
    )?;
    let listed = serde_json::from_str::<serde_json::Value>(&body)?["chats"]
        .as_array()
        .map_or(0, Vec::len);
    if status != 200 || listed != chats {
        bail!("GET /chats answered {status} with {listed} chats");
    }
    report(format!(
        "bench chats: GET /chats ({chats} finished searches, {gifts} gifts, {} bytes), {connections} connections, {seconds} s, {} + PostgreSQL",
        body.len(),
        scratch.transport
    ));
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ])
        .args(["-H", &format!("Authorization: {authorization}")])
        .arg(format!("http://127.0.0.1:{port}/chats"))
        .output()
        .context("cannot run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("Requests/sec")
            || line.starts_with("50%")
            || line.starts_with("99%")
            || line.starts_with("Latency ")
            || line.contains("requests in")
            || line.starts_with("Non-2xx")
        {
            report(format!("  {line}"));
        }
    }
    Ok(())
}
