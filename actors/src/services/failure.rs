//! The failure of a search whose stored state cannot be read back, the same whichever
//! service finds it: the user gets a session error to retry from, never a silent restart.

use crate::events::GiftSessionFailedEvent;
use crate::vocabulary::{Locale, Stage};

/// The search stopped at `stage` because stored state could not be read (a bug on our
/// side, not the user's doing: they may retry).
pub fn unreadable_state(stage: Stage, locale: Locale) -> GiftSessionFailedEvent {
    let reason = match locale {
        Locale::Pl => {
            "Coś poszło nie tak po naszej stronie i wyszukiwanie zostało przerwane. Spróbuj ponownie."
        }
        Locale::En => {
            "Something went wrong on our side and the search was stopped. Please try again."
        }
    };
    GiftSessionFailedEvent {
        stage,
        reason: reason.to_owned(),
        retryable: true,
    }
}
