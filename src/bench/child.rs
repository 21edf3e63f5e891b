//! `present-finder serve` as a child process, for the benchmarks that measure the server
//! from outside (start-up, memory, HTTP throughput, SSE).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use present_finder_actors::broker::{Broker, BrokerConfig};
use present_finder_actors::services::whole_topology;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use uuid::Uuid;

use crate::config::Config;

/// A running `serve` on a free port.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    /// Starts `serve` with the environment of this process plus `env`.
    pub fn spawn(env: &[(&str, String)]) -> anyhow::Result<Self> {
        Self::spawn_command(&["serve"], env)
    }

    /// Starts this binary with `args` (a server reading `PORT`), with the environment of
    /// this process plus `env`.
    pub fn spawn_command(args: &[&str], env: &[(&str, String)]) -> anyhow::Result<Self> {
        Self::spawn_at(free_port()?, args, env)
    }

    /// Starts this binary with `args`, serving on `port`.
    pub fn spawn_at(port: u16, args: &[&str], env: &[(&str, String)]) -> anyhow::Result<Self> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(args)
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {}", args.join(" ")))?;
        Ok(Self { child, port })
    }

    pub fn wait_ready(&mut self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("serve exited before it was ready: {status}");
            }
            if matches!(
                request(self.port, "GET", "/health/readiness", &[], None),
                Ok((200, _))
            ) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        bail!("serve was not ready within {timeout:?}")
    }

    /// VmRSS of the server process, in KiB.
    pub fn resident_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmRSS in /proc/<pid>/status")
    }

    /// CPU time (user + system) the server process has used so far.
    pub fn cpu_time(&self) -> anyhow::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?;
        // The fields after the command name (which may hold spaces) are space-separated;
        // utime and stime are the 14th and 15th of the line, in clock ticks (100 per second).
        let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
        let ticks: u64 = after_name
            .split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|v| v.parse::<u64>().ok())
            .sum();
        Ok(Duration::from_millis(ticks * 10))
    }

    /// SIGKILL: the process dies at once, mid-work.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as an orchestrator would; the server stops gracefully.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port())
}

/// How long the queues of a benchmark's server outlive it.
const QUEUE_EXPIRY: Duration = Duration::from_secs(60);

/// Scratch databases (dropped with the value) and, on RabbitMQ when `AMQP_URL` is set, a
/// namespace of their own: what the `serve` processes of a benchmark share.
pub struct Scratch {
    /// The environment of a `serve` on them, with the rate limits out of the way.
    pub env: Vec<(&'static str, String)>,
    /// "RabbitMQ" or "in-process bus".
    pub transport: &'static str,
    /// On RabbitMQ: the servers' broker settings (their exchanges and queues are deleted at
    /// the end, and the queues expire anyway).
    broker: Option<BrokerConfig>,
    databases: TestDatabases,
}

impl Scratch {
    pub async fn create(config: &Config) -> anyhow::Result<Self> {
        let databases = TestDatabases::create().await?;
        let mut env: Vec<(&str, String)> = ServiceDatabase::ALL
            .into_iter()
            .map(|db| (db.url_variable(), databases.url(db)))
            .collect();
        env.push(("DB_SETUP_ON_START", "false".into()));
        env.push(("RATE_LIMIT_SEARCHES_PER_HOUR", "1000000".into()));
        env.push(("RATE_LIMIT_ANSWERS_PER_MINUTE", "1000000".into()));
        env.push(("RATE_LIMIT_GUESTS_PER_HOUR", "1000000".into()));
        // `bench sse` follows chats of one user from thousands of connections.
        env.push(("SSE_MAX_PER_USER", "1000000".into()));
        env.push((
            "JWT_SECRET",
            "bench-secret-bench-secret-bench-secret".into(),
        ));
        let broker = config.broker.amqp_url.as_ref().map(|url| {
            let id = Uuid::new_v4().simple().to_string();
            let namespace = format!("bench-{}", &id[..12]);
            env.push(("AMQP_URL", url.clone()));
            env.push(("AMQP_NAMESPACE", namespace.clone()));
            // Its queues vanish a minute after the servers stopped.
            env.push(("AMQP_QUEUE_EXPIRY_S", QUEUE_EXPIRY.as_secs().to_string()));
            BrokerConfig {
                namespace,
                queue_expiry: Some(QUEUE_EXPIRY),
                service_queues: whole_topology(&config.settings.marketplaces),
                ..config.broker.clone()
            }
        });
        let transport = if broker.is_some() {
            "RabbitMQ"
        } else {
            "in-process bus"
        };
        Ok(Self {
            env,
            transport,
            broker,
            databases,
        })
    }

    /// Starts a `serve` with `extra` in its environment and waits until it is ready.
    pub fn serve(&self, extra: &[(&'static str, String)]) -> anyhow::Result<Server> {
        self.serve_at(free_port()?, extra)
    }

    /// Starts a `serve` on `port` with `extra` in its environment and waits until it is
    /// ready.
    pub fn serve_at(&self, port: u16, extra: &[(&'static str, String)]) -> anyhow::Result<Server> {
        let mut server = Server::spawn_at(port, &["serve"], &self.env_with(extra))?;
        server.wait_ready(Duration::from_secs(60))?;
        Ok(server)
    }

    /// The environment of a `serve` on the scratch databases, with `extra`.
    pub fn env_with(&self, extra: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
        let mut env = self.env.clone();
        env.extend(extra.iter().cloned());
        env
    }

    /// The schema (of the shared test database) that is the scratch database of `database`.
    pub fn schema(&self, database: ServiceDatabase) -> &str {
        self.databases.schema(database)
    }

    /// The messages in the dead-letter queue (RabbitMQ only; none on the in-process bus,
    /// whose dead letters live in the servers).
    pub async fn dead_letters(&self) -> anyhow::Result<usize> {
        let Some(config) = &self.broker else {
            return Ok(0);
        };
        let broker = Broker::start(config.clone()).await?;
        Ok(broker.dead_letters(10_000).await?.len())
    }

    /// Deletes the RabbitMQ exchanges and queues; the databases go with the value.
    pub async fn remove(self) {
        if let Some(config) = self.broker {
            let deleted = match Broker::start(config).await {
                Ok(broker) => broker.delete_topology().await,
                Err(error) => Err(error),
            };
            if let Err(error) = deleted {
                log::warn!("could not delete the benchmark's RabbitMQ queues: {error}");
            }
        }
    }
}

/// `serve` on scratch databases of its own (dropped with it), on RabbitMQ when `AMQP_URL` is
/// set, with the rate limits out of the way.
pub struct ScratchServer {
    pub server: Server,
    /// "RabbitMQ" or "in-process bus".
    pub transport: &'static str,
    scratch: Scratch,
}

impl ScratchServer {
    /// Starts the server with `extra` in its environment and waits until it is ready.
    pub async fn start(config: &Config, extra: &[(&'static str, String)]) -> anyhow::Result<Self> {
        let scratch = Scratch::create(config).await?;
        Ok(Self {
            server: scratch.serve(extra)?,
            transport: scratch.transport,
            scratch,
        })
    }

    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// The schema that is the server's database `database`.
    pub fn schema(&self, database: ServiceDatabase) -> &str {
        self.scratch.schema(database)
    }

    /// A new guest's `Authorization` header value.
    pub fn guest(&self) -> anyhow::Result<String> {
        let (status, body) = request(self.port(), "POST", "/auth/guest", &[], None)?;
        if status != 201 && status != 200 {
            bail!("guest login answered {status}: {body}");
        }
        let login: serde_json::Value = serde_json::from_str(&body)?;
        let token = login["accessToken"]
            .as_str()
            .context("no accessToken in the guest login")?;
        Ok(format!("Bearer {token}"))
    }

    /// Starts a gift search as `authorization`; its chat id.
    pub fn start_search(&self, authorization: &str) -> anyhow::Result<Uuid> {
        let chat_id = Uuid::now_v7();
        let body = format!(r#"{{"chatId":"{chat_id}","occasion":"birthday"}}"#);
        let (status, reply) = request(
            self.port(),
            "POST",
            "/restapi/stalking-request",
            &[("Authorization", authorization)],
            Some(&body),
        )?;
        if status != 201 {
            bail!("starting a search answered {status}: {reply}");
        }
        Ok(chat_id)
    }

    /// Stops the server, then deletes its RabbitMQ exchanges and queues.
    pub async fn stop(self) {
        self.server.stop();
        self.scratch.remove().await;
    }
}

/// A bare HTTP/1.1 request; the status and body.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes())?;
    }
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("malformed HTTP response"))?;
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    Ok((status, body))
}
