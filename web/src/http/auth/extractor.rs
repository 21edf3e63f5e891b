use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use super::tokens::{self, Role};
use crate::http::{ApiError, AppState};

/// The caller, from `Authorization: Bearer <token>` or the `access_token` cookie. Rejects
/// with 401 when neither carries a valid, unexpired access token, when its account no longer
/// exists, or when its sessions were ended since it was issued. The role is the account's
/// (a demoted admin is no longer one), not the token's.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
    pub is_guest: bool,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The access token of a request, if it carries one.
pub fn access_token(req: &HttpRequest) -> Option<String> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    bearer.or_else(|| req.cookie("access_token").map(|c| c.value().to_owned()))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

async fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Err(ApiError::Unavailable(
            "the application is not configured".into(),
        ));
    };
    let token =
        access_token(req).ok_or_else(|| ApiError::Unauthorized("Not authenticated".into()))?;
    let claims = tokens::verify_access(&state.config, &token)
        .map_err(|_| ApiError::Unauthorized("Invalid or expired token".into()))?;
    let account = state
        .accounts
        .get(state, claims.sub)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("The account no longer exists".into()))?;
    if account.session_generation != claims.generation {
        return Err(ApiError::Unauthorized(
            "The session has ended; sign in again".into(),
        ));
    }
    Ok(AuthUser {
        id: claims.sub,
        role: account.role,
        is_guest: account.is_guest,
    })
}
