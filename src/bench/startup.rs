//! `bench startup`: runs `present-finder serve` (every service) as a child process, times it
//! from spawn to a 200 from `/health/readiness`, then reads its resident memory after idling.

use std::time::{Duration, Instant};

use super::child::Server;
use super::report;

pub fn run(runs: usize, idle_seconds: u64) -> anyhow::Result<()> {
    report(format!(
        "bench startup: {runs} starts of `serve` (all services; databases already migrated)"
    ));
    // The first start may create databases and apply migrations; it is not measured.
    let mut warmup = Server::spawn(&[])?;
    warmup.wait_ready(Duration::from_secs(120))?;
    warmup.stop();
    let mut times = Vec::new();
    for run in 0..runs {
        let started = Instant::now();
        let mut server = Server::spawn(&[])?;
        server.wait_ready(Duration::from_secs(60))?;
        times.push(started.elapsed());
        if run + 1 < runs {
            server.stop();
            continue;
        }
        std::thread::sleep(Duration::from_secs(idle_seconds));
        let rss = server.resident_kib()?;
        server.stop();
        let millis: Vec<String> = times
            .iter()
            .map(|t| format!("{} ms", t.as_millis()))
            .collect();
        report(format!("  start to ready: {}", millis.join(", ")));
        report(format!(
            "  idle resident memory after {idle_seconds} s: {:.1} MiB",
            rss as f64 / 1024.0
        ));
    }
    Ok(())
}
