//! `bench chats`: `GET /chats` of a user with 20 chats, authenticated, under `wrk` (32
//! connections), against `serve` running as a child process on scratch databases.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;

use super::child::{Server, request};
use super::report;
use crate::config::Config;

pub async fn run(
    config: Config,
    connections: u32,
    seconds: u32,
    chats: usize,
) -> anyhow::Result<()> {
    let databases = TestDatabases::create().await?;
    let mut env: Vec<(&str, String)> = ServiceDatabase::ALL
        .into_iter()
        .map(|db| (db.url_variable(), databases.url(db)))
        .collect();
    env.push(("DB_SETUP_ON_START", "false".into()));
    env.push(("RATE_LIMIT_SEARCHES_PER_HOUR", "100000".into()));
    env.push((
        "JWT_SECRET",
        "bench-secret-bench-secret-bench-secret".into(),
    ));
    let transport = match &config.broker.amqp_url {
        Some(url) => {
            env.push(("AMQP_URL", url.clone()));
            "RabbitMQ"
        }
        None => "in-process bus",
    };
    let mut server = Server::spawn(&env)?;
    server.wait_ready(Duration::from_secs(60))?;
    let result = measure(&server, connections, seconds, chats, transport);
    server.stop();
    result
}

fn measure(
    server: &Server,
    connections: u32,
    seconds: u32,
    chats: usize,
    transport: &str,
) -> anyhow::Result<()> {
    let (status, body) = request(server.port, "POST", "/auth/guest", &[], None)?;
    if status != 201 && status != 200 {
        bail!("guest login answered {status}: {body}");
    }
    let login: serde_json::Value = serde_json::from_str(&body)?;
    let token = login["accessToken"]
        .as_str()
        .context("no accessToken in the guest login")?
        .to_owned();
    let authorization = format!("Bearer {token}");
    for _ in 0..chats {
        let chat = format!(
            r#"{{"chatId":"{}","occasion":"birthday"}}"#,
            uuid::Uuid::now_v7()
        );
        let (status, body) = request(
            server.port,
            "POST",
            "/restapi/stalking-request",
            &[("Authorization", &authorization)],
            Some(&chat),
        )?;
        if status != 201 {
            bail!("starting a search answered {status}: {body}");
        }
    }
    let (status, body) = request(
        server.port,
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
        "bench chats: GET /chats ({chats} chats, {} bytes), {connections} connections, {seconds} s, {transport} + PostgreSQL",
        body.len()
    ));
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ])
        .args(["-H", &format!("Authorization: {authorization}")])
        .arg(format!("http://127.0.0.1:{}/chats", server.port))
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
