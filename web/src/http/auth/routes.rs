//! The `/auth` routes.

use actix_web::http::header::{self, CacheControl, CacheDirective, HeaderValue};
use actix_web::{
    HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError, delete, get, post, web,
};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::google::{self, state::Pending};
use super::refresh::{self, Rotation};
use super::tokens::{self, Role};
use super::users::{self, SignInError, UserRow};
use super::{AuthUser, cookies, export};
use crate::http::client_address::client_address;
use crate::http::rate_limit::LimitedPerAddress;
use crate::http::validation::{Problems, ValidJson, Validate};
use crate::http::{ApiError, AppState, WebConfig};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(google_url)
        .service(google_callback)
        .service(guest_login)
        .service(me)
        .service(refresh_session)
        .service(logout)
        .service(delete_me)
        .service(export_me);
}

/// The signed-in account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub id: Uuid,
    /// Null when unknown (a guest).
    pub email: Option<String>,
    /// Null when unknown (a guest).
    pub name: Option<String>,
    /// Null when unknown.
    pub given_name: Option<String>,
    /// Null when unknown.
    pub family_name: Option<String>,
    /// URL of the picture, null when unknown.
    pub picture: Option<String>,
    pub role: Role,
    pub is_guest: bool,
}

impl From<&UserRow> for UserInfo {
    fn from(user: &UserRow) -> Self {
        Self {
            id: user.id,
            email: known(user.email.as_deref()),
            name: known(user.name.as_deref()),
            given_name: known(user.given_name.as_deref()),
            family_name: known(user.family_name.as_deref()),
            picture: known(user.picture.as_deref()),
            role: user.role(),
            is_guest: user.is_guest,
        }
    }
}

/// A stored text, or `None` when it is missing or blank (clients fall back only on null).
fn known(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    pub user: UserInfo,
}

/// A new guest session. The tokens are in the cookies; `accessToken` repeats the access token
/// for API clients that send `Authorization: Bearer`.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GuestResponse {
    pub user: UserInfo,
    pub access_token: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: u64,
}

/// A rotated session. `accessToken` repeats the new access token of the cookie.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResponse {
    pub message: String,
    pub access_token: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MessageResponse {
    pub message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GoogleUrl {
    /// Google's consent page, with `state` and a PKCE S256 `code_challenge`.
    pub url: String,
}

/// What the web client received on its Google redirect page.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GoogleCallback {
    /// The `code` query parameter of the redirect.
    #[serde(default)]
    #[schema(value_type = String, required = true)]
    pub code: Option<String>,
    /// The `state` query parameter of the redirect. May be left out by a browser that
    /// fetched the consent URL itself: the `oauth_state` cookie then supplies it.
    #[serde(default)]
    pub state: Option<String>,
}

impl Validate for GoogleCallback {
    fn validate(&self) -> Result<(), ApiError> {
        let mut problems = Problems::default();
        match &self.code {
            Some(code) => problems.text("code", code, 1, 2048),
            None => problems.add("code", "is required"),
        }
        if let Some(state) = &self.state {
            problems.text("state", state, 1, 512);
        }
        problems.finish()
    }
}

fn no_store(response: &mut HttpResponseBuilder) {
    response.insert_header(CacheControl(vec![CacheDirective::NoStore]));
}

fn signing_failed(error: jsonwebtoken::errors::Error) -> ApiError {
    log::error!("cannot sign an access token: {error}");
    ApiError::Unavailable("Sign-in is temporarily unavailable".into())
}

fn expires_in(config: &WebConfig) -> u64 {
    config.access_token_ttl.as_secs()
}

/// Opens a session for `user`: a new refresh-token family and an access token.
async fn open_session(
    config: &WebConfig,
    conn: &mut AsyncPgConnection,
    user: &UserRow,
) -> Result<(String, String), ApiError> {
    let refresh = refresh::issue(conn, user.id, config.refresh_token_ttl).await?;
    let access = tokens::issue_access(config, user.bearer()).map_err(signing_failed)?;
    Ok((access, refresh))
}

/// A 401 that also clears the session cookies (the session is over).
fn session_ended(config: &WebConfig, message: &str) -> HttpResponse {
    let mut response = ApiError::Unauthorized(message.to_owned()).error_response();
    for cookie in cookies::session_removals(config) {
        if let Err(error) = response.add_cookie(&cookie) {
            log::warn!("cannot clear a session cookie: {error}");
        }
    }
    response
}

fn google_off() -> ApiError {
    ApiError::NotFound("Google sign-in is not configured".into())
}

/// The consent URL of a Google sign-in.
///
/// The `state` and the PKCE verifier are kept server-side for 10 minutes; `state` is also
/// set as the httpOnly `oauth_state` cookie, binding the sign-in to this browser. Called
/// with a guest session, the guest account becomes the Google account on callback.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The consent URL", body = GoogleUrl),
        (status = 404, description = "Google sign-in is not configured"),
        (status = 429, description = "Too many sign-ins started from this address (`Retry-After`)"),
    )
)]
#[get("/auth/google/url")]
async fn google_url(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: Option<AuthUser>,
) -> Result<HttpResponse, ApiError> {
    let config = state.config.google.as_ref().ok_or_else(google_off)?;
    // Each start stores a pending sign-in: bounded per client address.
    limit_address(&request, &state, LimitedPerAddress::SignInStart)?;
    let pending = Pending::generate();
    let url = google::authorization_url(config, &pending.state, &pending.challenge)?;
    let mut conn = state.db().await?;
    let guest = match caller {
        Some(caller) if caller.is_guest => users::find(&mut conn, caller.id)
            .await?
            .filter(|user| user.is_guest)
            .map(|user| user.id),
        _ => None,
    };
    google::state::store(&mut conn, &pending, guest).await?;
    let mut response = HttpResponse::Ok();
    no_store(&mut response);
    cookies::set_oauth_state(
        &mut response,
        &state.config,
        pending.state,
        google::state::TTL,
    );
    Ok(response.json(GoogleUrl { url }))
}

/// Completes a Google sign-in.
///
/// Exchanges `code` with the PKCE verifier of `state` (single use, 10 minutes), verifies
/// Google's ID token (RS256 against Google's keys, issuer, audience, expiry), then signs in
/// the account of that Google identity, creating it if needed. A caller with a guest session
/// (or who fetched the consent URL with one) keeps everything: the guest account becomes the
/// Google account, or its data moves into the existing Google account. Sets the
/// `access_token` and `refresh_token` cookies; the tokens are not in the body.
#[utoipa::path(
    tag = "auth",
    request_body = GoogleCallback,
    responses(
        (status = 201, description = "Signed in; session cookies set", body = LoginResponse),
        (status = 400, description = "Bad body, unknown/expired/used state, refused code or invalid ID token"),
        (status = 404, description = "Google sign-in is not configured"),
        (status = 409, description = "The e-mail address belongs to another Google account"),
    )
)]
#[post("/auth/google/callback")]
async fn google_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Option<AuthUser>,
    body: ValidJson<GoogleCallback>,
) -> Result<HttpResponse, ApiError> {
    let config = state.config.google.as_ref().ok_or_else(google_off)?;
    let ValidJson(body) = body;
    let browser_state = req
        .cookie(cookies::OAUTH_STATE)
        .map(|c| c.value().to_owned())
        .filter(|s| !s.is_empty());
    // The state is bound to the browser that started the sign-in by its cookie: a state
    // alone (from a link, or copied from another browser) signs nobody in.
    let oauth_state = match (body.state, browser_state) {
        (None, None) => return Err(ApiError::field("state", "is required")),
        (Some(_), None) => {
            return Err(ApiError::field(
                "state",
                "belongs to no sign-in started in this browser (its cookie is missing)",
            ));
        }
        (Some(sent), Some(kept)) if sent != kept => {
            return Err(ApiError::field(
                "state",
                "does not belong to the sign-in started in this browser",
            ));
        }
        (_, Some(kept)) => kept,
    };
    let taken = {
        let mut conn = state.db().await?;
        google::state::take(&mut conn, &oauth_state).await?
    }
    .ok_or_else(|| ApiError::field("state", "is unknown, expired or already used"))?;
    // No database connection is held while Google answers.
    let code = body.code.unwrap_or_default();
    let id_token = google::exchange(&state.http, config, &code, &taken.verifier).await?;
    let profile = google::verify(&state.http, config, &id_token).await?;
    let guest = caller
        .filter(|caller| caller.is_guest)
        .map(|caller| caller.id)
        .or(taken.guest);
    let mut conn = state.db().await?;
    let user = users::sign_in_with_google(
        &mut conn,
        &profile,
        guest,
        state.config.admin_email.as_deref(),
    )
    .await
    .map_err(|error| match error {
        SignInError::EmailTaken(_) => ApiError::Conflict(
            "This e-mail address already belongs to another Google account".into(),
        ),
        SignInError::Database(error) => error.into(),
    })?;
    let (access, refresh) = open_session(&state.config, &mut conn, &user).await?;
    log::info!("user {} signed in with Google", user.id);
    let mut response = HttpResponse::Created();
    no_store(&mut response);
    cookies::set_session(&mut response, &state.config, access, refresh);
    cookies::clear_oauth_state(&mut response, &state.config);
    Ok(response.json(LoginResponse {
        user: UserInfo::from(&user),
    }))
}

/// Creates a guest account and signs it in.
///
/// Sets the `access_token` and `refresh_token` cookies. For API clients the body repeats
/// the access token (`accessToken`, with `expiresIn` seconds) for `Authorization: Bearer`;
/// the refresh token is only ever sent as a cookie. 404 when `GUEST_LOGIN` is off.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 201, description = "A new guest account; session cookies set", body = GuestResponse),
        (status = 404, description = "Guest login is disabled"),
        (status = 429, description = "Too many guest accounts from this address (`Retry-After`)"),
    )
)]
#[post("/auth/guest")]
async fn guest_login(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if !state.config.guest_login {
        return Err(ApiError::NotFound("Guest login is disabled".into()));
    }
    // A new guest is a new user with fresh per-user limits: bounded per client address.
    limit_address(&request, &state, LimitedPerAddress::GuestAccount)?;
    let config = state.config.clone();
    let mut conn = state.db().await?;
    let (user, access, refresh) = conn
        .transaction(async |conn| {
            let user = users::create_guest(conn).await?;
            let (access, refresh) = open_session(&config, conn, &user).await?;
            Ok::<_, ApiError>((user, access, refresh))
        })
        .await?;
    let mut response = HttpResponse::Created();
    no_store(&mut response);
    cookies::set_session(&mut response, &config, access.clone(), refresh);
    Ok(response.json(GuestResponse {
        user: UserInfo::from(&user),
        access_token: access,
        expires_in: expires_in(&config),
    }))
}

/// The signed-in account, as stored now. 401 when the account no longer exists.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The account", body = UserInfo),
        (status = 401, description = "Not signed in, or the account is gone"),
    )
)]
#[get("/auth/me")]
async fn me(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    let mut conn = state.db().await?;
    let user = users::find(&mut conn, caller.id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Invalid token".into()))?;
    let mut response = HttpResponse::Ok();
    no_store(&mut response);
    Ok(response.json(UserInfo::from(&user)))
}

/// Rotates the session: the `refresh_token` cookie is exchanged for a new one (each refresh
/// token works once) and a new access token.
///
/// Presenting a refresh token that was already used revokes every token of its login
/// (someone else may hold a copy) and answers 401. Every 401 also clears the cookies. The
/// body repeats the new access token (`accessToken`) for API clients.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 201, description = "New session cookies set", body = RefreshResponse),
        (status = 401, description = "No, unknown, expired, revoked or reused refresh token"),
    )
)]
#[post("/auth/refresh")]
async fn refresh_session(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let config = &state.config;
    let Some(presented) = req
        .cookie(cookies::REFRESH)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty())
    else {
        return Ok(session_ended(config, "No refresh token provided"));
    };
    let mut conn = state.db().await?;
    let rotated = match refresh::rotate(&mut conn, &presented, config.refresh_token_ttl).await? {
        Rotation::Rotated(rotated) => rotated,
        Rotation::Invalid => return Ok(session_ended(config, "Invalid refresh token")),
        Rotation::Reused => {
            return Ok(session_ended(
                config,
                "Refresh token already used; the session was revoked, please sign in again",
            ));
        }
    };
    let access = tokens::issue_access(config, rotated.bearer).map_err(signing_failed)?;
    let mut response = HttpResponse::Created();
    no_store(&mut response);
    cookies::set_session(&mut response, config, access.clone(), rotated.token);
    Ok(response.json(RefreshResponse {
        message: "Token refreshed successfully".into(),
        access_token: access,
        expires_in: expires_in(config),
    }))
}

/// Signs out: revokes the session of the `refresh_token` cookie, ends every access token of
/// its account issued so far (other devices refresh theirs), and clears both cookies.
/// Succeeds without a session too.
#[utoipa::path(
    tag = "auth",
    responses((status = 201, description = "Signed out; cookies cleared", body = MessageResponse))
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Option<AuthUser>,
) -> Result<HttpResponse, ApiError> {
    let presented = req
        .cookie(cookies::REFRESH)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty());
    if presented.is_some() || caller.is_some() {
        let mut conn = state.db().await?;
        let mut account = caller.map(|caller| caller.id);
        if let Some(presented) = presented {
            account = refresh::revoke(&mut conn, &presented).await?.or(account);
        }
        if let Some(account) = account {
            users::end_sessions(&mut conn, account).await?;
            state.accounts.forget(account);
        }
    }
    let mut response = HttpResponse::Created();
    cookies::clear_session(&mut response, &state.config);
    Ok(response.json(MessageResponse {
        message: "Successfully logged out".into(),
    }))
}

/// Deletes the account and everything stored about it: chats with their messages, listings
/// and events, saved profiles, favourites, feedback and sessions; every other service erases
/// what it keeps of the account's chats. Clears the cookies.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in, or the account is gone"),
    )
)]
#[delete("/auth/me")]
async fn delete_me(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    let deleted = users::delete(state.restapi()?, caller.id)
        .await
        .map_err(ApiError::from)?;
    state.accounts.forget(caller.id);
    if !deleted {
        return Err(ApiError::Unauthorized("Invalid token".into()));
    }
    log::info!("account {} deleted at its owner's request", caller.id);
    let mut response = HttpResponse::NoContent();
    cookies::clear_session(&mut response, &state.config);
    Ok(response.finish())
}

/// Everything stored about the signed-in account: the account, every chat with its messages
/// and listings, saved recipient profiles, favourites and feedback.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The export", body = export::AccountExport),
        (status = 401, description = "Not signed in, or the account is gone"),
    )
)]
#[get("/auth/me/export")]
async fn export_me(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    let mut conn = state.db().await?;
    let data = export::load(&mut conn, caller.id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Invalid token".into()))?;
    let mut response = HttpResponse::Ok();
    no_store(&mut response);
    response.insert_header((
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"present-finder-export.json\""),
    ));
    Ok(response.json(data))
}

/// Takes one of the client address's `kind` allowance, or answers 429.
fn limit_address(
    request: &HttpRequest,
    state: &AppState,
    kind: LimitedPerAddress,
) -> Result<(), ApiError> {
    let address = client_address(request, &state.config.trusted_proxies);
    state.limiter.check_address(address, kind)
}
