//! Operator commands and production safety: `db status`, `migrate` with JSON logs, and the
//! production configuration refusing to start unsafely.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use present_finder_web::driver::Ending;
use serde_json::{Value, json};
use support::{Browser, Deployment, Nginx, Process, TempDir, free_port, ready};

const BINARY: &str = env!("CARGO_BIN_EXE_present-finder");

/// The binary with `args`, only the service URLs of `databases` and `env` in its environment.
fn run(args: &[&str], databases: &TestDatabases, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DB_SETUP_ON_START", "false")
        .stdin(Stdio::null());
    for database in ServiceDatabase::ALL {
        command.env(database.url_variable(), databases.url(database));
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[actix_rt::test]
async fn db_status_lists_pending_migrations_until_migrate_applies_them() {
    let databases = TestDatabases::create_empty().await.unwrap();
    let before = run(&["db", "status"], &databases, &[]);
    assert!(before.status.success(), "{}", stderr(&before));
    let report = stdout(&before);
    for database in ServiceDatabase::ALL {
        let line = report
            .lines()
            .find(|line| line.starts_with(database.key()))
            .unwrap_or_else(|| panic!("no line for {database}:\n{report}"));
        assert!(
            line.contains("0 applied") && line.contains("pending"),
            "{line}"
        );
    }
    assert!(!report.contains("pending migrations: 0"), "{report}");

    let migrated = run(&["migrate"], &databases, &[("LOG_FORMAT", "json")]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    let log = stderr(&migrated);
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(
        lines.iter().any(|line| line["level"] == "INFO"
            && line["message"]
                .as_str()
                .unwrap()
                .contains("applied migration")),
        "{log}"
    );

    let after = run(&["db", "status"], &databases, &[]);
    let report = stdout(&after);
    assert!(report.contains("pending migrations: 0"), "{report}");
    assert_eq!(report.matches("up to date").count(), 6, "{report}");
}

#[actix_rt::test]
async fn db_status_fails_naming_an_unreachable_database() {
    let databases = TestDatabases::create().await.unwrap();
    let output = run(
        &["db", "status"],
        &databases,
        &[(
            "CHAT_DATABASE_URL",
            "postgres://nobody:secret@127.0.0.1:1/none",
        )],
    );
    assert!(!output.status.success());
    assert!(stdout(&output).contains("chat        cannot be read"));
    assert!(stderr(&output).contains("unreadable databases: chat"));
    assert!(
        !format!("{}{}", stdout(&output), stderr(&output)).contains("secret"),
        "the password stays out of the output"
    );
}

#[actix_rt::test]
async fn production_refuses_to_start_without_its_public_address_or_secret() {
    let databases = TestDatabases::create().await.unwrap();
    let secret = ("JWT_SECRET", "a-production-secret-of-32-characters-or-more");
    let production = ("APP_ENV", "production");
    for (env, variable) in [
        (vec![production, secret], "PUBLIC_URL"),
        (
            vec![production, ("PUBLIC_URL", "https://gifts.example.com")],
            "JWT_SECRET",
        ),
        (
            vec![production, secret, ("LOG_FORMAT", "yaml")],
            "LOG_FORMAT",
        ),
    ] {
        let output = run(&["serve"], &databases, &env);
        assert!(!output.status.success(), "{variable}");
        assert!(stderr(&output).contains(variable), "{}", stderr(&output));
    }
}

// ---- backup and restore ----

/// Six real databases and their roles, as `db setup` creates them in production (named
/// for this test), dropped at the end.
struct RealDatabases {
    prefix: String,
}

impl RealDatabases {
    fn new() -> Self {
        Self {
            prefix: format!("pf{}", &uuid::Uuid::new_v4().simple().to_string()[..10]),
        }
    }

    fn name(&self, database: ServiceDatabase) -> String {
        format!("{}_{}", self.prefix, database.key())
    }

    fn role(&self, database: ServiceDatabase) -> String {
        format!("{}_{}_user", self.prefix, database.key())
    }

    fn url(&self, database: ServiceDatabase) -> String {
        format!(
            "postgres://{}:secret-{}@127.0.0.1:5432/{}",
            self.role(database),
            database.key(),
            self.name(database)
        )
    }

    /// `PF_DATABASES` of the backup scripts.
    fn pairs(&self) -> String {
        ServiceDatabase::ALL
            .map(|db| format!("{}:{}", self.name(db), self.role(db)))
            .join(" ")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(support::BINARY);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("APP_ENV", "production")
            .env("JWT_SECRET", support::JWT_SECRET)
            .env("PUBLIC_URL", "http://127.0.0.1")
            .env(
                "DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/postgres",
            )
            .env("DB_SETUP_ON_START", "false");
        for database in ServiceDatabase::ALL {
            command.env(database.url_variable(), self.url(database));
        }
        command
    }

    /// Runs deploy/`script` as the administrator on this test's databases.
    fn script(&self, script: &str, args: &[&str], backups: &Path) -> Output {
        let output = Command::new("bash")
            .arg(format!("{}/deploy/{script}", env!("CARGO_MANIFEST_DIR")))
            .args(args)
            .env("BACKUP_DIR", backups)
            .env("PGHOST", "127.0.0.1")
            .env("PGUSER", "postgres")
            .env("PF_DATABASES", self.pairs())
            .output()
            .unwrap();
        assert!(output.status.success(), "{script}: {}", stderr(&output));
        output
    }

    fn drop_all(&self) {
        for database in ServiceDatabase::ALL {
            psql(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name(database)
            ));
        }
    }
}

impl Drop for RealDatabases {
    fn drop(&mut self) {
        self.drop_all();
        for database in ServiceDatabase::ALL {
            psql(&format!("DROP ROLE IF EXISTS \"{}\"", self.role(database)));
        }
    }
}

fn psql(statement: &str) {
    let _ = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-qc",
            statement,
        ])
        .output();
}

async fn fetch(browser: &Browser, path: &str) -> Value {
    let response = browser.get(path).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// A user's chats, the listings of each and the favourites, as the API shows them.
async fn what_the_user_sees(browser: &Browser) -> Value {
    let chats = fetch(browser, "/chats").await;
    let mut listings = Vec::new();
    for chat in chats["chats"].as_array().unwrap() {
        let id = chat["chatId"].as_str().unwrap();
        listings.push(fetch(browser, &format!("/chats/{id}/listings")).await);
    }
    json!({ "chats": chats, "listings": listings, "favorites": fetch(browser, "/favorites").await })
}

#[actix_rt::test]
async fn backup_drop_restore_keeps_chats_listings_and_favourites() {
    let databases = RealDatabases::new();
    let setup = databases.command(&["db", "setup"]).output().unwrap();
    assert!(setup.status.success(), "{}", stderr(&setup));
    let dir = TempDir::new("backup");
    let port = free_port();
    let start = |label: &str| {
        let mut command = databases.command(&["serve"]);
        command
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string());
        Process::spawn(label, command, dir.path().join(format!("{label}.log")))
    };

    let mut server = start("before");
    ready(&mut server, port).await;
    let browser = Browser::guest(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();
    for _ in 0..2 {
        let end = browser.search().await.unwrap();
        let listings = fetch(&browser, &format!("/chats/{}/listings", end.chat_id)).await;
        let listing_id = listings["listings"][0]["id"].as_str().unwrap();
        let added = browser
            .post("/favorites", json!({ "listingId": listing_id }))
            .await
            .unwrap();
        assert_eq!(added.status(), 201);
    }
    let before = what_the_user_sees(&browser).await;
    assert_eq!(before["chats"]["chats"].as_array().unwrap().len(), 2);
    assert_eq!(
        before["favorites"]["favorites"].as_array().unwrap().len(),
        2
    );
    server.stop(Duration::from_secs(30)).await;

    let backups = dir.path().join("backups");
    databases.script("backup.sh", &[], &backups);
    let backup = std::fs::read_dir(&backups)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.is_dir() && !path.to_string_lossy().ends_with(".partial"))
        .expect("a complete backup");

    databases.drop_all();
    databases.script("restore.sh", &[backup.to_str().unwrap()], &backups);

    let mut server = start("after");
    ready(&mut server, port).await;
    let after = what_the_user_sees(&browser).await;
    assert_eq!(after, before);
    assert_eq!(
        after["favorites"]
            .to_string()
            .matches("listingId")
            .count()
            .max(2),
        2
    );
    server.stop(Duration::from_secs(30)).await;
}

// ---- upgrades ----

/// Both replicas restarted one after the other (SIGTERM, then the new process on the same
/// address, migrating at start) while browsers search and read through nginx: no request
/// fails and every search completes.
#[actix_rt::test]
async fn rolling_restart_fails_no_request() {
    let (public, first, second) = (free_port(), free_port(), free_port());
    let mut deployment = Deployment::new(public).await;
    let mut replicas = vec![
        (first, deployment.serve(first, "all").await),
        (second, deployment.serve(second, "all").await),
    ];
    let nginx = Nginx::start(public, &[first, second]);
    let base = nginx.url();
    let done = std::cell::Cell::new(false);
    let failures = std::cell::RefCell::new(Vec::new());
    let reads = std::cell::Cell::new(0usize);

    let reader = async {
        let browser = Browser::guest(&base).await.unwrap();
        while !done.get() {
            for path in ["/chats", "/auth/me", "/favorites", "/health"] {
                match browser
                    .http
                    .get(format!("{base}{path}"))
                    .bearer_auth(&browser.token)
                    .send()
                    .await
                {
                    Ok(response) if response.status().is_success() => reads.set(reads.get() + 1),
                    Ok(response) => failures
                        .borrow_mut()
                        .push(format!("{path}: {}", response.status())),
                    Err(error) => failures.borrow_mut().push(format!("{path}: {error}")),
                }
            }
        }
    };
    let searcher = async {
        let browser = Browser::guest(&base).await.unwrap();
        let mut ends = Vec::new();
        while !done.get() {
            let rounds = (0..4).map(|_| browser.search());
            for end in futures_util::future::join_all(rounds).await {
                match end {
                    Ok(end) => ends.push(end),
                    Err(error) => failures.borrow_mut().push(format!("search: {error:#}")),
                }
            }
        }
        ends
    };
    let restart = async {
        for (port, process) in &mut replicas {
            // Under load: some requests served since the last restart.
            let served = reads.get() + 20;
            while reads.get() < served {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let status = process.stop(Duration::from_secs(30)).await;
            assert!(status.success(), "graceful stop: {status}");
            *process = deployment.spawn(*port, "all");
            ready(process, *port).await;
        }
        done.set(true);
    };
    let ((), ends, ()) = futures_util::join!(reader, searcher, restart);
    let failures = failures.into_inner();
    assert!(
        failures.is_empty(),
        "failed requests: {failures:?}\nnginx: {}",
        nginx.error_log()
    );
    assert!(reads.get() > 50, "{} reads", reads.get());
    assert!(!ends.is_empty());
    for end in &ends {
        assert!(
            matches!(&end.ending, Ending::Ready { gifts, .. } if !gifts.is_empty()),
            "{:?}",
            end.ending
        );
    }
    deployment.remove_broker_topology().await;
}
