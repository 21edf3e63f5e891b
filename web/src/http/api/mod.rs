//! The gift-search API: searches, chats, messages, listings, favourites, saved profiles,
//! feedback. Every route needs a logged-in user and only ever touches that user's data:
//! whatever is not theirs answers 404 exactly like what does not exist.

mod chats;
mod favorites;
mod feedback;
mod messages;
mod profiles;
mod schema;
mod search;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::http::ApiError;
use crate::http::validation::Problems;
use crate::restapi::commands::CommandError;

/// Registers every route of the gift-search API.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    search::configure(cfg);
    chats::configure(cfg);
    messages::configure(cfg);
    favorites::configure(cfg);
    profiles::configure(cfg);
    feedback::configure(cfg);
}

/// Longest free text (an answer, a comment).
const MAX_TEXT: usize = 2000;
/// Longest name (of a chat, of a saved profile).
const MAX_NAME: usize = 100;

fn chat_not_found() -> ApiError {
    ApiError::NotFound("Chat not found".into())
}

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

/// The HTTP answer to a failed restapi command.
pub(crate) fn command_error(error: CommandError) -> ApiError {
    match error {
        CommandError::DuplicateChat(_) => {
            ApiError::Conflict("A chat with this chatId already exists".into())
        }
        CommandError::ChatNotFound(_) => chat_not_found(),
        CommandError::ProfileNotFound(_) => ApiError::NotFound("Profile not found".into()),
        CommandError::NoPendingQuestion(_) => {
            ApiError::Conflict("No question is waiting for an answer in this chat".into())
        }
        // The account was deleted while its access token is still valid.
        CommandError::Database(DieselError::DatabaseError(
            DatabaseErrorKind::ForeignKeyViolation,
            _,
        )) => ApiError::Unauthorized("The account no longer exists".into()),
        CommandError::Database(error) => error.into(),
        CommandError::Pool(error) => error.into(),
    }
}
