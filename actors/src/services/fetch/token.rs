//! OAuth2 client-credentials tokens (Allegro, eBay): fetched once, reused until a minute
//! before they expire, and fetched again when the API refuses one (401) before that.

use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::services::http::{Answer, Secret};
use crate::services::provider::ProviderError;

/// Renew this long before the announced expiry, so a token never expires in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// The client credentials of one marketplace and its current token.
pub struct ClientCredentials {
    provider: &'static str,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
    /// Held while a token is fetched, so concurrent searches wait for one fetch instead of
    /// each fetching its own.
    current: tokio::sync::Mutex<Option<Token>>,
}

struct Token {
    value: String,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<u64>,
}

impl ClientCredentials {
    pub fn new(
        provider: &'static str,
        token_url: String,
        client_id: String,
        client_secret: Secret,
        scope: Option<String>,
    ) -> Self {
        Self {
            provider,
            token_url,
            client_id,
            client_secret,
            scope,
            current: tokio::sync::Mutex::new(None),
        }
    }

    /// Sends the request `build` makes with a bearer token. A 401 (a token expired early or
    /// revoked) drops that token and repeats the request once with a new one; any other
    /// answer is returned as it is.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<Answer, ProviderError> {
        let token = self.token(client).await?;
        let answer = Answer::send(self.provider, build(&token)).await?;
        if answer.status != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(answer);
        }
        log::info!(
            "{}: the access token was refused; fetching a new one",
            self.provider
        );
        self.forget(&token).await;
        let token = self.token(client).await?;
        Answer::send(self.provider, build(&token)).await
    }

    async fn token(&self, client: &reqwest::Client) -> Result<String, ProviderError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(token.value.clone());
        }
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        let request = client
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        let answer: TokenAnswer = Answer::send(self.provider, request)
            .await?
            .json()
            .map_err(|error| in_token_request(self.provider, error))?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(300));
        let token = Token {
            value: answer.access_token,
            renew_at: Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN),
        };
        let value = token.value.clone();
        *current = Some(token);
        Ok(value)
    }

    /// Drops `refused` unless another search has already replaced it.
    async fn forget(&self, refused: &str) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| t.value == refused) {
            *current = None;
        }
    }
}

/// Says that the error happened while getting a token (bad credentials read very
/// differently from a bad search).
fn in_token_request(provider: &'static str, error: ProviderError) -> ProviderError {
    let step = |reason: String| format!("token request: {reason}");
    match error {
        ProviderError::Unavailable { reason, .. } => ProviderError::Unavailable {
            provider,
            reason: step(reason),
        },
        ProviderError::RateLimited {
            reason,
            retry_after,
            ..
        } => ProviderError::RateLimited {
            provider,
            reason: step(reason),
            retry_after,
        },
        ProviderError::Invalid { reason, .. } => ProviderError::Invalid {
            provider,
            reason: step(reason),
        },
        other => other,
    }
}
