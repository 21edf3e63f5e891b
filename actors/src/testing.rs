//! Test support shared by the test suites of this and the other crates: broker
//! configurations isolated per test, and a private RabbitMQ node for tests that stop it.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::broker::{BrokerConfig, RetryPolicy};

/// Which Broker transport a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    InProcess,
    Amqp,
}

/// RabbitMQ of the test machine (`TEST_AMQP_URL`).
pub fn amqp_url() -> String {
    std::env::var("TEST_AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned())
}

/// A broker configuration of its own for one test: a unique namespace (so queues and
/// exchanges never collide with other tests), fast retries, and queues that RabbitMQ deletes
/// two minutes after the test stops using them.
pub fn broker_config(transport: Transport) -> BrokerConfig {
    broker_config_at(transport, &amqp_url())
}

pub fn broker_config_at(transport: Transport, url: &str) -> BrokerConfig {
    let id = uuid::Uuid::new_v4().simple().to_string();
    BrokerConfig {
        amqp_url: (transport == Transport::Amqp).then(|| url.to_owned()),
        namespace: format!("test-{}", &id[..12]),
        prefetch: 16,
        provider_prefetch: 64,
        delivery_limit: 2,
        retry: RetryPolicy {
            base: Duration::from_millis(20),
            max: Duration::from_millis(200),
        },
        publish_timeout: Duration::from_secs(60),
        connection_name: format!("present-finder test {}", &id[..12]),
        queue_expiry: Some(Duration::from_secs(120)),
        service_queues: Vec::new(),
        chaos: false,
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
pub async fn eventually(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A RabbitMQ node of the test's own (its own port, data directory and node name), for tests
/// that stop and start the broker without disturbing the tests sharing the machine's node.
pub struct PrivateRabbit {
    node: String,
    port: u16,
    dir: PathBuf,
}

impl PrivateRabbit {
    pub fn start() -> anyhow::Result<Self> {
        reap_orphans();
        let port = free_port()?;
        let dist_port = free_port()?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let node = format!("pftest{}@localhost", &id[..8]);
        let dir = std::env::temp_dir().join(format!("present-finder-rabbit-{}", &id[..8]));
        std::fs::create_dir_all(&dir)?;
        // rabbitmq-server drops to the `rabbitmq` user when started as root.
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777))?;
        std::fs::write(dir.join(OWNER_FILE), std::process::id().to_string())?;
        std::fs::write(
            dir.join("rabbitmq.conf"),
            format!("listeners.tcp.local = 127.0.0.1:{port}\n"),
        )?;
        let status = Command::new("timeout")
            .args(["60", "rabbitmq-server", "-detached"])
            .env("RABBITMQ_NODENAME", &node)
            .env("RABBITMQ_NODE_PORT", port.to_string())
            .env("RABBITMQ_DIST_PORT", dist_port.to_string())
            .env("RABBITMQ_CONFIG_FILE", dir.join("rabbitmq.conf"))
            .env("RABBITMQ_MNESIA_BASE", dir.join("mnesia"))
            .env("RABBITMQ_LOG_BASE", dir.join("log"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", dir.join("enabled_plugins"))
            .env("RABBITMQ_PID_FILE", dir.join("pid"))
            .status()
            .context("cannot run rabbitmq-server")?;
        if !status.success() {
            bail!("rabbitmq-server -detached failed: {status}");
        }
        let rabbit = Self { node, port, dir };
        rabbit.await_running(Duration::from_secs(90))?;
        Ok(rabbit)
    }

    pub fn url(&self) -> String {
        format!("amqp://guest:guest@127.0.0.1:{}/%2f", self.port)
    }

    /// Stops the RabbitMQ application (connections drop, the node stays up).
    pub fn stop_app(&self) -> anyhow::Result<()> {
        self.ctl(&["stop_app"])
    }

    pub fn start_app(&self) -> anyhow::Result<()> {
        self.ctl(&["start_app"])?;
        self.await_running(Duration::from_secs(60))
    }

    fn await_running(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let probe = std::net::TcpStream::connect(("127.0.0.1", self.port));
            if probe.is_ok() && self.ctl(&["await_startup", "--timeout", "30"]).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("the private RabbitMQ node {} did not start", self.node);
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The `connection_name` of every client connection open on the node, sorted.
    pub fn connection_names(&self) -> anyhow::Result<Vec<String>> {
        let listing = self.ctl_output(&[
            "list_connections",
            "client_properties",
            "--formatter",
            "json",
            "-q",
        ])?;
        let rows: Vec<serde_json::Value> = serde_json::from_str(&listing)?;
        let mut names: Vec<String> = rows
            .iter()
            .map(|row| connection_name(&row["client_properties"]).unwrap_or_default())
            .collect();
        names.sort();
        Ok(names)
    }

    fn ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        self.ctl_output(args).map(drop)
    }

    fn ctl_output(&self, args: &[&str]) -> anyhow::Result<String> {
        // Bounded: a stuck Erlang distribution link must fail the test, not hang it.
        let output = Command::new("timeout")
            .args(["60", "rabbitmqctl", "-n"])
            .arg(&self.node)
            .args(args)
            .output()
            .context("cannot run rabbitmqctl")?;
        if !output.status.success() {
            bail!(
                "rabbitmqctl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

impl Drop for PrivateRabbit {
    fn drop(&mut self) {
        let _ = self.ctl(&["stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The `connection_name` among a connection's client properties as `rabbitmqctl` lists them.
/// (`[[key, type, value], …]`).
fn connection_name(properties: &serde_json::Value) -> Option<String> {
    properties.as_array()?.iter().find_map(|property| {
        (property.get(0)?.as_str()? == "connection_name")
            .then(|| property.get(2)?.as_str().map(str::to_owned))?
    })
}

/// The file of a private node's directory naming the test process that owns the node.
const OWNER_FILE: &str = "owner";

/// Stops the private nodes whose test process is gone: a test killed by a timeout never runs
/// `Drop`, and its node would otherwise run on (and accumulate) until the machine restarts.
fn reap_orphans() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_prefix("present-finder-rabbit-") else {
            continue;
        };
        let owner = std::fs::read_to_string(entry.path().join(OWNER_FILE))
            .ok()
            .and_then(|pid| pid.trim().parse::<u32>().ok());
        let in_use = match owner {
            Some(pid) => PathBuf::from(format!("/proc/{pid}")).exists(),
            // Being set up right now by another test, unless it is old.
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| at.elapsed().unwrap_or_default() < Duration::from_secs(120)),
        };
        if in_use {
            continue;
        }
        let _ = Command::new("timeout")
            .args([
                "60",
                "rabbitmqctl",
                "-n",
                &format!("pftest{id}@localhost"),
                "stop",
            ])
            .output();
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}
