//! "More like this / not this": what one round of refinement changes in a session.
//!
//! A liked product adds what it is ("zegarek sportowy") and the interest it serves to the key
//! themes, so that the next wave searches near it and the scorer ranks its like higher. A
//! disliked product excludes what it is from then on (products of that kind are neither
//! searched nor shown); when it came from an interest the person never named (topic drift),
//! that whole interest becomes one of the profile's dislikes, which every step already avoids.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::events::{JudgedProduct, Refinement};
use crate::knowledge::{Interest, interests, text};
use crate::vocabulary::{Locale, RecipientProfile};

/// How many content words name what a product is.
const KIND_WORDS: usize = 2;

/// Words after which an English title says what a product is for, not what it is.
const PURPOSE_WORDS: &[&str] = &["do", "na", "dla", "for", "with", "z", "ze"];

/// Applies one round's judgements to the session: the profile's dislikes, the key themes and
/// the refinement every later wave carries (`so_far`, judgements of earlier rounds included).
pub fn apply(
    profile: &mut RecipientProfile,
    key_themes: &mut Vec<String>,
    so_far: &mut Refinement,
    likes: &[JudgedProduct],
    dislikes: &[JudgedProduct],
    locale: Locale,
) {
    let stated = stated_interests(profile, key_themes);
    for disliked in dislikes {
        if let Some(kind) = kind_of(&disliked.title) {
            push_new(&mut so_far.excluded_kinds, kind);
        }
        if let Some(interest) = interest_of(&disliked.title)
            && !stated.contains(&interest.id.as_str())
        {
            push_new(&mut profile.dislikes, interest.label(locale).to_owned());
        }
    }
    let excluded_kinds = so_far.excluded_kinds.clone();
    let excluded = |phrase: &str| {
        let terms = text::terms(phrase);
        excluded_kinds
            .iter()
            .any(|kind| text::contains_phrase(&terms, &text::terms(kind)))
    };
    let mut liked_themes: Vec<String> = Vec::new();
    let mut liked_kinds: Vec<String> = Vec::new();
    for liked in likes {
        let Some(kind) = kind_of(&liked.title).filter(|kind| !excluded(kind)) else {
            continue;
        };
        push_new(&mut liked_kinds, kind.clone());
        push_new(&mut liked_themes, kind);
        if let Some(interest) = interest_of(&liked.title) {
            push_new(&mut liked_themes, interest.label(locale).to_owned());
        }
    }
    let disliked_interest = |phrase: &str| {
        interests::detect(phrase).iter().any(|found| {
            profile.dislikes.iter().any(|d| {
                interests::detect(d)
                    .iter()
                    .any(|m| m.interest.id == found.interest.id)
            })
        })
    };
    let kept: Vec<String> = key_themes
        .drain(..)
        .filter(|theme| !excluded(theme) && !disliked_interest(theme))
        .collect();
    liked_themes.retain(|theme| !disliked_interest(theme));
    for theme in kept {
        push_new(&mut liked_themes, theme);
    }
    *key_themes = liked_themes;
    for kind in so_far.liked_kinds.drain(..) {
        push_new(&mut liked_kinds, kind);
    }
    liked_kinds.retain(|kind| !excluded(kind));
    so_far.liked_kinds = liked_kinds;
}

/// What a product is, from its title: its first two content words in Polish word order
/// ("Zegarek sportowy Garmin 55" → "zegarek sportowy", "Pasek do zegarka" → "pasek do
/// zegarka"), the last two before any "for"/"with" part in English ("Non-slip yoga mat" →
/// "yoga mat"). `None` for a title without words.
pub fn kind_of(title: &str) -> Option<String> {
    let head = title
        .split([',', '(', '|', '–', '—', ':'])
        .next()
        .unwrap_or_default();
    let original: Vec<&str> = head
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let words: Vec<String> = original.iter().map(|w| w.to_lowercase()).collect();
    let kind = if reads_as_english(&words) {
        let end = words
            .iter()
            .position(|w| PURPOSE_WORDS.contains(&w.as_str()))
            .unwrap_or(words.len());
        let content: Vec<&String> = words[..end].iter().filter(|w| is_content(w)).collect();
        let start = content.len().saturating_sub(KIND_WORDS);
        content[start..]
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let start = brand_words(&original, &words);
        let mut kept = Vec::new();
        let mut content = 0;
        for word in &words[start..] {
            if content == KIND_WORDS {
                break;
            }
            if is_content(word) {
                content += 1;
            } else if kept.is_empty() {
                continue;
            }
            kept.push(word.as_str());
        }
        while kept.last().is_some_and(|w| !is_content(w)) {
            kept.pop();
        }
        kept.join(" ")
    };
    (!kind.is_empty()).then_some(kind)
}

/// The interest a product serves: the one with the longest of its keywords, search queries or
/// gift ideas in the title ("Bramka piłkarska ogrodowa" serves football).
fn interest_of(title: &str) -> Option<&'static Interest> {
    let terms = text::terms(title);
    interests::all()
        .iter()
        .filter_map(|interest| {
            let longest = interest
                .keywords
                .iter()
                .chain(&interest.queries)
                .chain(&interest.ideas_pl)
                .chain(&interest.ideas_en)
                .map(|phrase| text::terms(phrase))
                .filter(|phrase| text::contains_phrase(&terms, phrase))
                .map(|phrase| phrase.len())
                .max()?;
            Some((interest, longest))
        })
        .max_by_key(|(_, longest)| *longest)
        .map(|(interest, _)| interest)
}

/// How many words a (Polish) title opens with that name its brand and model rather than what
/// it is: capitalised words (a Polish title capitalises only its first word otherwise) before
/// the first word that names things, within the first four ("Garmin Forerunner zegarek
/// sportowy").
fn brand_words(original: &[&str], words: &[String]) -> usize {
    let capitalised = original
        .iter()
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    if capitalised < 2 {
        return 0;
    }
    words
        .iter()
        .take(4)
        .position(|w| names_things(w))
        .filter(|&at| at <= capitalised)
        .unwrap_or(0)
}

/// Whether a (Polish) word heads one of the taxonomy's search queries or gift ideas
/// ("zegarek" in "zegarek sportowy z GPS"): a word naming a kind of thing, not a brand.
fn names_things(word: &str) -> bool {
    static HEADS: OnceLock<HashSet<String>> = OnceLock::new();
    let heads = HEADS.get_or_init(|| {
        interests::all()
            .iter()
            .flat_map(|i| i.queries.iter().chain(&i.ideas_pl))
            .filter_map(|phrase| text::terms(phrase).into_iter().next())
            .collect()
    });
    text::terms(word)
        .first()
        .is_some_and(|stem| heads.contains(stem))
}

fn is_content(word: &str) -> bool {
    !text::words(word).is_empty() && word.chars().count() > 1
}

/// Whether a title reads as English: no Polish letters, function words or typical Polish
/// noun and adjective endings ("zegarek sportowy" has two).
fn reads_as_english(words: &[String]) -> bool {
    const FUNCTION_WORDS: &[&str] = &["do", "na", "dla", "z", "ze", "i", "w"];
    const ENDINGS: &[&str] = &[
        "owy", "owa", "owe", "ski", "ska", "skie", "cki", "cka", "ny", "ne", "ek", "ka", "ki",
    ];
    let polish = |word: &String| {
        word.chars().any(|c| "ąćęłńóśźż".contains(c))
            || FUNCTION_WORDS.contains(&word.as_str())
            || (word.chars().count() > 4 && ENDINGS.iter().any(|e| word.ends_with(e)))
    };
    !words.iter().any(polish)
}

/// The interests the person named (themes and descriptions; not the facts read elsewhere).
fn stated_interests(profile: &RecipientProfile, key_themes: &[String]) -> Vec<&'static str> {
    interests::stated(profile, key_themes, &[])
        .into_iter()
        .map(|stated| stated.interest.id.as_str())
        .collect()
}

fn push_new(list: &mut Vec<String>, item: String) {
    let key = text::terms(&item);
    if !list.iter().any(|known| text::terms(known) == key) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(title: &str) -> JudgedProduct {
        JudgedProduct {
            title: title.to_owned(),
        }
    }

    #[test]
    fn a_kind_is_what_the_title_says_the_product_is() {
        assert_eq!(
            kind_of("Zegarek sportowy Garmin Forerunner 55").as_deref(),
            Some("zegarek sportowy")
        );
        assert_eq!(
            kind_of("Pasek do zegarka, silikon").as_deref(),
            Some("pasek do zegarka")
        );
        assert_eq!(
            kind_of("Non-slip yoga mat, 6 mm").as_deref(),
            Some("yoga mat")
        );
        assert_eq!(
            kind_of("Leather dog collar for large dogs").as_deref(),
            Some("dog collar")
        );
        assert_eq!(kind_of("123 456"), None);
        assert_eq!(
            kind_of("Garmin Forerunner 55 zegarek sportowy GPS").as_deref(),
            Some("zegarek sportowy"),
            "a brand and model before what the product is"
        );
        assert_eq!(
            kind_of("Kubek termiczny 450 ml stalowy").as_deref(),
            Some("kubek termiczny")
        );
    }

    fn judged(
        profile: &mut RecipientProfile,
        themes: &mut Vec<String>,
        likes: &[&str],
        dislikes: &[&str],
    ) -> Refinement {
        let mut refinement = Refinement::default();
        let likes: Vec<JudgedProduct> = likes.iter().map(|t| product(t)).collect();
        let dislikes: Vec<JudgedProduct> = dislikes.iter().map(|t| product(t)).collect();
        apply(
            profile,
            themes,
            &mut refinement,
            &likes,
            &dislikes,
            Locale::Pl,
        );
        refinement
    }

    #[test]
    fn a_liked_product_leads_the_themes_and_a_drifted_interest_becomes_a_dislike() {
        let mut profile = RecipientProfile {
            lifestyle_description: Some("Biega w zawodach, czyta kryminały.".into()),
            ..RecipientProfile::default()
        };
        let mut themes = vec!["bieganie".to_owned(), "ogród".to_owned()];
        let refinement = judged(
            &mut profile,
            &mut themes,
            &["Zegarek sportowy do biegania GPS"],
            &["Bramka piłkarska ogrodowa 180 cm"],
        );
        assert_eq!(refinement.liked_kinds, vec!["zegarek sportowy".to_owned()]);
        assert_eq!(themes.first().map(String::as_str), Some("zegarek sportowy"));
        assert!(themes.iter().any(|t| t == "bieganie"), "{themes:?}");
        assert_eq!(
            refinement.excluded_kinds,
            vec!["bramka piłkarska".to_owned()]
        );
        let football = interests::by_id("football").map(|i| i.label(Locale::Pl).to_owned());
        assert!(
            football.is_some_and(|label| profile.dislikes.contains(&label)),
            "{:?}",
            profile.dislikes
        );
    }

    #[test]
    fn a_disliked_product_of_a_named_interest_excludes_its_kind_only() {
        let mut profile = RecipientProfile {
            lifestyle_description: Some("Biega w zawodach.".into()),
            ..RecipientProfile::default()
        };
        let mut themes = vec!["bieganie".to_owned()];
        let refinement = judged(
            &mut profile,
            &mut themes,
            &[],
            &["Żel energetyczny dla biegaczy"],
        );
        assert_eq!(
            refinement.excluded_kinds,
            vec!["żel energetyczny".to_owned()]
        );
        assert!(profile.dislikes.is_empty(), "{:?}", profile.dislikes);
        assert_eq!(themes, vec!["bieganie".to_owned()]);
    }

    #[test]
    fn liking_something_of_an_excluded_kind_does_not_bring_it_back() {
        let mut profile = RecipientProfile::default();
        let mut themes = Vec::new();
        let refinement = judged(
            &mut profile,
            &mut themes,
            &["Kubek termiczny stalowy"],
            &["Kubek termiczny 450 ml"],
        );
        assert!(refinement.liked_kinds.is_empty());
        assert!(themes.is_empty());
    }
}
