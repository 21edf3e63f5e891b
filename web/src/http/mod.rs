//! The HTTP surface: configuration, shared state, middleware and every route. Routes are
//! registered through utoipa's actix bindings, so a route cannot exist without its OpenAPI
//! description.

pub mod api;
pub mod auth;
mod client_address;
mod config;
pub mod error;
mod guard;
mod health;
pub mod metrics;
mod openapi;
pub mod rate_limit;
pub mod sse;
pub mod validation;
pub mod webapp;

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, Error, HttpResponse, middleware, web};
use present_finder_actors::broker::BrokerHandle;
use present_finder_actors::services::ServiceContext;
use present_finder_schema::{DbPool, ServiceDatabase};
use utoipa_actix_web::AppExt;

pub use config::{GoogleConfig, RateLimits, WebConfig};
pub use error::ApiError;

/// What every request handler can reach. Built once, outside the server factory, so that
/// all workers share the same actors, pools and counters.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<WebConfig>,
    pub broker: BrokerHandle,
    /// The pools of the databases this process uses (readiness checks them all).
    pub pools: BTreeMap<ServiceDatabase, DbPool>,
    /// Present when this process runs the restapi service (the public API).
    pub restapi: Option<ServiceContext>,
    /// The SSE hub of this instance (with the restapi service).
    pub sse: Option<sse::SseHubHandle>,
    /// The cap on each user's open SSE streams on this instance.
    pub sse_slots: Arc<sse::StreamSlots>,
    /// The accounts authentication read lately.
    pub accounts: Arc<auth::AccountCache>,
    pub metrics: Arc<metrics::Metrics>,
    pub limiter: Arc<rate_limit::RateLimiter>,
    /// Outbound HTTP (Google sign-in).
    pub http: reqwest::Client,
    /// The web app's pages and assets.
    pub webapp: Arc<webapp::WebApp>,
}

impl AppState {
    /// The restapi service, or 503 when this instance does not run it.
    pub fn restapi(&self) -> Result<&ServiceContext, ApiError> {
        self.restapi.as_ref().ok_or_else(|| {
            ApiError::Unavailable("this instance does not serve the API (SERVICES)".into())
        })
    }

    /// A connection of the restapi database.
    pub async fn db(&self) -> Result<present_finder_schema::DbConn, ApiError> {
        Ok(self.restapi()?.pool.get().await?)
    }

    /// Ends this instance's SSE streams before a graceful stop (which would otherwise wait
    /// for them until its timeout).
    pub async fn close_event_streams(&self) {
        if let Some(hub) = &self.sse {
            match hub.close_all().await {
                Ok(clients) => log::info!("closed {clients} SSE stream(s)"),
                Err(error) => log::warn!("the SSE hub is gone: {error}"),
            }
        }
    }
}

impl AppState {
    /// The state of an instance running `system`: starts its SSE hub when it serves the API.
    pub async fn build(
        config: WebConfig,
        system: &crate::system::RunningSystem,
    ) -> anyhow::Result<Self> {
        let restapi = system.restapi();
        let sse = if restapi.is_some() {
            Some(sse::SseHub::start(&system.broker).await?)
        } else {
            None
        };
        let limiter = Arc::new(rate_limit::RateLimiter::new(config.rate_limits));
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        Ok(Self {
            sse_slots: sse::StreamSlots::new(config.sse_max_per_user),
            accounts: Arc::default(),
            config: Arc::new(config),
            broker: system.broker.clone(),
            pools: system.pools.clone(),
            restapi,
            sse,
            metrics: metrics::Metrics::shared(),
            limiter,
            http,
            webapp: Arc::new(webapp::WebApp::load(webapp::PageSettings {
                max_questions: system.settings.max_questions,
            })?),
        })
    }
}

/// The application: middleware, every documented route, `/openapi.json`, the web app,
/// JSON 404s.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let cors = guard::cors(&state.config);
    let (app, api) = App::new()
        .app_data(web::Data::new(state.clone()))
        .app_data(web::PayloadConfig::new(validation::MAX_BODY))
        .wrap(middleware::from_fn(guard::reject_foreign_origin))
        .wrap(cors)
        .wrap(middleware::from_fn(metrics::record_request))
        .into_utoipa_app()
        .openapi(openapi::document())
        .configure(health::configure)
        .configure(auth::configure)
        .configure(api::configure)
        .configure(sse::configure)
        .configure(metrics::configure)
        .split_for_parts();
    app.app_data(web::Data::new(openapi::Spec(api)))
        .route("/openapi.json", web::get().to(openapi::serve))
        .configure(webapp::configure)
        .default_service(web::to(not_found))
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("Not found".into()))
}
