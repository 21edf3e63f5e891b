//! What the saga tells the user, in the session's language.

use crate::vocabulary::Locale;

pub fn ideas_failed(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => "Nie udało się przygotować pomysłów na prezent. Spróbuj ponownie za chwilę.",
        Locale::En => {
            "We could not come up with gift ideas this time. Please try again in a moment."
        }
    }
}

pub fn took_too_long(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => "Wyszukiwanie trwało zbyt długo i zostało przerwane. Spróbuj ponownie.",
        Locale::En => "The search took too long and was stopped. Please try again.",
    }
}

pub fn finalize_reason(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Część sklepów nie odpowiedziała na czas — pokazuję to, co udało się znaleźć."
        }
        Locale::En => "Some shops did not answer in time — showing what was found.",
    }
}
