//! Prompt pieces more than one task uses.

use crate::vocabulary::{PriceRange, RecipientProfile};

/// The recipient in a few compact lines: only what is known, no JSON punctuation to pay for.
pub fn describe_recipient(
    profile: &RecipientProfile,
    key_themes: &[String],
    facts: &[String],
) -> String {
    let info = &profile.personal_info_description;
    let mut lines = Vec::new();
    let mut line = |label: &str, value: String| {
        if !value.trim().is_empty() {
            lines.push(format!("{label}: {value}"));
        }
    };
    let known = |values: [&Option<String>; 4]| {
        values
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    line(
        "who",
        known([
            &info.relationship,
            &info.age_range,
            &info.gender,
            &info.occasion,
        ]),
    );
    line(
        "about",
        known([
            &profile.lifestyle_description,
            &profile.preferences_description,
            &profile.recent_life_description,
            &None,
        ]),
    );
    line("themes", key_themes.join(", "));
    line("has", profile.possessions.what_already_has.join(", "));
    line("lacks", profile.possessions.what_is_missing.join(", "));
    line("dislikes", profile.dislikes.join(", "));
    line(
        "facts",
        facts
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("; "),
    );
    lines.join("\n")
}

/// The budget as `min–max PLN`, open ends left out.
pub fn describe_budget(range: PriceRange) -> String {
    match (range.min_price, range.max_price) {
        (Some(min), Some(max)) => format!("{min:.0}–{max:.0} PLN"),
        (Some(min), None) => format!(">= {min:.0} PLN"),
        (None, Some(max)) => format!("<= {max:.0} PLN"),
        (None, None) => "any".to_owned(),
    }
}

/// At most `max` characters of `text`, on one line.
pub fn clip(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::{clip, describe_recipient};
    use crate::vocabulary::RecipientProfile;

    #[test]
    fn only_what_is_known_is_described() {
        let mut profile = RecipientProfile::default();
        profile.personal_info_description.relationship = Some("sister".into());
        profile.dislikes = vec!["perfume".into()];
        let text = describe_recipient(&profile, &["running".into()], &[]);
        assert_eq!(text, "who: sister\nthemes: running\ndislikes: perfume");
        assert_eq!(clip("a  b\nc", 10), "a b c");
        assert_eq!(clip("abcdef", 3), "abc…");
    }
}
