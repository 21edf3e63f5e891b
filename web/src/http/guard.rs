//! Cross-origin rules: CORS for the allowed origins, and state-changing requests from any
//! other origin refused (CSRF).

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use super::{ApiError, AppState, WebConfig};

fn allowed_origins(config: &WebConfig) -> Vec<String> {
    let mut origins = config.cors_origins.clone();
    if let Some(url) = &config.public_url {
        origins.push(url.origin().ascii_serialization());
    }
    origins
}

pub fn cors(config: &WebConfig) -> Cors {
    allowed_origins(config)
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::CACHE_CONTROL,
            header::HeaderName::from_static("last-event-id"),
        ])
        .supports_credentials()
        .max_age(3600)
}

/// Refuses a state-changing request whose `Origin` is neither this server nor an allowed
/// origin. Requests without `Origin` (API clients) pass: browsers always send it cross-site.
pub async fn reject_foreign_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe
        && let Some(origin) = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
    {
        let same_host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|host| origin.split("://").nth(1) == Some(host));
        let allowed = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| allowed_origins(&state.config).iter().any(|o| o == origin));
        if !same_host && !allowed {
            let refused =
                ApiError::Forbidden(format!("Requests from origin {origin} are not allowed"));
            return Ok(req
                .into_response(refused.error_response())
                .map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
