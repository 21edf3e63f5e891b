//! Errors of the request path.
//!
//! Handlers return [`ApiError`], a typed error mapped to one status code and to the API's
//! error body `{statusCode, message, error, details?}`. Its cause chain is logged, never sent.
//! `anyhow` stays outside the request path (start-up, tooling).

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// What was wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        message: String,
        details: Vec<FieldProblem>,
    },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many requests, try again in {} s", .retry_after.as_secs().max(1))]
    TooManyRequests { retry_after: Duration },
    #[error("Request body is larger than 64 KiB")]
    PayloadTooLarge,
    #[error("{0}")]
    Unavailable(String),
}

/// Database trouble on the request path: a connection that could not be had is a 503; any
/// other database error is logged with its cause and reported as 503 too, never as a 500.
impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        log::error!("database error on the request path: {error}");
        ApiError::Unavailable("The database is temporarily unavailable".into())
    }
}

impl From<present_finder_schema::PoolError> for ApiError {
    fn from(error: present_finder_schema::PoolError) -> Self {
        log::error!("no database connection on the request path: {error}");
        ApiError::Unavailable("The database is temporarily unavailable".into())
    }
}

impl ApiError {
    pub fn field(field: impl Into<String>, problem: impl Into<String>) -> Self {
        let detail = FieldProblem {
            field: field.into(),
            problem: problem.into(),
        };
        ApiError::BadRequest {
            message: format!("{}: {}", detail.field, detail.problem),
            details: vec![detail],
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    status_code: u16,
    message: String,
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a [FieldProblem]>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let details = match self {
            ApiError::BadRequest { details, .. } if !details.is_empty() => Some(details.as_slice()),
            _ => None,
        };
        let body = ErrorBody {
            status_code: status.as_u16(),
            message: self.to_string(),
            error: status.canonical_reason().unwrap_or("Error"),
            details,
        };
        let mut response = HttpResponse::build(status);
        if let ApiError::TooManyRequests { retry_after } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after.as_secs().max(1).to_string())
        {
            response.insert_header((header::RETRY_AFTER, value));
        }
        response.json(body)
    }
}
