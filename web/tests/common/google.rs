//! A local stand-in for Google's token and JWKS endpoints, with RSA keys generated here:
//! the web crate's Google sign-in tests and the binary's log scan sign in through it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Utc;
use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockGuard, MockServer, Request, ResponseTemplate};

pub const CLIENT_ID: &str = "1234567890-abc123def456.apps.googleusercontent.com";
pub const CLIENT_SECRET: &str = "GOCSPX-not-a-real-secret";
pub const REDIRECT_URL: &str = "http://localhost:5173/auth/google/callback";
pub const AUTH_URL: &str = "https://accounts.google.com/o/oauth2/v2/auth";

/// An RSA key pair made for the test, and its public JWK.
pub struct SigningKey {
    pub kid: String,
    pub key: EncodingKey,
    pub jwk: Value,
}

impl SigningKey {
    pub fn generate(kid: &str) -> Self {
        use aws_lc_rs::encoding::AsDer;
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let pkcs8 = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&pair).unwrap();
        let body = STANDARD.encode(pkcs8.as_ref());
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|line| std::str::from_utf8(line).unwrap())
            .collect();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            lines.join("\n")
        );
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Self {
            kid: kid.to_owned(),
            key,
            jwk: serde_json::to_value(jwk).unwrap(),
        }
    }

    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.kid, claims)
    }

    /// Signed with this key, but naming `kid`.
    pub fn sign_as(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.key).unwrap()
    }
}

/// The claims of a Google ID token for this client.
pub fn claims(sub: &str, email: &str) -> Value {
    let now = Utc::now().timestamp();
    json!({
        "iss": "https://accounts.google.com",
        "azp": CLIENT_ID,
        "aud": CLIENT_ID,
        "sub": sub,
        "email": email,
        "email_verified": true,
        "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
        "name": "Jan Kowalski",
        "picture": "https://lh3.googleusercontent.com/a/ACg8ocK-example=s96-c",
        "given_name": "Jan",
        "family_name": "Kowalski",
        "locale": "pl",
        "iat": now,
        "exp": now + 3600,
    })
}

/// Accepts only the token request Google expects: exactly these form fields, and a
/// `code_verifier` whose S256 challenge was in the consent URL.
pub struct TokenRequest {
    pub code: String,
    pub challenge: String,
}

impl Match for TokenRequest {
    fn matches(&self, request: &Request) -> bool {
        let form: BTreeMap<String, String> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let Some(verifier) = form.get("code_verifier") else {
            return false;
        };
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let expected: BTreeMap<String, String> = [
            ("grant_type", "authorization_code"),
            ("code", self.code.as_str()),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("redirect_uri", REDIRECT_URL),
            ("code_verifier", verifier.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        form == expected && challenge == self.challenge && verifier.len() >= 43
    }
}

/// Google's token and JWKS endpoints.
pub struct Google {
    pub server: MockServer,
    pub key: SigningKey,
    jwks: Option<MockGuard>,
}

impl Google {
    pub async fn start() -> Self {
        let mut google = Self {
            server: MockServer::start().await,
            // Unique per test: the server caches keys by JWKS URL, and mock servers are reused.
            key: SigningKey::generate(&Uuid::new_v4().simple().to_string()),
            jwks: None,
        };
        let jwk = google.key.jwk.clone();
        google.serve_keys(vec![jwk]).await;
        google
    }

    pub async fn serve_keys(&mut self, keys: Vec<Value>) {
        self.jwks = None;
        let guard = Mock::given(method("GET"))
            .and(path("/oauth2/v3/certs"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("cache-control", "public, max-age=20000, must-revalidate")
                    .set_body_json(json!({ "keys": keys })),
            )
            .mount_as_scoped(&self.server)
            .await;
        self.jwks = Some(guard);
    }

    /// Google's answer to `code` (from the sign-in with `challenge`): `id_token`.
    pub async fn issue(&self, code: &str, challenge: &str, id_token: &str) {
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(TokenRequest {
                code: code.into(),
                challenge: challenge.into(),
            })
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "ya29.a0AfB_byC-not-used",
                "expires_in": 3599,
                "scope": "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
                "token_type": "Bearer",
                "id_token": id_token,
            })))
            .expect(1)
            .mount(&self.server)
            .await;
    }

    pub async fn jwks_fetches(&self) -> usize {
        self.server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == "/oauth2/v3/certs")
            .count()
    }
}
