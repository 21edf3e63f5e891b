//! The gift-search API: searches, chats, messages, listings, favourites, saved profiles,
//! feedback (being written).

pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
