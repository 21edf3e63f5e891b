use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder};

use super::error::{ErrorBody, ErrorCode, FieldProblem};

/// The generated description, served at `/openapi.json`.
pub struct Spec(pub OpenApi);

/// The document the routes are collected into.
pub fn document() -> OpenApi {
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Present Finder API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Gift search: start a search, answer the interview, receive ranked gifts over SSE. \
                     Authenticate with the `access_token` cookie or `Authorization: Bearer`. \
                     Every error answer has the body `ErrorBody`, whose `code` (`ErrorCode`) is stable: \
                     invalid_input (400), unauthenticated (401), forbidden (403), not_found (404), \
                     conflict (409), payload_too_large (413), rate_limited (429), internal (500, with \
                     `errorId`), unavailable (503).",
                ))
                .build(),
        )
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme(
                    "bearer",
                    SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
                )
                .security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("access_token"))))
                .schema_from::<ErrorBody<'static>>()
                .schema_from::<ErrorCode>()
                .schema_from::<FieldProblem>()
                .build(),
        ))
        .build()
}

pub async fn serve(spec: web::Data<Spec>) -> HttpResponse {
    HttpResponse::Ok().json(&spec.0)
}
