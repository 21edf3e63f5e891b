//! The deployment files, checked without a Docker engine: the compose files parsed (safe
//! defaults, every variable passed, health checks, limits), and `deploy/nginx.conf` run by a
//! real nginx in front of `serve` on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::sql_types::{BigInt, Double, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use present_finder_actors::services::ServiceName;
use present_finder_schema::ServiceDatabase;
use present_finder_web::driver::{Ending, Step, step_of};
use support::{Browser, Deployment, Nginx, free_port, get};
use yaml_rust2::{Yaml, YamlLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap()
}

// ---- the compose files ----

/// A compose file as YAML, with `<<:` merge keys applied (compose applies them).
fn compose(path: &str) -> Yaml {
    let mut documents = YamlLoader::load_from_str(&read(path)).unwrap();
    merge_keys(documents.remove(0))
}

fn merge_keys(yaml: Yaml) -> Yaml {
    match yaml {
        Yaml::Hash(hash) => {
            let mut merged = yaml_rust2::yaml::Hash::new();
            if let Some(Yaml::Hash(base)) = hash.get(&Yaml::from_str("<<")) {
                for (key, value) in base {
                    merged.insert(key.clone(), merge_keys(value.clone()));
                }
            }
            for (key, value) in hash {
                if key.as_str() != Some("<<") {
                    merged.insert(key, merge_keys(value));
                }
            }
            Yaml::Hash(merged)
        }
        Yaml::Array(items) => Yaml::Array(items.into_iter().map(merge_keys).collect()),
        other => other,
    }
}

fn services(compose: &Yaml) -> BTreeMap<String, Yaml> {
    compose["services"]
        .as_hash()
        .unwrap()
        .iter()
        .map(|(name, service)| (name.as_str().unwrap().to_owned(), service.clone()))
        .collect()
}

fn environment(service: &Yaml) -> BTreeMap<String, String> {
    service["environment"]
        .as_hash()
        .map(|env| {
            env.iter()
                .map(|(k, v)| {
                    let value = match v {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(n) => n.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (k.as_str().unwrap().to_owned(), value)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Containers running `serve` (the app), as opposed to the one-shot jobs and the
/// infrastructure.
fn is_app(service: &Yaml) -> bool {
    service["image"]
        .as_str()
        .is_some_and(|image| image.contains("present-finder"))
        && service["command"].is_badvalue()
}

/// Services others wait for to have completed (`service_completed_successfully`).
fn one_shots(services: &BTreeMap<String, Yaml>) -> BTreeSet<String> {
    services
        .values()
        .filter_map(|service| service["depends_on"].as_hash())
        .flat_map(|deps| deps.iter())
        .filter(|(_, dep)| dep["condition"].as_str() == Some("service_completed_successfully"))
        .map(|(name, _)| name.as_str().unwrap().to_owned())
        .collect()
}

/// Every `${NAME…}` interpolation: the variable and what follows its name.
fn interpolations(text: &str) -> Vec<(String, String)> {
    text.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(inside, _)| {
            let end = inside
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inside.len());
            (inside[..end].to_owned(), inside[end..].to_owned())
        })
        .collect()
}

/// The environment variables the application reads: every upper-case name quoted in the
/// configuration code (tests aside), plus the log filter.
fn variables_the_app_reads() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = [
        "src/config.rs",
        "src/logging.rs",
        "web/src/http/config.rs",
        "schema/src/database.rs",
    ]
    .iter()
    .flat_map(|path| {
        let code = read(path);
        let code = code
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .to_owned();
        code.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.len() > 2
                    && s.starts_with(|c: char| c.is_ascii_uppercase())
                    && s.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
            .map(str::to_owned)
            .collect::<Vec<_>>()
    })
    .collect();
    names.insert("RUST_LOG".into());
    // Switches for tests and benchmarks only: deployments must not offer them.
    for test_only in TEST_ONLY_VARIABLES {
        names.remove(test_only);
    }
    names
}

/// Read by the app, but only for tests and benchmarks (`BROKER_CHAOS` delivers every event
/// twice): kept out of the deployment files on purpose.
const TEST_ONLY_VARIABLES: [&str; 1] = ["BROKER_CHAOS"];

const SECRET_WORDS: [&str; 5] = ["SECRET", "PASSWORD", "KEY", "TOKEN", "CREDENTIALS"];

fn check_compose(path: &str) {
    let text = read(path);
    let compose = compose(path);
    let services = services(&compose);
    let one_shots = one_shots(&services);
    assert!(services.contains_key("nginx") && services.contains_key("postgres"));
    assert!(!one_shots.is_empty(), "{path}: a one-shot db setup");

    for (name, service) in &services {
        let restart = service["restart"].as_str().unwrap_or_default();
        if one_shots.contains(name) {
            assert_eq!(
                restart, "on-failure",
                "{path}: {name} is retried until it succeeds"
            );
        } else {
            assert_eq!(restart, "unless-stopped", "{path}: {name} restarts");
            let test = &service["healthcheck"]["test"];
            assert!(
                test.as_vec().is_some_and(|t| !t.is_empty()),
                "{path}: {name} health check"
            );
        }
        let limits = &service["deploy"]["resources"]["limits"];
        assert!(
            limits["memory"].as_str().is_some() && limits["cpus"].as_str().is_some(),
            "{path}: {name} has resource limits"
        );
        if name != "db-setup" && !one_shots.contains(name) {
            assert!(
                service["stop_grace_period"].as_str().is_some(),
                "{path}: {name} has a graceful stop"
            );
        }
    }

    // No secret has a default: each is required (`:?`) or optional and empty (`:-`).
    for (variable, rest) in interpolations(&text) {
        if SECRET_WORDS.iter().any(|word| variable.contains(word)) {
            assert!(
                rest.is_empty() || rest.starts_with(":?") || rest == ":-",
                "{path}: ${{{variable}{rest}}} gives a secret a default"
            );
        }
    }

    let read_by_app = variables_the_app_reads();
    let apps: Vec<(&String, &Yaml)> = services.iter().filter(|(_, s)| is_app(s)).collect();
    assert!(!apps.is_empty(), "{path}: app containers");
    for (name, app) in &apps {
        let env = environment(app);
        assert_eq!(env.get("APP_ENV").map(String::as_str), Some("production"));
        assert_eq!(
            env.get("DB_SETUP_ON_START").map(String::as_str),
            Some("false")
        );
        assert!(
            !env.contains_key("DATABASE_URL"),
            "{path}: {name} gets no admin URL"
        );
        assert!(
            env.values()
                .all(|v| !v.contains("POSTGRES_PASSWORD") && !v.contains("postgres:${")),
            "{path}: {name} gets no administrator password"
        );
        // Its own databases' URLs, and every other variable the app reads.
        let services: BTreeSet<ServiceName> = match env["SERVICES"].as_str() {
            "all" => ServiceName::ALL.into_iter().collect(),
            list => list
                .split(',')
                .map(|s| ServiceName::parse(s.trim()).unwrap())
                .collect(),
        };
        let own: BTreeSet<&str> = services
            .iter()
            .map(|s| s.database().url_variable())
            .collect();
        for database in ServiceDatabase::ALL {
            let variable = database.url_variable();
            assert_eq!(
                env.contains_key(variable),
                own.contains(variable),
                "{path}: {name} gets exactly its own database URLs ({variable})"
            );
        }
        for variable in &read_by_app {
            let is_url = ServiceDatabase::ALL
                .iter()
                .any(|db| db.url_variable() == variable);
            if variable != "DATABASE_URL" && !is_url {
                assert!(
                    env.contains_key(variable),
                    "{path}: {name} is not given {variable}"
                );
            }
        }
        let shutdown: u64 = interpolations(&env["SHUTDOWN_TIMEOUT_S"])
            .into_iter()
            .next()
            .and_then(|(_, rest)| rest.strip_prefix(":-").map(str::to_owned))
            .unwrap_or_else(|| env["SHUTDOWN_TIMEOUT_S"].clone())
            .parse()
            .unwrap();
        let grace: u64 = app["stop_grace_period"]
            .as_str()
            .unwrap()
            .trim_end_matches('s')
            .parse()
            .unwrap();
        assert!(
            grace >= shutdown,
            "{path}: {name} stop_grace_period ≥ SHUTDOWN_TIMEOUT_S"
        );
        for dependency in ["postgres", "rabbitmq"] {
            assert_eq!(
                app["depends_on"][dependency]["condition"].as_str(),
                Some("service_healthy"),
                "{path}: {name} waits for {dependency}"
            );
        }
    }
    let setup = &services["db-setup"];
    assert!(environment(setup).contains_key("DATABASE_URL"));
    assert_eq!(
        services["nginx"]["depends_on"]["app"]["condition"]
            .as_str()
            .or(services["nginx"]["depends_on"]["web"]["condition"].as_str()),
        Some("service_healthy")
    );

    // Everything the file reads from the environment is described in env.example.
    let example = read("deploy/env.example");
    let described: BTreeSet<&str> = example
        .lines()
        .filter_map(|line| line.trim_start_matches("# ").split_once('='))
        .map(|(name, _)| name.trim())
        .collect();
    for (variable, _) in interpolations(&text) {
        assert!(
            described.contains(variable.as_str()),
            "env.example lacks {variable}"
        );
    }
}

#[test]
fn compose_files_are_safe_by_default() {
    check_compose("docker-compose.prod.yml");
    check_compose("deploy/docker-compose.split.yml");
}

#[test]
fn env_example_lists_every_variable_the_app_reads() {
    let example = read("deploy/env.example");
    for variable in variables_the_app_reads() {
        assert!(
            example.contains(&format!("{variable}=")),
            "deploy/env.example lacks {variable}"
        );
    }
    for path in [
        "deploy/env.example",
        "docker-compose.prod.yml",
        "deploy/docker-compose.split.yml",
    ] {
        for test_only in TEST_ONLY_VARIABLES {
            assert!(!read(path).contains(test_only), "{path} offers {test_only}");
        }
    }
}

// ---- nginx in front of the app ----

fn seconds_since_epoch() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[derive(diesel::QueryableByName)]
struct Stored {
    #[diesel(sql_type = Double)]
    at: f64,
}

/// When the chat's ui event `seq` was stored (seconds since the epoch).
async fn stored_at(conn: &mut AsyncPgConnection, chat_id: uuid::Uuid, seq: i64) -> f64 {
    diesel::sql_query(
        "SELECT extract(epoch FROM created_at)::float8 AS at FROM ui_events \
         WHERE chat_id = $1 AND seq = $2",
    )
    .bind::<SqlUuid, _>(chat_id)
    .bind::<BigInt, _>(seq)
    .get_result::<Stored>(conn)
    .await
    .unwrap()
    .at
}

#[actix_rt::test]
async fn nginx_serves_the_app_and_its_events_unbuffered_and_keeps_internals_inside() {
    let public_port = free_port();
    let app_port = free_port();
    let mut deployment = Deployment::new(public_port).await;
    let _app = deployment.serve(app_port, "all").await;
    let nginx = Nginx::start(public_port, &[app_port]);
    let base = nginx.url();
    let http = reqwest::Client::new();

    // The web app's page (or the app's answer at `/`) passes through, its own CSP kept.
    let direct = http
        .get(format!("http://127.0.0.1:{app_port}/"))
        .send()
        .await
        .unwrap();
    let proxied = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(proxied.status(), direct.status());
    let direct_csp = direct.headers().get("content-security-policy").cloned();
    if let Some(csp) = direct_csp {
        assert_eq!(
            proxied
                .headers()
                .get_all("content-security-policy")
                .iter()
                .count(),
            1
        );
        assert_eq!(proxied.headers()["content-security-policy"], csp);
    }

    // Security headers on API answers, HSTS only behind https.
    let api = http.get(format!("{base}/auth/me")).send().await.unwrap();
    assert_eq!(api.status(), 401);
    let headers = api.headers();
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    assert!(headers.get("strict-transport-security").is_none());
    assert!(
        headers.get("server").is_none_or(|s| s == "nginx"),
        "no version"
    );
    let behind_https = http
        .get(format!("{base}/auth/me"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    assert!(
        behind_https.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );

    // Public liveness says nothing but ok; the rest is inside only.
    assert_eq!(
        get(public_port, "/health"),
        Some((200, r#"{"status":"ok"}"#.into()))
    );
    for internal in [
        "/metrics",
        "/health/readiness",
        "/health/liveness",
        "/openapi.json",
    ] {
        assert_eq!(
            get(public_port, internal).unwrap().0,
            404,
            "{internal} is public"
        );
    }
    let (status, metrics) = get(nginx.internal_port, "/metrics").unwrap();
    assert_eq!(status, 200);
    assert!(metrics.contains("# TYPE"), "{metrics}");
    assert_eq!(
        get(nginx.internal_port, "/health/readiness").unwrap().0,
        200
    );
    assert_eq!(
        from_another_address(nginx.internal_port, "/metrics").await,
        403,
        "refused from outside the private networks"
    );

    // Oversized bodies are refused by nginx.
    let browser = Browser::guest(&base).await.unwrap();
    let huge = "x".repeat(300 * 1024);
    let refused = browser
        .post(
            "/restapi/send-message",
            serde_json::json!({"chatId": uuid::Uuid::now_v7(), "messages": [{"sender": "user", "content": huge}]}),
        )
        .await
        .unwrap();
    assert_eq!(refused.status(), 413);

    // A whole search through nginx; every ui event reaches the browser within 100 ms of
    // being stored (nothing waits in a proxy buffer).
    let mut conn =
        AsyncPgConnection::establish(&deployment.databases.url(ServiceDatabase::Restapi))
            .await
            .unwrap();
    let chat_id = browser.start().await.unwrap();
    // Two more tabs watch the stream, one through nginx and one straight from the app, and
    // note when each event arrives, while the first one answers the questions.
    let through_nginx = browser.events(chat_id, 0).await.unwrap();
    let direct = browser
        .at(&format!("http://127.0.0.1:{app_port}"))
        .events(chat_id, 0)
        .await
        .unwrap();
    let connected = seconds_since_epoch();
    let (end, via_nginx, via_app) = futures_util::join!(
        browser.follow(chat_id, Vec::new()),
        arrivals(through_nginx),
        arrivals(direct)
    );
    let end = end.unwrap();
    assert!(
        matches!(end.ending, Ending::Ready { .. }),
        "{:?}",
        end.ending
    );
    assert_eq!(
        via_nginx.len(),
        end.seqs.len(),
        "every event came through nginx"
    );
    assert_eq!(via_app.len(), end.seqs.len());
    let mut from_storage = Vec::new();
    let mut added_by_nginx = Vec::new();
    for ((seq, received), (_, direct)) in via_nginx.into_iter().zip(via_app) {
        let stored = stored_at(&mut conn, chat_id, seq).await;
        // Events replayed at connection were stored before it.
        if stored > connected {
            from_storage.push(received - stored);
            added_by_nginx.push(received - direct);
        }
    }
    from_storage.sort_by(f64::total_cmp);
    added_by_nginx.sort_by(f64::total_cmp);
    assert!(from_storage.len() >= 5, "{from_storage:?}");
    // Nothing waits in a proxy buffer: nginx passes each event on as the app sends it (a
    // buffer would hold events for seconds, until it filled or the stream ended) ...
    let median = added_by_nginx[added_by_nginx.len() / 2];
    assert!(
        median < 0.020,
        "nginx adds {:.1} ms (median): {added_by_nginx:?}",
        median * 1e3
    );
    // ... and events reach the browser within 100 ms of being stored (on a machine this
    // busy, not every one of them).
    assert!(
        from_storage[0] < 0.100,
        "stored → received through nginx: {from_storage:?}"
    );

    // Large text answers are compressed; the event stream is not.
    let gzip = |path: String| {
        browser
            .http
            .get(format!("{base}{path}"))
            .bearer_auth(&browser.token)
            .header("Accept-Encoding", "gzip")
            .send()
    };
    let listings = gzip(format!("/chats/{chat_id}/listings")).await.unwrap();
    assert_eq!(listings.status(), 200);
    assert_eq!(listings.headers()["content-encoding"], "gzip");
    let stream = gzip(format!("/sse?clientId={chat_id}")).await.unwrap();
    assert_eq!(stream.status(), 200);
    let encoding = stream.headers().get("content-encoding");
    assert!(encoding.is_none_or(|e| e == "identity"), "{encoding:?}");
    drop(stream);

    deployment.remove_broker_topology().await;
}

/// When each event of `stream` arrives (seconds since the epoch), to the end of the search.
async fn arrivals(mut stream: present_finder_web::browser::EventStream) -> Vec<(i64, f64)> {
    let mut arrivals = Vec::new();
    while let Some(event) = stream.next(Duration::from_secs(60)).await {
        arrivals.push((event.seq, seconds_since_epoch()));
        if matches!(step_of(&event.name, &event.data), Step::End(_)) {
            break;
        }
    }
    arrivals
}

/// The status of a GET sent from 127.0.0.2 (another address than nginx allows internally).
async fn from_another_address(port: u16, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let mut stream = socket
        .connect(format!("127.0.0.1:{port}").parse().unwrap())
        .await
        .unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response[9..12].parse().unwrap()
}
