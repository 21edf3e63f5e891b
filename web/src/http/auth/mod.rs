//! Accounts and tokens: who is calling, and the `/auth` routes.
//!
//! * [`tokens`]: access tokens, HS256 JWTs of 15 minutes (`sub`, `role`, `guest`).
//! * `refresh`: refresh tokens, 256 random bits stored as SHA-256 hashes, rotated on every
//!   use; reuse of a rotated token revokes its family.
//! * `cookies`: `access_token` / `refresh_token` (httpOnly, SameSite=Lax, Path=/, Secure on
//!   https).
//! * `google`: sign-in with Google (authorization code + `state` + PKCE, ID token verified
//!   against Google's cached keys).
//! * `users`: the accounts (guests, Google upsert and guest upgrade, `ADMIN_EMAIL`, deletion
//!   and the expiry of unused guests).
//! * `export`: everything stored about an account.

mod accounts;
mod cookies;
mod export;
mod extractor;
mod google;
mod refresh;
mod routes;
pub mod tokens;
mod users;

pub use accounts::AccountCache;
pub use extractor::AuthUser;
pub use routes::UserInfo;
pub use tokens::Role;
pub use users::{ensure_admin, expire_guests};

/// Registers the `/auth` routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::configure(cfg);
}
