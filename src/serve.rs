//! `serve`, `migrate` and `db setup`.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Instant;

use actix_web::{HttpServer, middleware};
use anyhow::Context;
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
            providers: None,
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
                .wrap(middleware::Logger::new("%r %s %Dms").exclude_regex("^/health"))
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
