//! The save-profile sub-dialog that follows the interview. The Polish strings are the
//! predecessor's: its web client sends the `answerFullSentence` of the chosen option.

use crate::knowledge::text;
use crate::vocabulary::{Locale, PotentialAnswers, SuggestedAnswer};

pub const YES_PL: &str = "Tak, chcę zapisać profil";
pub const NO_PL: &str = "Nie, nie chcę zapisywać profilu";
const YES_EN: &str = "Yes, save the profile";
const NO_EN: &str = "No, don't save it";

/// Longest accepted profile name.
pub const MAX_PROFILE_NAME: usize = 100;

pub fn save_profile_question(locale: Locale) -> (String, PotentialAnswers) {
    let (question, yes, yes_short, no, no_short) = match locale {
        Locale::Pl => (
            "Czy chcesz zapisać profil tej osoby, aby w przyszłości szybciej znaleźć prezent?",
            YES_PL,
            "Tak",
            NO_PL,
            "Nie",
        ),
        Locale::En => (
            "Would you like to save this person's profile to find a gift faster next time?",
            YES_EN,
            "Yes",
            NO_EN,
            "No",
        ),
    };
    let answers = vec![
        SuggestedAnswer::new(yes, yes_short),
        SuggestedAnswer::new(no, no_short),
    ];
    (question.to_owned(), PotentialAnswers::Select { answers })
}

pub fn profile_name_question(locale: Locale) -> String {
    match locale {
        Locale::Pl => {
            "Jak chcesz nazwać ten profil? (np. 'Mama', 'Partner', 'Najlepsza przyjaciółka')"
        }
        Locale::En => "What should this profile be called? (e.g. 'Mum', 'Partner', 'Best friend')",
    }
    .to_owned()
}

pub fn profile_name_invalid(locale: Locale) -> String {
    match locale {
        Locale::Pl => "Podaj nazwę profilu (od 1 do 100 znaków), np. 'Mama'.",
        Locale::En => "Please give the profile a name (1 to 100 characters), e.g. 'Mum'.",
    }
    .to_owned()
}

/// Whether the giver agreed to save the profile ("Tak", "tak, zapisz", "yes please"…).
pub fn is_yes(answer: &str) -> bool {
    let folded = text::fold(answer);
    let mut words = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let agrees = matches!(
        words.next(),
        Some("tak" | "yes" | "jasne" | "pewnie" | "sure" | "ok" | "okay" | "zapisz" | "save")
    );
    agrees && !words.any(|w| matches!(w, "nie" | "no" | "not" | "don"))
}

/// A usable profile name, trimmed.
pub fn profile_name(answer: &str) -> Option<String> {
    let name = answer.trim();
    (!name.is_empty() && name.chars().count() <= MAX_PROFILE_NAME).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn understands_the_predecessors_answers_and_free_text() {
        assert!(is_yes(YES_PL));
        assert!(is_yes("Tak"));
        assert!(is_yes("yes please"));
        assert!(is_yes(YES_EN));
        assert!(!is_yes(NO_PL));
        assert!(!is_yes("Nie"));
        assert!(!is_yes(NO_EN));
        assert!(!is_yes("nie wiem"));
    }

    #[test]
    fn profile_names_are_trimmed_and_bounded() {
        assert_eq!(profile_name("  Mama "), Some("Mama".to_owned()));
        assert_eq!(profile_name("   "), None);
        assert_eq!(profile_name(&"x".repeat(101)), None);
    }
}
