//! What the HTTP provider clients (the marketplaces, BrightData) share: credentials kept out
//! of logs, one way to build a client, and one way to read an answer, so that an anti-bot
//! page, an empty body or a changed JSON shape is an error of that request and never a
//! crash or a silent empty success.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use super::provider::ProviderError;

/// A credential (client secret, API key). Its `Debug` shows `***`, so configuration dumps and
/// logs never carry it; [`Secret::expose`] is called only where a request is built.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The HTTP client of one provider. Redirects are not followed: a provider that redirects an
/// API call sends us to a login or consent page, which is an error, not an answer.
pub fn client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// One HTTP answer of `provider`, read completely.
#[derive(Debug)]
pub struct Answer {
    pub provider: &'static str,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// Sends `request`; only a network failure (refused, reset, timed out) is an error here,
    /// and one worth another attempt.
    pub async fn send(
        provider: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Self, ProviderError> {
        let unavailable = |error: reqwest::Error| ProviderError::Unavailable {
            provider,
            reason: network_failure(&error),
        };
        let response = request.send().await.map_err(unavailable)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.map_err(unavailable)?;
        Ok(Self {
            provider,
            status,
            headers,
            body,
        })
    }

    /// The error of a non-success status ([`ProviderError::from_status`]).
    pub fn error(&self) -> ProviderError {
        ProviderError::from_status(self.provider, self.status, &self.headers, &self.body)
    }

    /// The JSON body of a successful answer as `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ProviderError> {
        if !self.status.is_success() {
            return Err(self.error());
        }
        parse_json(self.provider, &self.headers, &self.body)
    }
}

/// Reads a JSON body as `T`: an empty body, an HTML page (what an anti-bot check or a
/// maintenance page answers, often with status 200) or JSON of another shape is
/// [`ProviderError::Invalid`], naming what was wrong.
pub fn parse_json<T: DeserializeOwned>(
    provider: &'static str,
    headers: &HeaderMap,
    body: &str,
) -> Result<T, ProviderError> {
    let invalid = |reason: String| ProviderError::Invalid { provider, reason };
    let start = body.trim_start();
    if start.is_empty() {
        return Err(invalid("an empty body instead of JSON".into()));
    }
    let html_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("html"));
    if html_type || start.starts_with('<') {
        return Err(invalid(
            "an HTML page instead of JSON (an anti-bot check or an error page)".into(),
        ));
    }
    serde_json::from_str(body).map_err(|error| invalid(format!("unexpected JSON: {error}")))
}

/// A network failure in words, without the URL (which may carry query parameters).
fn network_failure(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    };
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    format!("{kind}: {cause}")
}

#[cfg(test)]
mod tests {
    use reqwest::header::{CONTENT_TYPE, HeaderMap};

    use super::{Secret, parse_json};
    use crate::services::provider::ProviderError;

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let secret = Secret::new("s3cr3t");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(secret.expose(), "s3cr3t");
    }

    #[test]
    fn html_empty_and_misshapen_bodies_are_invalid() {
        let none = HeaderMap::new();
        let mut html = HeaderMap::new();
        html.insert(CONTENT_TYPE, "text/html; charset=utf-8".parse().unwrap());
        for (headers, body, expected) in [
            (&none, "", "empty"),
            (&none, "  \n", "empty"),
            (&html, "{\"a\":1}", "HTML"),
            (&none, "<!DOCTYPE html><title>Captcha</title>", "HTML"),
            (&none, "{\"a\":", "unexpected JSON"),
            (&none, "[1,2]", "unexpected JSON"),
        ] {
            let error = parse_json::<std::collections::HashMap<String, u32>>("shop", headers, body)
                .unwrap_err();
            assert!(matches!(error, ProviderError::Invalid { .. }), "{error}");
            assert!(error.to_string().contains(expected), "{error}");
        }
        let ok: std::collections::HashMap<String, u32> =
            parse_json("shop", &none, "{\"a\":1}").unwrap();
        assert_eq!(ok["a"], 1);
    }
}
