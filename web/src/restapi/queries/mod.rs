//! What the API reads and edits directly: chats, their messages and listings, favourites,
//! saved recipient profiles and feedback. Every function takes the caller's id and only ever
//! sees that user's rows, so "not found" and "not yours" are the same answer (`None`/`false`).
//! Each view type is the JSON the API returns, mapped from its row in one place.

pub mod chats;
pub mod favorites;
pub mod feedback;
pub mod listings;
pub mod messages;
pub mod profiles;

use diesel::result::{DatabaseErrorKind, Error};

/// Whether `error` is a violation of a unique constraint.
fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Whether `error` is a violation of a foreign key (the referenced row went away meanwhile).
fn is_foreign_key_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
    )
}
