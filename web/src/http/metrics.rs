//! `GET /metrics`: Prometheus text. HTTP figures are recorded by a middleware; the services
//! record theirs in the same registry (`present_finder_actors::telemetry`); broker counters
//! are read from the Broker at scrape time.

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, get, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, TextEncoder,
};

use present_finder_actors::services::retention;

use super::AppState;

/// The web layer's instruments.
pub struct Metrics {
    pub http_requests: IntCounterVec,
    pub http_duration: HistogramVec,
    pub sse_connections: IntGauge,
    pub sse_events: IntCounterVec,
}

impl Metrics {
    /// The process-wide instruments (registered once in the default registry).
    pub fn shared() -> std::sync::Arc<Self> {
        static SHARED: OnceLock<std::sync::Arc<Metrics>> = OnceLock::new();
        SHARED
            .get_or_init(|| std::sync::Arc::new(Metrics::register()))
            .clone()
    }

    fn register() -> Self {
        let registry = prometheus::default_registry();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        );
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request duration by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route"],
        );
        let sse_connections = IntGauge::new("sse_connections", "Open SSE connections");
        let sse_events = IntCounterVec::new(
            Opts::new(
                "sse_events_total",
                "SSE events by outcome (sent, replayed, dropped)",
            ),
            &["outcome"],
        );
        // Names are fixed and valid, so creation cannot fail; registration only fails on a
        // duplicate, which `shared()` prevents.
        let metrics = match (http_requests, http_duration, sse_connections, sse_events) {
            (Ok(a), Ok(b), Ok(c), Ok(d)) => Metrics {
                http_requests: a,
                http_duration: b,
                sse_connections: c,
                sse_events: d,
            },
            _ => unreachable_metrics(),
        };
        for collector in [
            Box::new(metrics.http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(metrics.http_duration.clone()),
            Box::new(metrics.sse_connections.clone()),
            Box::new(metrics.sse_events.clone()),
        ] {
            if let Err(error) = registry.register(collector) {
                log::warn!("metric not registered: {error}");
            }
        }
        metrics
    }
}

#[allow(clippy::panic)]
fn unreachable_metrics() -> Metrics {
    panic!("fixed metric definitions are valid")
}

/// Counts and times every request by its route pattern (not its raw path).
pub async fn record_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let response = next.call(req).await?;
    if let Some(metrics) = metrics {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let status = response.status().as_u16().to_string();
        metrics
            .http_requests
            .with_label_values(&[method.as_str(), route.as_str(), status.as_str()])
            .inc();
        metrics
            .http_duration
            .with_label_values(&[route.as_str()])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(export);
}

/// Prometheus text exposition of every metric of this process.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Prometheus text", content_type = "text/plain")))]
#[get("/metrics")]
async fn export(state: web::Data<AppState>) -> HttpResponse {
    let mut text = String::new();
    let mut buffer = Vec::new();
    if TextEncoder::new()
        .encode(&prometheus::gather(), &mut buffer)
        .is_ok()
    {
        text.push_str(&String::from_utf8_lossy(&buffer));
    }
    let events = state.broker.stats().snapshot();
    for (name, help, read) in [
        (
            "broker_events_published_total",
            "Events published, by type",
            0,
        ),
        (
            "broker_events_consumed_total",
            "Events handled and acknowledged, by type",
            1,
        ),
        (
            "broker_events_retried_total",
            "Deliveries that failed and were retried, by type",
            2,
        ),
        (
            "broker_events_dead_lettered_total",
            "Events dead-lettered, by type",
            3,
        ),
    ] {
        let _ = writeln!(text, "# HELP {name} {help}\n# TYPE {name} counter");
        for (event, counters) in &events {
            let value = [
                counters.published,
                counters.consumed,
                counters.retried,
                counters.dead_lettered,
            ][read];
            let _ = writeln!(text, "{name}{{event=\"{event}\"}} {value}");
        }
    }
    let _ = writeln!(
        text,
        "# HELP retention_pruned_rows_total Rows deleted for retention, by database and table (restapi users: expired guest accounts)\n# TYPE retention_pruned_rows_total counter"
    );
    for ((database, table), rows) in retention::pruned_totals() {
        let _ = writeln!(
            text,
            "retention_pruned_rows_total{{database=\"{database}\",table=\"{table}\"}} {rows}"
        );
    }
    let status = state.broker.status().await;
    let _ = writeln!(
        text,
        "# HELP broker_connected Whether the broker is reachable\n# TYPE broker_connected gauge\nbroker_connected{{transport=\"{}\"}} {}",
        status.transport,
        u8::from(status.connected)
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text)
}
