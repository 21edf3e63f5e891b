//! The gift-search API: searches, chats, messages, listings, favourites, saved profiles,
//! feedback. Every route needs a logged-in user and only ever touches that user's data:
//! whatever is not theirs answers 404 exactly like what does not exist.

mod chats;
mod favorites;
mod feedback;
mod messages;
mod profiles;
mod refinements;
mod schema;
mod search;

use crate::http::ApiError;
use crate::http::validation::Problems;

/// Registers every route of the gift-search API.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    search::configure(cfg);
    chats::configure(cfg);
    refinements::configure(cfg);
    messages::configure(cfg);
    favorites::configure(cfg);
    profiles::configure(cfg);
    feedback::configure(cfg);
}

/// Longest free text (an answer, a comment).
const MAX_TEXT: usize = 2000;
/// Longest name (of a chat, of a saved profile).
const MAX_NAME: usize = 100;

/// A required body field that was absent or null.
fn required<T>(value: Option<T>, field: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::field(field, "is required"))
}

/// Checks a required field's presence.
fn check_present<T>(problems: &mut Problems, value: Option<&T>, field: &str) {
    problems.check(value.is_some(), field, "is required");
}

/// Checks a text of `min..=max` characters after trimming that PostgreSQL can store (no NUL).
fn check_text(problems: &mut Problems, field: &str, value: &str, min: usize, max: usize) {
    if value.contains('\0') {
        problems.add(field, "must not contain NUL characters");
    } else {
        problems.text(field, value, min, max);
    }
}
