//! The session cookies: `access_token` and `refresh_token` (httpOnly, SameSite=Lax, Path=/,
//! Secure when the app is served over https, Max-Age matching the token), and the short-lived
//! `oauth_state` cookie that binds a Google sign-in to the browser that started it.

use std::time::Duration;

use actix_web::HttpResponseBuilder;
use actix_web::cookie::{Cookie, SameSite, time};

use crate::http::WebConfig;

pub const ACCESS: &str = "access_token";
pub const REFRESH: &str = "refresh_token";
pub const OAUTH_STATE: &str = "oauth_state";

/// Only the sign-in routes need the OAuth state cookie.
const OAUTH_STATE_PATH: &str = "/auth/google";

fn build(
    config: &WebConfig,
    name: &'static str,
    value: String,
    path: &'static str,
    max_age: Duration,
) -> Cookie<'static> {
    let seconds = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    Cookie::build(name, value)
        .http_only(true)
        .same_site(SameSite::Lax)
        .path(path)
        .secure(config.secure_cookies())
        .max_age(time::Duration::seconds(seconds))
        .finish()
}

/// The same cookie, emptied and expired, so the browser drops it.
fn removal(config: &WebConfig, name: &'static str, path: &'static str) -> Cookie<'static> {
    let mut cookie = build(config, name, String::new(), path, Duration::ZERO);
    cookie.make_removal();
    cookie
}

/// Sets both session cookies.
pub fn set_session(
    response: &mut HttpResponseBuilder,
    config: &WebConfig,
    access_token: String,
    refresh_token: String,
) {
    response
        .cookie(build(
            config,
            ACCESS,
            access_token,
            "/",
            config.access_token_ttl,
        ))
        .cookie(build(
            config,
            REFRESH,
            refresh_token,
            "/",
            config.refresh_token_ttl,
        ));
}

/// The removals of both session cookies.
pub fn session_removals(config: &WebConfig) -> [Cookie<'static>; 2] {
    [removal(config, ACCESS, "/"), removal(config, REFRESH, "/")]
}

/// Clears both session cookies.
pub fn clear_session(response: &mut HttpResponseBuilder, config: &WebConfig) {
    for cookie in session_removals(config) {
        response.cookie(cookie);
    }
}

pub fn set_oauth_state(
    response: &mut HttpResponseBuilder,
    config: &WebConfig,
    state: String,
    ttl: Duration,
) {
    response.cookie(build(config, OAUTH_STATE, state, OAUTH_STATE_PATH, ttl));
}

pub fn clear_oauth_state(response: &mut HttpResponseBuilder, config: &WebConfig) {
    response.cookie(removal(config, OAUTH_STATE, OAUTH_STATE_PATH));
}
