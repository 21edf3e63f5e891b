//! Errors of the request path.
//!
//! Handlers return [`ApiError`], a typed error mapped to one status code and to the API's
//! error body `{statusCode, code, message, error, details?, errorId?}` ([`ErrorBody`]). `code`
//! is one of [`ErrorCode`]: stable, for programs; `message` is for people. Causes are logged,
//! never sent. `anyhow` stays outside the request path (start-up, tooling).
//!
//! 503 means the service is really unavailable for a while (no database connection, the
//! database going away or asking for a retry); everything else that goes wrong on our side is
//! a bug: 500, with an error id that is also in the log next to the cause.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use uuid::Uuid;

use crate::restapi::commands::CommandError;

/// What was wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
    /// A bug: the cause was logged with `error_id`.
    #[error("Something went wrong on our side; it was logged as error {error_id}")]
    Internal { error_id: Uuid },
}

/// The stable machine code of an error body, one per kind of error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request is malformed or a field is invalid (`details` names the fields).
    InvalidInput,
    /// 401: not signed in, or the session ended.
    Unauthenticated,
    /// 403: signed in without the right to this.
    Forbidden,
    /// 404: no such thing for this user (what is someone else's is not found either).
    NotFound,
    /// 409: the request conflicts with the current state.
    Conflict,
    /// 413: the body is too large.
    PayloadTooLarge,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 500: a bug on our side; `errorId` identifies it in the server's log.
    Internal,
    /// 503: temporarily unavailable; try again later.
    Unavailable,
}

/// Database errors on the request path: unavailability is a 503, anything else a bug (500).
impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        if database_unavailable(&error) {
            log::error!("database unavailable on the request path: {error}");
            ApiError::Unavailable("The database is temporarily unavailable".into())
        } else {
            ApiError::internal(&error)
        }
    }
}

/// Whether a database error means "try again later" rather than a bug. `Unknown` covers the
/// SQL states diesel does not name, among them the transient ones (deadlock detected, lock or
/// statement timeout, the server shutting down or refusing connections); a query the server
/// rejects as malformed is one too, but such a query fails every test that runs it.
fn database_unavailable(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection
                | DatabaseErrorKind::UnableToSendCommand
                | DatabaseErrorKind::SerializationFailure
                | DatabaseErrorKind::ReadOnlyTransaction
                | DatabaseErrorKind::Unknown,
            _,
        ) | DieselError::BrokenTransactionManager
    )
}

impl From<present_finder_schema::PoolError> for ApiError {
    fn from(error: present_finder_schema::PoolError) -> Self {
        log::error!("no database connection on the request path: {error}");
        ApiError::Unavailable("The database is temporarily unavailable".into())
    }
}

/// The HTTP answer to a failed restapi command.
impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::DuplicateChat(_) => {
                ApiError::Conflict("A chat with this chatId already exists".into())
            }
            CommandError::ChatNotFound(_) => ApiError::chat_not_found(),
            CommandError::ProfileNotFound(_) => ApiError::NotFound("Profile not found".into()),
            CommandError::NoPendingQuestion(_) => {
                ApiError::Conflict("No question is waiting for an answer in this chat".into())
            }
            CommandError::ListingNotFound(id) => {
                ApiError::NotFound(format!("Listing {id} is not one of this chat's results"))
            }
            CommandError::NotRefinable { status, .. } => {
                ApiError::Conflict(match status.as_str() {
                    "searching" => {
                        "The search is still running; refine once its results are in".into()
                    }
                    _ => "This chat has no results to refine".into(),
                })
            }
            error @ CommandError::UnreadableProfile { .. } => ApiError::internal(&error),
            // The account was deleted while its access token is still valid.
            CommandError::Database(DieselError::DatabaseError(
                DatabaseErrorKind::ForeignKeyViolation,
                _,
            )) => ApiError::Unauthorized("The account no longer exists".into()),
            CommandError::Database(error) => error.into(),
            CommandError::Pool(error) => error.into(),
        }
    }
}

impl ApiError {
    /// A bug on the request path: logs `cause` (with its chain) under a new error id.
    pub fn internal(cause: &dyn std::error::Error) -> Self {
        let error_id = Uuid::new_v4();
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(next) = source {
            chain.push_str(": ");
            chain.push_str(&next.to_string());
            source = next.source();
        }
        log::error!("error {error_id} on the request path: {chain}");
        ApiError::Internal { error_id }
    }

    pub fn chat_not_found() -> Self {
        ApiError::NotFound("Chat not found".into())
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest { .. } => ErrorCode::InvalidInput,
            ApiError::Unauthorized(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::TooManyRequests { .. } => ErrorCode::RateLimited,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal { .. } => ErrorCode::Internal,
        }
    }

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

/// The body of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody<'a> {
    /// The HTTP status, repeated.
    #[schema(example = 404)]
    pub status_code: u16,
    pub code: ErrorCode,
    /// For people, in English.
    #[schema(example = "Chat not found")]
    pub message: String,
    /// The status's reason phrase.
    #[schema(example = "Not Found")]
    pub error: &'a str,
    /// The invalid fields (`invalid_input` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<&'a [FieldProblem]>,
    /// The id under which a bug was logged (`internal` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<Uuid>,
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
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let details = match self {
            ApiError::BadRequest { details, .. } if !details.is_empty() => Some(details.as_slice()),
            _ => None,
        };
        let error_id = match self {
            ApiError::Internal { error_id } => Some(*error_id),
            _ => None,
        };
        let body = ErrorBody {
            status_code: status.as_u16(),
            code: self.code(),
            message: self.to_string(),
            error: status.canonical_reason().unwrap_or("Error"),
            details,
            error_id,
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

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;
    use serde_json::Value;

    use super::*;

    fn body(error: &ApiError) -> (u16, Value) {
        let response = error.error_response();
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .try_into_bytes()
            .unwrap_or_else(|_| panic!("a buffered body"));
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn database(kind: DatabaseErrorKind) -> DieselError {
        DieselError::DatabaseError(kind, Box::new("detail".to_owned()))
    }

    #[test]
    fn every_error_body_has_its_status_and_stable_code() {
        let cases = [
            (ApiError::field("name", "is required"), 400, "invalid_input"),
            (ApiError::Unauthorized("no".into()), 401, "unauthenticated"),
            (ApiError::Forbidden("no".into()), 403, "forbidden"),
            (ApiError::chat_not_found(), 404, "not_found"),
            (ApiError::Conflict("no".into()), 409, "conflict"),
            (ApiError::PayloadTooLarge, 413, "payload_too_large"),
            (
                ApiError::TooManyRequests {
                    retry_after: Duration::from_secs(3),
                },
                429,
                "rate_limited",
            ),
            (ApiError::Unavailable("down".into()), 503, "unavailable"),
        ];
        for (error, status, code) in cases {
            let (answered, body) = body(&error);
            assert_eq!(answered, status, "{error}");
            assert_eq!(body["statusCode"], status, "{body}");
            assert_eq!(body["code"], code, "{body}");
            assert!(body.get("errorId").is_none(), "{body}");
        }
    }

    #[test]
    fn a_database_error_that_is_a_bug_is_a_500_with_a_logged_error_id() {
        for kind in [
            DatabaseErrorKind::UniqueViolation,
            DatabaseErrorKind::CheckViolation,
            DatabaseErrorKind::NotNullViolation,
        ] {
            let (status, body) = body(&ApiError::from(database(kind)));
            assert_eq!(status, 500);
            assert_eq!(body["code"], "internal");
            let id = body["errorId"].as_str().unwrap_or_default();
            assert!(Uuid::parse_str(id).is_ok(), "{body}");
            assert!(body["message"].as_str().unwrap_or_default().contains(id));
            assert!(
                !body.to_string().contains("detail"),
                "the cause stays in the log"
            );
        }
        let (status, _) = body(&ApiError::from(DieselError::NotFound));
        assert_eq!(status, 500, "a row the code assumed to exist");
    }

    #[test]
    fn only_real_unavailability_is_a_503() {
        for kind in [
            DatabaseErrorKind::ClosedConnection,
            DatabaseErrorKind::UnableToSendCommand,
            DatabaseErrorKind::SerializationFailure,
            DatabaseErrorKind::Unknown,
        ] {
            let (status, body) = body(&ApiError::from(database(kind)));
            assert_eq!(status, 503, "{body}");
            assert_eq!(body["code"], "unavailable");
        }
    }

    #[test]
    fn a_saved_profile_that_does_not_read_back_is_a_bug_with_an_error_id() {
        let error = CommandError::UnreadableProfile {
            profile_id: Uuid::now_v7(),
            problem: "profile: missing field".into(),
        };
        let (status, body) = body(&ApiError::from(error));
        assert_eq!((status, &body["code"]), (500, &Value::from("internal")));
        assert!(body["errorId"].is_string(), "{body}");
    }

    #[test]
    fn a_command_on_a_deleted_account_is_unauthenticated() {
        let error = CommandError::Database(database(DatabaseErrorKind::ForeignKeyViolation));
        let (status, body) = body(&ApiError::from(error));
        assert_eq!(
            (status, &body["code"]),
            (401, &Value::from("unauthenticated"))
        );
    }
}
