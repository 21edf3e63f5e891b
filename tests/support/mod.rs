//! What the deployment tests share: processes that are killed with the test, `serve`
//! processes on one isolated deployment (databases, broker namespace), nginx running
//! `deploy/nginx.conf`, and a browser that searches over HTTP and SSE.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use present_finder_actors::broker::{Broker, BrokerConfig};
use present_finder_actors::services::whole_topology;
use present_finder_actors::testing::{self, Transport};
use present_finder_actors::vocabulary::Marketplace;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use uuid::Uuid;

pub const BINARY: &str = env!("CARGO_BIN_EXE_present-finder");
pub const JWT_SECRET: &str = "a-deployment-test-secret-of-32-characters";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A scratch directory, removed with the value.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "present-finder-{label}-{}",
            Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process that is killed when the value is dropped, so a failing test leaves
/// nothing running. Its stderr goes to a file, shown when it fails to start.
pub struct Process {
    child: Child,
    name: String,
    log: PathBuf,
}

impl Process {
    pub fn spawn(name: &str, mut command: Command, log: PathBuf) -> Self {
        let file = std::fs::File::create(&log).unwrap();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Self {
            child,
            name: name.to_owned(),
            log,
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Panics (with the log) when the process has exited.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("{} exited with {status}:\n{}", self.name, self.log());
        }
    }

    /// SIGTERM, as an orchestrator stops a container; waits for the exit (without blocking
    /// the test's event loop).
    pub async fn stop(&mut self, within: Duration) -> ExitStatus {
        signal(self.id(), "-TERM");
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not stop within {within:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: the process dies at once, mid-work.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Panics when `process`'s log holds a credential: the signing key, a token (every token
/// the app issues is a JWT, whose encoded header starts `eyJ`), an `Authorization` header or
/// the broker's password, or any of `also`.
pub fn assert_log_holds_no_secret(process: &Process, also: &[&str]) {
    let log = process.log();
    assert!(!log.is_empty(), "{} logged nothing", process.name);
    for secret in [JWT_SECRET, "eyJ", "Bearer ", "guest:guest"]
        .iter()
        .chain(also)
    {
        assert!(
            !log.contains(secret),
            "{}'s log holds {secret:?}:\n{log}",
            process.name
        );
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            let log = self.log();
            let start = log.len().saturating_sub(20_000);
            let tail = log.get(start..).unwrap_or(&log);
            eprintln!("---- the end of {}'s log ----\n{tail}", self.name);
        }
    }
}

fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(signal)
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Whether something accepts connections on `port`.
pub fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// A bare `GET`; the status and body.
pub fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    Some((status, body.to_owned()))
}

/// Runs `attempt` every 20 ms until it gives a value, or panics with `what` after `timeout`.
pub fn wait_for<T>(timeout: Duration, what: &str, mut attempt: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = attempt() {
            return value;
        }
        assert!(Instant::now() < deadline, "{what} within {timeout:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One deployment on this machine: its six databases (schemas), its RabbitMQ namespace and
/// the public address the app is configured with. `serve` processes join it.
pub struct Deployment {
    /// Held while the deployment exists (see [`Deployment::new`]).
    _turn: std::fs::File,
    pub databases: TestDatabases,
    pub broker: BrokerConfig,
    pub public_url: String,
    pub dir: TempDir,
    started: usize,
}

impl Deployment {
    /// A new deployment. Deployments take turns (a lock file shared by the test processes):
    /// each runs several servers under load, and two at once on two cores would mostly
    /// measure each other.
    pub async fn new(public_port: u16) -> Self {
        let turn = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(std::env::temp_dir().join("present-finder-deployment-tests.lock"))
            .unwrap();
        turn.lock().unwrap();
        let databases = TestDatabases::create().await.unwrap();
        let mut broker = testing::broker_config(Transport::Amqp);
        broker.service_queues = whole_topology(&[Marketplace::Catalog]);
        // As in production: a busy moment (no pooled connection free) is retried, not
        // dead-lettered.
        broker.delivery_limit = 5;
        Self {
            _turn: turn,
            databases,
            broker,
            public_url: format!("http://127.0.0.1:{public_port}"),
            dir: TempDir::new("deployment"),
            started: 0,
        }
    }

    /// The environment of a production `serve` of this deployment on `port`.
    pub fn command(&self, args: &[&str], port: u16, services: &str) -> Command {
        let mut command = Command::new(BINARY);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("APP_ENV", "production")
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("PUBLIC_URL", &self.public_url)
            .env("JWT_SECRET", JWT_SECRET)
            .env("SERVICES", services)
            // Two or three processes on six databases: well within max_connections.
            .env("DB_POOL_SIZE", "5")
            .env("AMQP_URL", self.broker.amqp_url.as_deref().unwrap())
            .env("AMQP_NAMESPACE", &self.broker.namespace)
            .env(
                "AMQP_QUEUE_EXPIRY_S",
                self.broker
                    .queue_expiry
                    .unwrap_or_default()
                    .as_secs()
                    .to_string(),
            )
            // Queues are declared alike by every process, this test's included.
            .env("DELIVERY_LIMIT", self.broker.delivery_limit.to_string())
            .env("RATE_LIMIT_SEARCHES_PER_HOUR", "100000")
            .env("RATE_LIMIT_ANSWERS_PER_MINUTE", "100000")
            .env("RATE_LIMIT_GUESTS_PER_HOUR", "100000")
            // Short searches (a few questions, one wave), so that many fit in a test; a
            // search that lost something ends with a message well before the test does.
            .env("MIN_QUESTIONS", "2")
            .env("MAX_QUESTIONS", "4")
            .env("MAX_IDEAS_LOOP", "0")
            .env("PRODUCTS_PER_QUERY", "10")
            .env("STALKING_DEADLINE_S", "2")
            .env("GIFT_SESSION_DEADLINE_S", "90")
            .env("SWEEP_INTERVAL_MS", "200")
            .env("OUTBOX_POLL_MS", "200")
            .env("SHUTDOWN_TIMEOUT_S", "10")
            .env("RUST_LOG", "warn,present_finder=info");
        for database in ServiceDatabase::ALL {
            command.env(database.url_variable(), self.databases.url(database));
        }
        command
    }

    /// Starts `serve` running `services` on `port` (without waiting for it).
    pub fn spawn(&mut self, port: u16, services: &str) -> Process {
        self.started += 1;
        let name = format!("serve #{} ({services}) on {port}", self.started);
        let log = self.dir.path().join(format!("serve-{}.log", self.started));
        Process::spawn(&name, self.command(&["serve"], port, services), log)
    }

    /// Starts `serve` and waits until it is ready.
    pub async fn serve(&mut self, port: u16, services: &str) -> Process {
        let mut process = self.spawn(port, services);
        ready(&mut process, port).await;
        process
    }

    /// Deletes the deployment's queues and exchanges.
    pub async fn remove_broker_topology(&self) {
        let broker = Broker::start(self.broker.clone()).await.unwrap();
        broker.delete_topology().await.unwrap();
    }
}

/// Waits (without blocking the test's event loop) until `serve` on `port` is ready.
pub async fn ready(process: &mut Process, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !matches!(get(port, "/health/readiness"), Some((200, _))) {
        process.assert_running();
        assert!(
            Instant::now() < deadline,
            "serve on {port} was not ready within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The events a `serve` has consumed (from its `/metrics`), of `event` or of every kind.
pub fn consumed(port: u16, event: Option<&str>) -> u64 {
    let Some((200, metrics)) = get(port, "/metrics") else {
        return 0;
    };
    metrics
        .lines()
        .filter(|line| line.starts_with("broker_events_consumed_total{"))
        .filter(|line| event.is_none_or(|e| line.contains(&format!("event=\"{e}\""))))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// Searches by `count` browsers at once through `base`, each followed to its end.
pub async fn searches(base: &str, count: usize) -> Vec<SearchEnd> {
    let browsers = futures_util::future::join_all((0..count).map(|_| Browser::guest(base))).await;
    let browsers: Vec<Browser> = browsers.into_iter().map(Result::unwrap).collect();
    futures_util::future::join_all(browsers.iter().map(Browser::search))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

/// nginx running `deploy/nginx.conf`, with the app's upstream replaced by `app_ports` and
/// its listeners moved to free loopback ports. Stopped with the value.
pub struct Nginx {
    pub public_port: u16,
    pub internal_port: u16,
    process: Process,
    dir: TempDir,
}

/// The line of deploy/nginx.conf naming the app (a template variable under compose).
const UPSTREAM_LINE: &str = "server ${APP_UPSTREAM} resolve max_fails=0;";

impl Nginx {
    pub fn start(public_port: u16, app_ports: &[u16]) -> Self {
        let dir = TempDir::new("nginx");
        let internal_port = free_port();
        let site =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx.conf"))
                .unwrap();
        assert!(site.contains(UPSTREAM_LINE), "the upstream line moved");
        let servers: Vec<String> = app_ports
            .iter()
            .map(|port| format!("server 127.0.0.1:{port} max_fails=0;"))
            .collect();
        let site = site
            .replace(UPSTREAM_LINE, &servers.join("\n    "))
            .replace("listen 80;", &format!("listen 127.0.0.1:{public_port};"))
            .replace("listen [::]:80;", "")
            .replace(
                "listen 8081;",
                &format!("listen 127.0.0.1:{internal_port};"),
            );
        std::fs::write(dir.path().join("site.conf"), site).unwrap();
        let root = dir.path().display();
        std::fs::write(
            dir.path().join("nginx.conf"),
            format!(
                "worker_processes 1;\n\
                 pid {root}/nginx.pid;\n\
                 error_log {root}/error.log warn;\n\
                 events {{ worker_connections 1024; }}\n\
                 http {{\n\
                   include /etc/nginx/mime.types;\n\
                   access_log off;\n\
                   client_body_temp_path {root}/body;\n\
                   proxy_temp_path {root}/proxy;\n\
                   fastcgi_temp_path {root}/fastcgi;\n\
                   uwsgi_temp_path {root}/uwsgi;\n\
                   scgi_temp_path {root}/scgi;\n\
                   include {root}/site.conf;\n\
                 }}\n"
            ),
        )
        .unwrap();
        let config = dir.path().join("nginx.conf");
        let checked = Command::new("nginx")
            .args(["-t", "-p"])
            .arg(dir.path())
            .arg("-c")
            .arg(&config)
            .output()
            .expect("nginx is installed (apt-get install nginx)");
        assert!(
            checked.status.success(),
            "nginx -t: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
        let mut command = Command::new("nginx");
        command
            .args(["-g", "daemon off;", "-p"])
            .arg(dir.path())
            .arg("-c")
            .arg(&config);
        let mut process = Process::spawn("nginx", command, dir.path().join("stderr.log"));
        wait_for(Duration::from_secs(20), "nginx listens", || {
            process.assert_running();
            (listening(public_port) && listening(internal_port)).then_some(())
        });
        Self {
            public_port,
            internal_port,
            process,
            dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.public_port)
    }

    /// What nginx logged (warnings and errors).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

pub use present_finder_web::browser::{Browser, SearchEnd};
