//! `GET /metrics`: Prometheus text. HTTP figures are recorded by a middleware; the services
//! record theirs in the same registry (`present_finder_actors::telemetry`); broker counters
//! are read from the Broker at scrape time. All of it is encoded by the `prometheus` crate.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, get, web};
use present_finder_actors::broker::EventCounters;
use present_finder_actors::services::retention;
use present_finder_schema::ServiceDatabase;
use prometheus::proto::MetricFamily;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

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
    let mut families = prometheus::gather();
    let status = state.broker.status().await;
    match scrape_time_families(
        &state.broker.stats().snapshot(),
        status.transport,
        status.connected,
        state.pools.keys().copied(),
    ) {
        Ok(broker) => families.extend(broker),
        Err(error) => log::error!("broker and retention metrics not exported: {error}"),
    }
    let mut buffer = Vec::new();
    if let Err(error) = TextEncoder::new().encode(&families, &mut buffer) {
        log::error!("metrics not encoded: {error}");
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type(TextEncoder::new().format_type())
        .body(buffer)
}

/// One of an event type's counters.
type ReadCounter = fn(&EventCounters) -> u64;

/// The counters kept outside the registry, as they are now: the Broker's and the retention
/// sweepers' (read at scrape time into a registry of this scrape's own).
fn scrape_time_families(
    events: &BTreeMap<String, EventCounters>,
    transport: &str,
    connected: bool,
    databases: impl Iterator<Item = ServiceDatabase>,
) -> prometheus::Result<Vec<MetricFamily>> {
    let registry = Registry::new();
    let counters: [(&str, &str, ReadCounter); 4] = [
        (
            "broker_events_published_total",
            "Events published, by type",
            |c| c.published,
        ),
        (
            "broker_events_consumed_total",
            "Events handled and acknowledged, by type",
            |c| c.consumed,
        ),
        (
            "broker_events_retried_total",
            "Deliveries that failed and were retried, by type",
            |c| c.retried,
        ),
        (
            "broker_events_dead_lettered_total",
            "Events dead-lettered, by type",
            |c| c.dead_lettered,
        ),
    ];
    for (name, help, read) in counters {
        let counter = IntCounterVec::new(Opts::new(name, help), &["event"])?;
        for (event, values) in events {
            counter
                .with_label_values(&[event.as_str()])
                .inc_by(read(values));
        }
        registry.register(Box::new(counter))?;
    }
    let gauge = IntGaugeVec::new(
        Opts::new("broker_connected", "Whether the broker is reachable"),
        &["transport"],
    )?;
    gauge
        .with_label_values(&[transport])
        .set(i64::from(connected));
    registry.register(Box::new(gauge))?;
    let pruned = IntCounterVec::new(
        Opts::new(
            "retention_pruned_rows_total",
            "Rows deleted for retention, by database and table (restapi users: expired guest accounts)",
        ),
        &["database", "table"],
    )?;
    // Every table this process prunes has its series from the start, at 0 until it prunes.
    for database in databases {
        for table in retention::pruned_tables(database) {
            pruned.with_label_values(&[database.key(), table]);
        }
    }
    for ((database, table), rows) in retention::pruned_totals() {
        pruned
            .with_label_values(&[database.as_str(), table.as_str()])
            .inc_by(rows);
    }
    registry.register(Box::new(pruned))?;
    Ok(registry.gather())
}
