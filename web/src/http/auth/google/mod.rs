//! Google sign-in, authorization-code flow: the consent URL (with `state` and PKCE S256), the
//! code exchange at Google's token endpoint, and verification of the returned ID token
//! against Google's keys (RS256; issuer, audience, expiry).

pub mod jwks;
pub mod state;

use jsonwebtoken::{Algorithm, Validation};
use reqwest::header::ACCEPT;
use serde::{Deserialize, Deserializer};

use super::users::{GoogleProfile, normalize_email};
use crate::http::{ApiError, GoogleConfig};

/// `openid` makes the token endpoint return an ID token; `email` and `profile` fill it.
pub const SCOPE: &str = "openid email profile";
pub const ISSUERS: [&str; 2] = ["https://accounts.google.com", "accounts.google.com"];
/// Clock skew tolerated on `exp` and `iat`.
const LEEWAY_S: u64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum GoogleError {
    /// The authorization code was refused.
    #[error("{0}")]
    BadCode(String),
    /// The ID token is not one of ours, forged, or expired.
    #[error("{0}")]
    BadToken(String),
    /// Google cannot be reached, or this server's Google configuration is wrong.
    #[error("{0}")]
    Unavailable(String),
}

impl From<GoogleError> for ApiError {
    fn from(error: GoogleError) -> Self {
        match error {
            GoogleError::BadCode(problem) => ApiError::field("code", problem),
            GoogleError::BadToken(problem) => ApiError::BadRequest {
                message: format!("Google sign-in failed: {problem}"),
                details: Vec::new(),
            },
            GoogleError::Unavailable(problem) => {
                log::error!("Google sign-in unavailable: {problem}");
                ApiError::Unavailable("Google sign-in is temporarily unavailable".into())
            }
        }
    }
}

/// The consent URL of a new sign-in.
pub fn authorization_url(
    config: &GoogleConfig,
    state: &str,
    challenge: &str,
) -> Result<String, GoogleError> {
    let mut url = url::Url::parse(&config.auth_url)
        .map_err(|e| GoogleError::Unavailable(format!("the Google consent URL is invalid: {e}")))?;
    url.query_pairs_mut()
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", &config.redirect_url)
        .append_pair("response_type", "code")
        .append_pair("scope", SCOPE)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("include_granted_scopes", "true")
        .append_pair("prompt", "select_account");
    Ok(url.into())
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Deserialize, Default)]
struct TokenError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

/// Exchanges the authorization code (with its PKCE verifier) for Google's ID token.
pub async fn exchange(
    http: &reqwest::Client,
    config: &GoogleConfig,
    code: &str,
    verifier: &str,
) -> Result<String, GoogleError> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", &config.client_id),
        ("client_secret", &config.client_secret),
        ("redirect_uri", &config.redirect_url),
        ("code_verifier", verifier),
    ];
    let response = http
        .post(&config.token_url)
        .header(ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| GoogleError::Unavailable(format!("Google's token endpoint: {e}")))?;
    let status = response.status();
    if !status.is_success() {
        let body: TokenError = response.json().await.unwrap_or_default();
        let reason = format!("{status} {} {}", body.error, body.error_description);
        // A misconfigured client is this server's problem, not the caller's.
        if status.is_server_error()
            || matches!(
                body.error.as_str(),
                "invalid_client" | "unauthorized_client" | "redirect_uri_mismatch"
            )
        {
            return Err(GoogleError::Unavailable(format!(
                "Google's token endpoint answered {}",
                reason.trim()
            )));
        }
        log::info!("Google refused an authorization code: {}", reason.trim());
        return Err(GoogleError::BadCode(
            "was refused by Google (invalid, expired or already used)".into(),
        ));
    }
    let tokens: TokenResponse = response.json().await.map_err(|e| {
        GoogleError::Unavailable(format!("Google's token endpoint answered unreadably: {e}"))
    })?;
    tokens.id_token.ok_or_else(|| {
        GoogleError::Unavailable("Google's token endpoint returned no ID token".into())
    })
}

#[derive(Deserialize)]
struct IdClaims {
    sub: String,
    azp: Option<String>,
    iat: Option<i64>,
    email: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    email_verified: bool,
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    picture: Option<String>,
}

/// `email_verified` is a boolean, but has been seen as the string `"true"`.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(deserializer)? {
        Some(Flag::Bool(value)) => value,
        Some(Flag::Text(value)) => value.eq_ignore_ascii_case("true"),
        None => false,
    })
}

/// Verifies Google's ID token: RS256 with one of Google's current keys, issued by Google,
/// for this client, not expired, not issued in the future.
pub async fn verify(
    http: &reqwest::Client,
    config: &GoogleConfig,
    id_token: &str,
) -> Result<GoogleProfile, GoogleError> {
    let header = jsonwebtoken::decode_header(id_token)
        .map_err(|_| GoogleError::BadToken("the ID token is not a JWT".into()))?;
    if header.alg != Algorithm::RS256 {
        return Err(GoogleError::BadToken(format!(
            "the ID token is signed with {:?}, not RS256",
            header.alg
        )));
    }
    let kid = header
        .kid
        .ok_or_else(|| GoogleError::BadToken("the ID token names no key".into()))?;
    let key = jwks::key(http, &config.jwks_url, &kid).await?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&ISSUERS);
    validation.set_audience(&[config.client_id.as_str()]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = LEEWAY_S;
    let claims = jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation)
        .map_err(|e| GoogleError::BadToken(format!("the ID token is not valid ({e})")))?
        .claims;
    if claims
        .azp
        .as_deref()
        .is_some_and(|azp| azp != config.client_id)
    {
        return Err(GoogleError::BadToken(
            "the ID token was issued to another client".into(),
        ));
    }
    let now = chrono::Utc::now().timestamp();
    if claims
        .iat
        .is_some_and(|iat| iat > now.saturating_add(LEEWAY_S as i64))
    {
        return Err(GoogleError::BadToken(
            "the ID token is issued in the future".into(),
        ));
    }
    if claims.sub.trim().is_empty() {
        return Err(GoogleError::BadToken("the ID token has no subject".into()));
    }
    let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    Ok(GoogleProfile {
        sub: claims.sub,
        // An unverified address proves nothing: it is neither stored nor used to link.
        email: claims
            .email
            .filter(|_| claims.email_verified)
            .and_then(|e| normalize_email(&e)),
        name: text(claims.name),
        given_name: text(claims.given_name),
        family_name: text(claims.family_name),
        picture: text(claims.picture),
    })
}
