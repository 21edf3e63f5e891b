//! Accounts and tokens: who is calling, and the `/auth` routes.

mod extractor;
pub mod tokens;

pub use extractor::AuthUser;
pub use tokens::Role;

/// Registers the `/auth` routes.
pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
