//! Access tokens: short-lived HS256 JWTs carrying the user id and role.

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
    pub iat: i64,
    pub exp: i64,
}

/// Signs an access token for `user_id`, valid for the configured lifetime.
pub fn issue_access(
    config: &WebConfig,
    user_id: Uuid,
    role: Role,
    guest: bool,
) -> Result<String, jsonwebtoken::errors::Error> {
    let now = Utc::now().timestamp();
    let ttl = i64::try_from(config.access_token_ttl.as_secs()).unwrap_or(i64::MAX);
    let claims = AccessClaims {
        sub: user_id,
        role,
        guest,
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
