//! Access tokens: short-lived HS256 JWTs carrying the user id, role and the generation of
//! the account's sessions they were issued in (checked against the account on each request).

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::http::WebConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Self {
        if value == "admin" {
            Role::Admin
        } else {
            Role::User
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub role: Role,
    pub guest: bool,
    /// Tokens from before generations existed carry none: the first generation, 0.
    #[serde(default, rename = "gen")]
    pub generation: i32,
    pub iat: i64,
    pub exp: i64,
}

/// Whom an access token is for.
#[derive(Debug, Clone, Copy)]
pub struct Bearer {
    pub user_id: Uuid,
    pub role: Role,
    pub guest: bool,
    pub generation: i32,
}

/// Signs an access token for `bearer`, valid for the configured lifetime.
pub fn issue_access(
    config: &WebConfig,
    bearer: Bearer,
) -> Result<String, jsonwebtoken::errors::Error> {
    let now = Utc::now().timestamp();
    let ttl = i64::try_from(config.access_token_ttl.as_secs()).unwrap_or(i64::MAX);
    let claims = AccessClaims {
        sub: bearer.user_id,
        role: bearer.role,
        guest: bearer.guest,
        generation: bearer.generation,
        iat: now,
        exp: now.saturating_add(ttl),
    };
    let key = EncodingKey::from_secret(&config.jwt_secret)?;
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key)
}

/// Verifies signature and expiry (no leeway).
pub fn verify_access(
    config: &WebConfig,
    token: &str,
) -> Result<AccessClaims, jsonwebtoken::errors::Error> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let key = DecodingKey::from_secret(&config.jwt_secret)?;
    jsonwebtoken::decode::<AccessClaims>(token, &key, &validation).map(|data| data.claims)
}
