//! Progress reports of a gift search, in the session's language.

use crate::events::GiftSessionProgressEvent;
use crate::vocabulary::{Locale, Stage};

/// A progress event for `stage` with `done` of `total` steps.
pub fn progress(stage: Stage, done: u32, total: u32, locale: Locale) -> GiftSessionProgressEvent {
    GiftSessionProgressEvent {
        stage,
        done,
        total,
        message: message(stage, locale).to_owned(),
    }
}

fn message(stage: Stage, locale: Locale) -> &'static str {
    match (stage, locale) {
        (Stage::Profiling, Locale::Pl) => "Analizuję profile osoby…",
        (Stage::Profiling, Locale::En) => "Reading the person's profiles…",
        (Stage::Interview, Locale::Pl) => "Rozmawiamy o osobie…",
        (Stage::Interview, Locale::En) => "Getting to know the person…",
        (Stage::Ideas, Locale::Pl) => "Szukam pomysłów na prezent…",
        (Stage::Ideas, Locale::En) => "Coming up with gift ideas…",
        (Stage::Searching, Locale::Pl) => "Przeszukuję sklepy…",
        (Stage::Searching, Locale::En) => "Searching the shops…",
        (Stage::Scoring, Locale::Pl) => "Oceniam znalezione produkty…",
        (Stage::Scoring, Locale::En) => "Scoring the products found…",
        (Stage::Done, Locale::Pl) => "Gotowe!",
        (Stage::Done, Locale::En) => "Done!",
    }
}
