//! `bench chats`: `GET /chats` of a user with 20 chats, authenticated, under `wrk` (32
//! connections), against `serve` running as a child process on scratch databases.

use std::process::Command;

use anyhow::{Context, bail};

use super::child::{ScratchServer, request};
use super::report;
use crate::config::Config;

pub async fn run(
    config: Config,
    connections: u32,
    seconds: u32,
    chats: usize,
) -> anyhow::Result<()> {
    let server = ScratchServer::start(&config, &[]).await?;
    let result = measure(&server, connections, seconds, chats);
    server.stop().await;
    result
}

fn measure(
    server: &ScratchServer,
    connections: u32,
    seconds: u32,
    chats: usize,
) -> anyhow::Result<()> {
    let authorization = server.guest()?;
    for _ in 0..chats {
        server.start_search(&authorization)?;
    }
    let (status, body) = request(
        server.port(),
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
        "bench chats: GET /chats ({chats} chats, {} bytes), {connections} connections, {seconds} s, {} + PostgreSQL",
        body.len(),
        server.transport
    ));
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ])
        .args(["-H", &format!("Authorization: {authorization}")])
        .arg(format!("http://127.0.0.1:{}/chats", server.port()))
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
