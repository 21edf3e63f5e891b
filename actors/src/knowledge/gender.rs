//! Gifts made for one gender: a handbag for a teenage brother, beard oil for a grandmother,
//! are wrong whatever the interests say.

use super::text;

/// Stems (folded) that mark a product or idea as meant for women, or for men.
const FOR_WOMEN: &[&str] = &[
    "damsk",
    "dla kobiet",
    "dla niej",
    "torebk",
    "apaszk",
    "kolczyk",
    "sukienk",
    "spodnic",
    "szmink",
    "pomadk",
    "biustonosz",
    "rajstop",
    "lakier do paznokci",
    "women",
    "woman",
    "ladies",
    "handbag",
    "earring",
    "lipstick",
    "dress",
];
const FOR_MEN: &[&str] = &[
    "mesk",
    "dla mezczyzn",
    "dla niego",
    "krawat",
    "spinki do mankietow",
    "do brody",
    "brody",
    "zarostu",
    "men's",
    "for men",
    "cufflink",
    "beard",
];

/// Whether `text` suits a recipient of `gender` as the profile writes it ("kobieta",
/// "mężczyzna", "female", "male"); always true when the gender is unknown or other.
pub fn suits(gender: Option<&str>, description: &str) -> bool {
    let opposite = match gender.map(text::fold).as_deref() {
        Some("kobieta" | "female") => FOR_MEN,
        Some("mezczyzna" | "male") => FOR_WOMEN,
        _ => return true,
    };
    let folded = text::fold(description);
    !opposite
        .iter()
        .any(|marker| text::contains_word_start(&folded, marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gendered_gifts_go_only_to_their_recipients() {
        assert!(!suits(
            Some("mężczyzna"),
            "Torebka skórzana damska na ramię"
        ));
        assert!(!suits(Some("male"), "Jedwabna apaszka"));
        assert!(!suits(Some("kobieta"), "Olejek do brody z cedrem"));
        assert!(suits(Some("kobieta"), "Torebka skórzana damska"));
        assert!(suits(Some("mężczyzna"), "Pasek skórzany męski"));
        assert!(suits(None, "Torebka skórzana damska"));
        assert!(suits(Some("mężczyzna"), "Pad bezprzewodowy do konsoli"));
    }

    #[test]
    fn markers_match_word_starts_only() {
        // "address" contains "dress" but is not a dress.
        assert!(suits(Some("male"), "Address book"));
    }
}
