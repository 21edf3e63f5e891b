//! `GET /sse?clientId=`: the SSE hub (being written).

use actix::prelude::*;
use present_finder_actors::broker::{BrokerError, BrokerHandle};
use present_finder_actors::services::ServiceContext;

use super::WebConfig;

/// Fans user-facing updates out to the SSE sessions of each chat.
pub struct SseHub;

impl Actor for SseHub {
    type Context = Context<Self>;
}

impl SseHub {
    /// Starts this instance's hub, subscribed to the ui notifications through its own
    /// broadcast queue.
    pub async fn start(
        _restapi: ServiceContext,
        _broker: &BrokerHandle,
        _config: &WebConfig,
    ) -> Result<Addr<SseHub>, BrokerError> {
        Ok(SseHub.start())
    }
}

pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
