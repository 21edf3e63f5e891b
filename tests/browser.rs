//! The browser tests: `serve` on scratch databases, then every spec of `e2e/specs` in
//! Debian's Chromium through `node e2e/run.mjs`. Missing tools fail the test with the
//! command that installs them; nothing is skipped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;

const BINARY: &str = env!("CARGO_BIN_EXE_present-finder");
const CHROMIUM: &str = "/usr/bin/chromium";

/// The server under test: guests may sign in, and the specs' many searches and quick answers
/// stay within the rate limits.
const SERVE_SETTINGS: [(&str, &str); 8] = [
    ("HOST", "127.0.0.1"),
    ("DB_SETUP_ON_START", "false"),
    ("JWT_SECRET", "a-browser-test-secret-of-32-characters"),
    ("GUEST_LOGIN", "true"),
    ("RATE_LIMIT_SEARCHES_PER_HOUR", "1000"),
    ("RATE_LIMIT_ANSWERS_PER_MINUTE", "1000"),
    ("RATE_LIMIT_GUESTS_PER_HOUR", "1000"),
    ("RUST_LOG", "warn"),
];

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Node, the npm packages of `e2e/` and Chromium, or a failure saying how to install them.
fn require_tools() {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is missing: install it with `apt-get install -y nodejs npm`"
    );
    for package in ["playwright-core", "axe-core"] {
        let installed = repository().join("e2e/node_modules").join(package);
        assert!(
            installed.join("package.json").exists(),
            "{} is missing: install the browser-test packages with `npm ci --prefix e2e`",
            installed.display()
        );
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: install it with `apt-get update && apt-get install -y chromium`"
    );
}

/// `serve` on its own port; killed when dropped, so a failing test leaves nothing running.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(databases: &TestDatabases) -> Self {
        let port = TcpListener::bind(("127.0.0.1", 0))
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap();
        let log = std::env::temp_dir().join(format!("present-finder-browser-{port}.log"));
        let mut command = Command::new(BINARY);
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PORT", port.to_string())
            .envs(SERVE_SETTINGS)
            .stdout(Stdio::null())
            .stderr(File::create(&log).unwrap());
        for database in ServiceDatabase::ALL {
            command.env(database.url_variable(), databases.url(database));
        }
        let mut server = Self {
            child: command.spawn().unwrap(),
            port,
            log,
        };
        server.wait_ready();
        server
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.answers_ready() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("serve exited with {status}:\n{}", self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "serve was not ready within 60 s:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether `/health/readiness` answers 200.
    fn answers_ready(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let request =
            "GET /health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        let mut status_line = [0u8; 12];
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .is_ok()
            && stream.write_all(request.as_bytes()).is_ok()
            && stream.read_exact(&mut status_line).is_ok()
            && status_line.ends_with(b" 200")
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

#[actix_rt::test]
async fn the_web_app_passes_its_browser_tests() {
    require_tools();
    let databases = TestDatabases::create_empty().await.unwrap();
    let server = Server::start(&databases);
    let started = Instant::now();
    let output = Command::new("node")
        .arg("e2e/run.mjs")
        .current_dir(repository())
        .env("BASE_URL", server.base_url())
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "node e2e/run.mjs failed ({}):\n{report}\nserve's log:\n{}",
        output.status,
        server.log_text()
    );
    eprintln!(
        "{report}browser tests took {:.0} s",
        started.elapsed().as_secs_f64()
    );
}
