use std::time::Duration;

use base64::Engine;

/// Configuration of the web layer (see the README's configuration table).
#[derive(Clone)]
pub struct WebConfig {
    /// Where browsers reach the app; `https` makes cookies `Secure`.
    pub public_url: Option<url::Url>,
    /// HMAC key of the access tokens.
    pub jwt_secret: Vec<u8>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// `POST /auth/guest` is available.
    pub guest_login: bool,
    /// This account is an admin.
    pub admin_email: Option<String>,
    pub google: Option<GoogleConfig>,
    /// Origins allowed by CORS and for state-changing requests (besides `public_url`).
    pub cors_origins: Vec<String>,
    /// Proxies (addresses or networks) whose `X-Forwarded-For` is believed: the client
    /// address of a request they forward is the nearest untrusted address in it.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub rate_limits: RateLimits,
    /// `: keep-alive` comment interval on SSE streams.
    pub sse_keep_alive: Duration,
    /// Events buffered per SSE client; a client that falls further behind is dropped.
    pub sse_client_buffer: usize,
    /// Event streams one user may hold open on one instance.
    pub sse_max_per_user: usize,
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("public_url", &self.public_url)
            .field("jwt_secret", &"<secret>")
            .field("guest_login", &self.guest_login)
            .field("admin_email", &self.admin_email)
            .field("google", &self.google.as_ref().map(|g| &g.client_id))
            .field("cors_origins", &self.cors_origins)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limits", &self.rate_limits)
            .finish_non_exhaustive()
    }
}

/// Google sign-in (authorization code flow with `state` and PKCE).
#[derive(Clone)]
pub struct GoogleConfig {
    pub client_id: String,
    pub client_secret: String,
    /// The web client's page Google redirects back to (it posts the code to the API).
    pub redirect_url: String,
    pub auth_url: String,
    pub token_url: String,
    pub jwks_url: String,
}

/// The client secret stays out of logs.
impl std::fmt::Debug for GoogleConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoogleConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<secret>")
            .field("redirect_url", &self.redirect_url)
            .field("auth_url", &self.auth_url)
            .field("token_url", &self.token_url)
            .field("jwks_url", &self.jwks_url)
            .finish()
    }
}

/// Request limits: per user on the endpoints that cost LLM calls, per client address on the
/// ones anyone can call.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub searches_per_hour: u32,
    pub answers_per_minute: u32,
    /// Guest accounts created per hour from one address.
    pub guests_per_hour: u32,
    /// Google sign-ins started per hour from one address.
    pub sign_ins_per_hour: u32,
}

type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

impl WebConfig {
    /// Reads the web variables through `lookup`; an error names the variable.
    pub fn from_lookup(
        lookup: Lookup<'_>,
        production: bool,
    ) -> Result<Self, (&'static str, String)> {
        let public_url = match lookup("PUBLIC_URL") {
            None => None,
            Some(url) => Some(
                url::Url::parse(&url)
                    .map_err(|e| ("PUBLIC_URL", format!("{url:?} is not a URL: {e}")))?,
            ),
        };
        let jwt_secret = match lookup("JWT_SECRET") {
            Some(secret) if secret.len() >= 32 => secret.into_bytes(),
            Some(_) => return Err(("JWT_SECRET", "must be at least 32 characters".into())),
            None if production => {
                return Err(("JWT_SECRET", "required when APP_ENV=production".into()));
            }
            None => {
                // Development only: a fresh random key per start (sessions end on restart).
                log::warn!(
                    "JWT_SECRET is not set: using a random key, logins will not survive a restart"
                );
                rand::random::<[u8; 32]>().to_vec()
            }
        };
        let cors_origins = cors_origins(lookup, production, public_url.as_ref())?;
        Ok(Self {
            public_url,
            jwt_secret,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(7 * 24 * 3600),
            guest_login: flag(lookup, "GUEST_LOGIN", true)?,
            admin_email: lookup("ADMIN_EMAIL").map(|e| e.trim().to_lowercase()),
            google: google(lookup)?,
            cors_origins,
            trusted_proxies: trusted_proxies(lookup)?,
            rate_limits: RateLimits {
                searches_per_hour: number(lookup, "RATE_LIMIT_SEARCHES_PER_HOUR", 20)?,
                answers_per_minute: number(lookup, "RATE_LIMIT_ANSWERS_PER_MINUTE", 30)?,
                guests_per_hour: number(lookup, "RATE_LIMIT_GUESTS_PER_HOUR", 30)?,
                sign_ins_per_hour: number(lookup, "RATE_LIMIT_SIGN_INS_PER_HOUR", 60)?,
            },
            sse_keep_alive: Duration::from_secs(number(lookup, "SSE_KEEP_ALIVE_S", 15)?.into()),
            sse_client_buffer: number(lookup, "SSE_CLIENT_BUFFER", 64)? as usize,
            sse_max_per_user: number(lookup, "SSE_MAX_PER_USER", 10)? as usize,
        })
    }

    /// A configuration for tests and benchmarks: fixed secret, guest login on.
    pub fn for_tests() -> Self {
        Self {
            public_url: None,
            jwt_secret: b"test-secret-test-secret-test-secret!".to_vec(),
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(7 * 24 * 3600),
            guest_login: true,
            admin_email: None,
            google: None,
            cors_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            rate_limits: RateLimits {
                searches_per_hour: 1000,
                answers_per_minute: 1000,
                guests_per_hour: 100_000,
                sign_ins_per_hour: 100_000,
            },
            sse_keep_alive: Duration::from_secs(15),
            sse_client_buffer: 64,
            sse_max_per_user: 1000,
        }
    }

    /// Cookies are `Secure` when the app is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|u| u.scheme() == "https")
    }
}

/// Origins of the development web clients, allowed when `CORS_ORIGINS` is not set outside
/// production.
const DEVELOPMENT_ORIGINS: [&str; 2] = ["http://localhost:5173", "http://localhost:5713"];

/// `CORS_ORIGINS`, or the development clients' origins when it is unset. Production allows
/// only what it is told: `CORS_ORIGINS` or the origin of `PUBLIC_URL`, at least one of them.
fn cors_origins(
    lookup: Lookup<'_>,
    production: bool,
    public_url: Option<&url::Url>,
) -> Result<Vec<String>, (&'static str, String)> {
    match lookup("CORS_ORIGINS") {
        Some(origins) => Ok(origins
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect()),
        None if production && public_url.is_none() => Err((
            "PUBLIC_URL",
            "required when APP_ENV=production, unless CORS_ORIGINS lists the web app's origins"
                .into(),
        )),
        None if production => Ok(Vec::new()),
        None => Ok(DEVELOPMENT_ORIGINS.map(str::to_owned).to_vec()),
    }
}

fn flag(
    lookup: Lookup<'_>,
    name: &'static str,
    default: bool,
) -> Result<bool, (&'static str, String)> {
    match lookup(name).map(|v| v.to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
        Some(v) => Err((name, format!("{v:?} is not a boolean (use true or false)"))),
    }
}

/// `TRUSTED_PROXIES`: addresses and networks (`10.0.0.5`, `172.16.0.0/12`), comma-separated.
fn trusted_proxies(lookup: Lookup<'_>) -> Result<Vec<ipnet::IpNet>, (&'static str, String)> {
    let Some(list) = lookup("TRUSTED_PROXIES") else {
        return Ok(Vec::new());
    };
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    (
                        "TRUSTED_PROXIES",
                        format!("{entry:?} is not an address or a network (10.0.0.0/8)"),
                    )
                })
        })
        .collect()
}

fn number(
    lookup: Lookup<'_>,
    name: &'static str,
    default: u32,
) -> Result<u32, (&'static str, String)> {
    match lookup(name) {
        None => Ok(default),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err((name, format!("{v:?} is not a positive whole number"))),
        },
    }
}

/// `GOOGLE_CLIENT_ID` + `GOOGLE_CLIENT_SECRET` + `GOOGLE_REDIRECT_URL`, or the predecessor's
/// `GOOGLE_CREDENTIALS_BASE64` (base64 of Google's `{"web": {...}}` client JSON).
fn google(lookup: Lookup<'_>) -> Result<Option<GoogleConfig>, (&'static str, String)> {
    let endpoint = |name: &str, default: &str| lookup(name).unwrap_or_else(|| default.to_owned());
    let (client_id, client_secret, redirect_url) = match (
        lookup("GOOGLE_CLIENT_ID"),
        lookup("GOOGLE_CLIENT_SECRET"),
        lookup("GOOGLE_CREDENTIALS_BASE64"),
    ) {
        (Some(id), Some(secret), _) => {
            let redirect = lookup("GOOGLE_REDIRECT_URL").ok_or((
                "GOOGLE_REDIRECT_URL",
                "required with GOOGLE_CLIENT_ID".to_owned(),
            ))?;
            (id, secret, redirect)
        }
        (Some(_), None, _) => {
            return Err((
                "GOOGLE_CLIENT_SECRET",
                "required with GOOGLE_CLIENT_ID".into(),
            ));
        }
        (None, _, Some(encoded)) => credentials(&encoded)?,
        (None, _, None) => return Ok(None),
    };
    Ok(Some(GoogleConfig {
        client_id,
        client_secret,
        redirect_url,
        auth_url: endpoint(
            "GOOGLE_AUTH_URL",
            "https://accounts.google.com/o/oauth2/v2/auth",
        ),
        token_url: endpoint("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"),
        jwks_url: endpoint(
            "GOOGLE_JWKS_URL",
            "https://www.googleapis.com/oauth2/v3/certs",
        ),
    }))
}

fn credentials(encoded: &str) -> Result<(String, String, String), (&'static str, String)> {
    const NAME: &str = "GOOGLE_CREDENTIALS_BASE64";
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|e| (NAME, format!("not base64: {e}")))?;
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| (NAME, format!("not JSON: {e}")))?;
    let web = &json["web"];
    let field = |key: &str| {
        web[key]
            .as_str()
            .map(str::to_owned)
            .ok_or((NAME, format!("web.{key} is missing")))
    };
    let redirect = web["redirect_uris"][0]
        .as_str()
        .map(str::to_owned)
        .ok_or((NAME, "web.redirect_uris[0] is missing".to_owned()))?;
    Ok((field("client_id")?, field("client_secret")?, redirect))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    const SECRET: &str = "a-production-secret-of-32-characters-or-more";

    fn read(vars: &[(&str, &str)], production: bool) -> Result<WebConfig, (&'static str, String)> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        };
        WebConfig::from_lookup(&lookup, production)
    }

    #[test]
    fn production_needs_the_public_url_or_explicit_origins() {
        let error = read(&[("JWT_SECRET", SECRET)], true).err().unwrap();
        assert_eq!(error.0, "PUBLIC_URL");
        let error = read(&[("PUBLIC_URL", "https://gifts.example.com")], true)
            .err()
            .unwrap();
        assert_eq!(error.0, "JWT_SECRET");
        let explicit = read(
            &[
                ("JWT_SECRET", SECRET),
                ("CORS_ORIGINS", "https://gifts.example.com/"),
            ],
            true,
        )
        .unwrap();
        assert_eq!(explicit.cors_origins, ["https://gifts.example.com"]);
    }

    #[test]
    fn production_never_allows_the_development_origins_implicitly() {
        let config = read(
            &[
                ("JWT_SECRET", SECRET),
                ("PUBLIC_URL", "https://gifts.example.com"),
            ],
            true,
        )
        .unwrap();
        assert!(config.cors_origins.is_empty(), "{:?}", config.cors_origins);
        let development = read(&[], false).unwrap();
        assert_eq!(development.cors_origins, DEVELOPMENT_ORIGINS);
    }
}
