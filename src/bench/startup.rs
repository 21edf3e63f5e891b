//! `bench startup`: runs `present-finder serve` (every service) as a child process, times it
//! from spawn to a 200 from `/health/readiness`, then reads its resident memory after idling.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::report;
use crate::config::Config;

pub fn run(_config: &Config, runs: usize, idle_seconds: u64) -> anyhow::Result<()> {
    let binary = std::env::current_exe()?;
    report(format!(
        "bench startup: {runs} starts of `serve` (all services; databases already migrated)"
    ));
    // The first start may create databases and apply migrations; it is not measured.
    let mut warmup = spawn(&binary)?;
    wait_ready(&mut warmup.child, warmup.port, Duration::from_secs(120))?;
    stop(warmup.child);
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let mut server = spawn(&binary)?;
        wait_ready(&mut server.child, server.port, Duration::from_secs(60))?;
        times.push(started.elapsed());
        if times.len() < runs {
            stop(server.child);
            continue;
        }
        std::thread::sleep(Duration::from_secs(idle_seconds));
        let rss = resident_kib(server.child.id())?;
        stop(server.child);
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

struct Server {
    child: Child,
    port: u16,
}

fn spawn(binary: &std::path::Path) -> anyhow::Result<Server> {
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port();
    let child = Command::new(binary)
        .arg("serve")
        .env("PORT", port.to_string())
        .env("HOST", "127.0.0.1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .context("cannot start serve")?;
    Ok(Server { child, port })
}

fn wait_ready(child: &mut Child, port: u16, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            bail!("serve exited before it was ready: {status}");
        }
        if readiness(port).unwrap_or(false) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    bail!("serve was not ready within {timeout:?}")
}

/// A bare HTTP/1.1 GET: whether `/health/readiness` answers 200.
fn readiness(port: u16) -> std::io::Result<bool> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.write_all(
        b"GET /health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )?;
    let mut head = [0_u8; 12];
    stream.read_exact(&mut head)?;
    Ok(head.ends_with(b"200"))
}

fn resident_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc/<pid>/status")
}

fn stop(mut child: Child) {
    // SIGTERM, as an orchestrator would; the server stops gracefully.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();
}
