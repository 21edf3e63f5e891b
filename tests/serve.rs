//! The binary as an operator runs it: configuration errors name the variable, `serve`
//! migrates and becomes ready, `SERVICES` selects a subset, SIGTERM stops it gracefully.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;

const BINARY: &str = env!("CARGO_BIN_EXE_present-finder");

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn command(databases: &TestDatabases, port: u16) -> Command {
    let mut command = Command::new(BINARY);
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("DB_SETUP_ON_START", "false")
        .env("JWT_SECRET", "a-test-secret-of-at-least-32-characters")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for database in ServiceDatabase::ALL {
        command.env(database.url_variable(), databases.url(database));
    }
    command
}

/// GET `path`; the status code and body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    Some((status, body))
}

fn wait_ready(child: &mut Child, port: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("serve exited early with {status}");
        }
        if let Some((200, body)) = get(port, "/health/readiness") {
            return body;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("serve was not ready within 60 s");
}

fn terminate(child: Child) -> Output {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the graceful stop took too long"
    );
    output
}

#[actix_rt::test]
async fn serve_migrates_becomes_ready_and_stops_gracefully_on_sigterm() {
    let databases = TestDatabases::create_empty().await.unwrap();
    let port = free_port();
    let mut child = command(&databases, port).spawn().unwrap();
    let readiness = wait_ready(&mut child, port);
    for database in ServiceDatabase::ALL {
        assert!(
            readiness.contains(&format!("database:{database}")),
            "{readiness}"
        );
    }
    assert!(readiness.contains("broker"), "{readiness}");
    let (status, body) = get(port, "/health/liveness").unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));

    let output = terminate(child);
    assert!(output.status.success(), "exit status {}", output.status);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("applied migration"),
        "migrations ran at start:\n{log}"
    );
    assert!(
        log.contains("flushing outboxes") && log.contains("stopped"),
        "graceful stop:\n{log}"
    );
}

#[actix_rt::test]
async fn services_subset_uses_only_its_databases() {
    let databases = TestDatabases::create().await.unwrap();
    let port = free_port();
    let mut child = command(&databases, port)
        .env("SERVICES", "chat,reranking")
        .spawn()
        .unwrap();
    let readiness = wait_ready(&mut child, port);
    assert!(
        readiness.contains("database:chat") && readiness.contains("database:reranking"),
        "{readiness}"
    );
    assert!(!readiness.contains("database:restapi"), "{readiness}");
    // Without the restapi service this instance does not serve the API.
    let (status, _) = get(port, "/chats").unwrap();
    assert_ne!(status, 200);
    terminate(child);
}

#[test]
fn bad_configuration_names_the_variable() {
    for (variable, value) in [
        ("PORT", "eighty"),
        ("SERVICES", "chat,billing"),
        ("AMQP_URL", "http://x"),
        ("INBOX_RETENTION_DAYS", "soon"),
        ("GUEST_TTL_DAYS", "0"),
        ("RETENTION_BATCH_SIZE", "-5"),
    ] {
        let output = Command::new(BINARY)
            .arg("serve")
            .env(variable, value)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(!output.status.success());
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(variable), "{variable}: {message}");
    }
}
