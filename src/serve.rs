//! `serve`, `migrate`, `db setup` and `db status`.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpServer, middleware};
use anyhow::Context;
use present_finder_actors::services::Providers;
use present_finder_schema::provision::{self, DatabaseTarget};
use present_finder_schema::{ServiceDatabase, migrate};
use present_finder_web::http::{self, AppState};
use present_finder_web::system::{RunningSystem, SystemConfig};

use crate::config::Config;

/// Runs `future` in an actix System (actors need one; migrations get their own thread).
pub fn block_on<F: Future<Output = anyhow::Result<()>>>(future: F) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(future)
}

pub fn serve(config: Config) -> anyhow::Result<()> {
    block_on(async move {
        let started = Instant::now();
        let databases: BTreeSet<ServiceDatabase> =
            config.services.iter().map(|s| s.database()).collect();
        prepare_databases(&config, &databases).await?;
        let system = RunningSystem::start(SystemConfig {
            broker: config.broker.clone(),
            database_urls: config.database.urls.clone(),
            pool_size: config.database.pool_size,
            settings: config.settings.clone(),
            services: config.services.clone(),
            providers: match &config.llm {
                Some(llm) => Some(Providers::with_llm(&config.settings, llm.clone())?),
                None => None,
            },
        })
        .await?;
        if let (Some(email), Some(restapi)) = (&config.web.admin_email, system.restapi()) {
            http::auth::ensure_admin(&restapi.pool, email)
                .await
                .context("ADMIN_EMAIL")?;
        }
        let state = AppState::build(config.web.clone(), &system).await?;
        let app_state = state.clone();
        let server = HttpServer::new(move || {
            http::app(app_state.clone())
                .wrap(middleware::from_fn(unbuffered_event_streams))
                // The path without its query string: nothing a URL may carry reaches the logs.
                .wrap(
                    middleware::Logger::new("%{method}xi %U %s %Dms")
                        .custom_request_replace("method", |req| req.method().to_string())
                        .exclude_regex("^/health"),
                )
        })
        .bind((config.host, config.port))
        .with_context(|| format!("cannot listen on {}:{}", config.host, config.port))?
        .shutdown_timeout(config.shutdown_timeout.as_secs())
        .disable_signals()
        .run();
        actix_web::rt::spawn(stop_on_signal(state, server.handle()));
        let services: Vec<&str> = config.services.iter().map(|s| s.as_str()).collect();
        log::info!(
            "ready in {} ms on {}:{} ({:?}, {} transport; services: {})",
            started.elapsed().as_millis(),
            config.host,
            config.port,
            config.app_env,
            system.broker.status().await.transport,
            services.join(", ")
        );
        // Returns once SIGTERM/SIGINT stopped the HTTP server gracefully.
        server.await?;
        log::info!("stopping: draining handlers and flushing outboxes");
        system.shutdown(config.shutdown_timeout).await;
        log::info!("stopped");
        Ok(())
    })
}

/// Event streams tell proxies not to buffer them (nginx honours `X-Accel-Buffering`), so
/// each event reaches the browser when it is sent, whatever the proxy's own settings.
async fn unbuffered_event_streams(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let event_stream = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if event_stream {
        response.headers_mut().insert(
            header::HeaderName::from_static("x-accel-buffering"),
            header::HeaderValue::from_static("no"),
        );
    }
    Ok(response)
}

/// On SIGTERM or SIGINT: ends the SSE streams (browsers reconnect elsewhere), then stops
/// the HTTP server gracefully, letting in-flight requests finish.
async fn stop_on_signal(state: AppState, server: actix_web::dev::ServerHandle) {
    shutdown_signal().await;
    log::info!("stopping: closing event streams, finishing HTTP requests");
    state.close_event_streams().await;
    server.stop(true).await;
}

async fn shutdown_signal() {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = actix_web::rt::signal::ctrl_c() => {}
            }
        }
        Err(error) => {
            log::warn!("cannot listen for SIGTERM ({error}); stopping on Ctrl-C only");
            let _ = actix_web::rt::signal::ctrl_c().await;
        }
    }
}

/// Creates roles and databases (when configured to) and applies pending migrations.
async fn prepare_databases(
    config: &Config,
    databases: &BTreeSet<ServiceDatabase>,
) -> anyhow::Result<()> {
    if config.database.setup_on_start {
        setup(config, databases).await?;
    }
    if config.database.migrate_on_start {
        migrate_databases(config, databases).await?;
    }
    Ok(())
}

pub async fn setup_databases(config: Config) -> anyhow::Result<()> {
    let reports = setup(&config, &ServiceDatabase::ALL.into_iter().collect()).await?;
    for report in reports {
        log::info!(
            "{}: role {}, database {}",
            report.database,
            if report.role_created {
                "created"
            } else {
                "present"
            },
            if report.database_created {
                "created"
            } else {
                "present"
            }
        );
    }
    Ok(())
}

async fn setup(
    config: &Config,
    databases: &BTreeSet<ServiceDatabase>,
) -> anyhow::Result<Vec<provision::SetupReport>> {
    let targets = databases
        .iter()
        .map(|db| DatabaseTarget::from_url(*db, &config.database.urls[db]))
        .collect::<anyhow::Result<Vec<_>>>()?;
    provision::setup(&config.database.admin_url, &targets)
        .await
        .context("db setup")
}

pub async fn migrate_all(config: Config) -> anyhow::Result<()> {
    migrate_databases(&config, &ServiceDatabase::ALL.into_iter().collect()).await
}

async fn migrate_databases(
    config: &Config,
    databases: &BTreeSet<ServiceDatabase>,
) -> anyhow::Result<()> {
    let runs = databases.iter().map(|db| {
        let url = config.database.urls[db].clone();
        let db = *db;
        async move { (db, migrate::run_pending_async(url, db).await) }
    });
    for (database, result) in futures_util::future::join_all(runs).await {
        for name in result? {
            log::info!("{database}: applied migration {name}");
        }
    }
    Ok(())
}

/// `db status`: the applied and pending migrations of each database, read with its own
/// service URL. Fails when a database cannot be read.
pub async fn database_status(config: Config) -> anyhow::Result<()> {
    let reads = ServiceDatabase::ALL.map(|database| {
        let url = config.database.urls[&database].clone();
        async move {
            let status = migrate::on_own_thread(move || migrate::status(&url, database)).await;
            (database, status)
        }
    });
    let mut pending = 0;
    let mut unreadable = Vec::new();
    for (database, status) in futures_util::future::join_all(reads).await {
        let line = match status {
            Ok(status) => {
                pending += status.pending.len();
                describe(&status)
            }
            Err(error) => {
                unreadable.push(database.key());
                format!("cannot be read: {error:#}")
            }
        };
        print_line(&format!("{:<11} {line}", database.key()));
    }
    print_line(&format!("pending migrations: {pending}"));
    if !unreadable.is_empty() {
        anyhow::bail!("unreadable databases: {}", unreadable.join(", "));
    }
    Ok(())
}

fn describe(status: &migrate::MigrationStatus) -> String {
    let mut line = if status.pending.is_empty() {
        format!("up to date ({} applied)", status.applied.len())
    } else {
        format!(
            "{} applied, {} pending: {}",
            status.applied.len(),
            status.pending.len(),
            status.pending.join(", ")
        )
    };
    if !status.unknown.is_empty() {
        line.push_str(&format!(
            "; applied by a newer version: {}",
            status.unknown.join(", ")
        ));
    }
    line
}

/// A line of a command's output (stdout; the logs go to stderr).
fn print_line(line: &str) {
    #[allow(clippy::print_stdout)]
    {
        println!("{line}");
    }
}
