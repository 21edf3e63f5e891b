//! `bench pipeline`: whole gift searches driven at the event level through the real services
//! and databases — simulated users who answer every question with the first suggestion —
//! on each transport. Reports sessions per second and start → `gift-ready` latency.

use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use present_finder_actors::broker::BrokerConfig;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use present_finder_web::restapi::commands;
use uuid::Uuid;

use super::simulated::{self, Simulation};
use super::{Transports, report};
use crate::config::Config;

pub async fn run(
    config: Config,
    sessions: usize,
    concurrency: usize,
    transports: Transports,
) -> anyhow::Result<()> {
    report(format!(
        "bench pipeline: {sessions} sessions, {concurrency} at a time, answering with the first suggestion"
    ));
    for transport in transports.selected() {
        let amqp = transport == Transports::Amqp;
        let label = if amqp {
            "RabbitMQ + PostgreSQL"
        } else {
            "in-process + PostgreSQL"
        };
        let figures = measure(&config, amqp, sessions, concurrency)
            .await
            .with_context(|| label.to_owned())?;
        report(format!(
            "  {label:<24} {:>7.1} sessions/s   start → gift-ready p50 {:>6} ms, p99 {:>6} ms \
             (interview p50 {} ms, interview end → gift-ready p50 {} ms; {} questions, {} gifts per session)",
            figures.rate,
            figures.p50,
            figures.p99,
            figures.interview_p50,
            figures.search_p50,
            figures.questions,
            figures.gifts
        ));
    }
    Ok(())
}

struct Figures {
    rate: f64,
    p50: u128,
    p99: u128,
    interview_p50: u128,
    search_p50: u128,
    questions: usize,
    gifts: usize,
}

async fn measure(
    config: &Config,
    amqp: bool,
    sessions: usize,
    concurrency: usize,
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
    let simulation = Simulation::start(config, broker, databases.urls()).await?;
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
    Ok(Figures {
        rate: sessions as f64 / wall.as_secs_f64(),
        p50: percentile(&mut latencies, 0.50),
        p99: percentile(&mut latencies, 0.99),
        interview_p50: percentile(&mut interviews, 0.50),
        search_p50: percentile(&mut searches, 0.50),
        questions: questions / sessions.max(1),
        gifts: gifts / sessions.max(1),
    })
}

fn percentile(values: &mut [Duration], p: f64) -> u128 {
    values.sort();
    let index = ((values.len() as f64 * p).ceil() as usize).clamp(1, values.len().max(1)) - 1;
    values.get(index).map_or(0, Duration::as_millis)
}
