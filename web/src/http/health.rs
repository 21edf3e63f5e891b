//! `/health/liveness` (the process serves), `/health/readiness` and `/health` (every database
//! this process uses and the broker are reachable; 503 naming what is down).

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use diesel_async::RunQueryDsl;
use serde_json::{Map, Value, json};

use super::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(liveness).service(readiness).service(health);
}

/// 200 while the process serves.
#[utoipa::path(tag = "operations", responses((status = 200, description = "The process serves")))]
#[get("/health/liveness")]
async fn liveness() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// 200 when every database of this process and the broker answer; 503 naming what is down.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Ready"), (status = 503, description = "Something is down")))]
#[get("/health/readiness")]
async fn readiness(state: web::Data<AppState>) -> HttpResponse {
    report(&state).await
}

/// Same as `/health/readiness`.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Ready"), (status = 503, description = "Something is down")))]
#[get("/health")]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    report(&state).await
}

async fn report(state: &AppState) -> HttpResponse {
    let mut up = Map::new();
    let mut down = Map::new();
    for (database, pool) in &state.pools {
        let name = format!("database:{database}");
        match tokio::time::timeout(CHECK_TIMEOUT, ping(pool)).await {
            Ok(Ok(())) => up.insert(name, json!({ "status": "up" })),
            Ok(Err(message)) => down.insert(name, json!({ "status": "down", "message": message })),
            Err(_) => down.insert(
                name,
                json!({ "status": "down", "message": "no answer within 3 s" }),
            ),
        };
    }
    let broker = state.broker.status().await;
    let entry = json!({
        "status": if broker.connected { "up" } else { "down" },
        "transport": broker.transport,
        "message": broker.detail,
    });
    if broker.connected {
        up.insert("broker".into(), entry);
    } else {
        down.insert("broker".into(), entry);
    }
    let healthy = down.is_empty();
    let mut details = up.clone();
    details.extend(down.clone());
    let body = json!({
        "status": if healthy { "ok" } else { "error" },
        "info": Value::Object(up),
        "error": Value::Object(down),
        "details": Value::Object(details),
    });
    if healthy {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

async fn ping(pool: &present_finder_schema::DbPool) -> Result<(), String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
