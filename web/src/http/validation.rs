//! Reading request input strictly: JSON bodies whose errors name the offending field, uuid
//! path parameters, and semantic checks collected per field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::error::{ApiError, FieldProblem};

/// Largest accepted request body.
pub const MAX_BODY: usize = 64 * 1024;

/// Semantic checks of a deserialized body (lengths, ranges, URL hosts, …).
pub trait Validate {
    fn validate(&self) -> Result<(), ApiError> {
        Ok(())
    }
}

/// A JSON body, deserialized with the path of any offending field, then validated.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(ApiError::field(
                    "body",
                    "must be JSON (Content-Type: application/json)",
                ));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::field("body", "could not be read"))?;
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(ApiError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            let value = parse::<T>(&body)?;
            value.validate()?;
            Ok(ValidJson(value))
        })
    }
}

/// Deserializes `body`, naming the field at fault.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => {
            return Err(ApiError::field(
                "body",
                "is empty; a JSON object is expected",
            ));
        }
        Some(b'{') => {}
        Some(_) => return Err(ApiError::field("body", "must be a JSON object")),
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        let problem = error.inner().to_string();
        // serde_json appends " at line L column C", which says nothing to an API client.
        let problem = match problem.rfind(" at line ") {
            Some(at) => problem[..at].to_owned(),
            None => problem,
        };
        ApiError::field(field, problem)
    })
}

/// A uuid path parameter (or query value) named `field`.
pub fn uuid_param(field: &str, value: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value).map_err(|_| ApiError::field(field, "must be a UUID"))
}

/// Collects field problems; `finish` turns them into one 400 naming them all.
#[derive(Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push(FieldProblem {
            field: field.into(),
            problem: problem.into(),
        });
    }

    /// Adds a problem when `ok` is false.
    pub fn check(&mut self, ok: bool, field: &str, problem: &str) {
        if !ok {
            self.add(field, problem);
        }
    }

    /// A text of `min..=max` characters (after trimming).
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let length = value.trim().chars().count();
        if length < min || length > max {
            self.add(field, format!("must be {min} to {max} characters long"));
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let message = self
            .0
            .iter()
            .map(|p| format!("{}: {}", p.field, p.problem))
            .collect::<Vec<_>>()
            .join("; ");
        Err(ApiError::BadRequest {
            message,
            details: self.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        chat_id: Uuid,
        rating: u8,
    }

    fn field_of(error: ApiError) -> String {
        match error {
            ApiError::BadRequest { details, .. } => details[0].field.clone(),
            other => panic!("not a 400: {other}"),
        }
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            field_of(parse::<Body>(br#"{"chatId": "x", "rating": 1}"#).unwrap_err()),
            "chatId"
        );
        assert_eq!(
            field_of(
                parse::<Body>(
                    br#"{"chatId": "4a1c0e7c-4f7a-4c4c-9a0e-3d7b1d2b2f11", "rating": 2.5}"#
                )
                .unwrap_err()
            ),
            "rating"
        );
        assert_eq!(field_of(parse::<Body>(b"").unwrap_err()), "body");
        assert_eq!(field_of(parse::<Body>(b"[1]").unwrap_err()), "body");
    }
}
