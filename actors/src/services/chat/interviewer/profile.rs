//! Building the interview's result: the recipient profile (merged with a saved one) and
//! 10–20 short, product-oriented key themes that never name what the person already has
//! or dislikes.

use super::model::Target;
use super::texts;
use super::understanding as u;
use super::{InterviewContext, InterviewResult, InterviewerState};
use crate::knowledge::{interests, text};
use crate::vocabulary::{Locale, PersonalInfo, Possessions, RecipientProfile};

pub(super) const MAX_THEMES: usize = 20;
const MAX_THEME_WORDS: usize = 4;

/// Words that should not end a shortened phrase.
const DANGLING: &[&str] = &[
    "z", "ze", "do", "na", "dla", "w", "we", "o", "od", "i", "oraz", "lub", "with", "for", "and",
    "of", "to", "in", "on", "a", "an", "the", "or",
];

/// The phrase cut to at most `max_words` words: preferably just before a preposition
/// ("zestaw przypraw z całego świata" → "zestaw przypraw"), never ending on one.
pub(super) fn shorten(phrase: &str, max_words: usize) -> String {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.len() <= max_words {
        return words.join(" ");
    }
    let dangling = |w: &str| DANGLING.contains(&text::fold(w).as_str());
    let cut = (2..=max_words)
        .rev()
        .find(|&n| words.get(n).is_some_and(|w| dangling(w)))
        .unwrap_or(max_words);
    let mut kept: Vec<&str> = words.into_iter().take(cut).collect();
    while kept.len() > 1 && kept.last().is_some_and(|w| dangling(w)) {
        kept.pop();
    }
    kept.join(" ")
}

/// Whether every stem of `part` occurs in `whole`.
fn covers(whole: &[String], part: &[String]) -> bool {
    part.iter()
        .all(|p| whole.iter().any(|w| text::stems_match(w, p)))
}

/// Whether a gift phrase names the same thing as an owned (or disliked) item: the item's
/// words all occur in the phrase ("zegarek sportowy" ~ "zegarek sportowy z GPS"), or a
/// phrase of two or more words is contained in the item.
pub(super) fn conflicts(phrase: &str, item: &str) -> bool {
    let phrase_terms = text::terms(phrase);
    let item_terms = text::terms(item);
    if phrase_terms.is_empty() || item_terms.is_empty() {
        return false;
    }
    covers(&phrase_terms, &item_terms)
        || (phrase_terms.len() >= 2 && covers(&item_terms, &phrase_terms))
}

fn merge(saved: &[String], new: &[String]) -> Vec<String> {
    let mut all: Vec<String> = saved.iter().chain(new).cloned().collect();
    u::dedup_folded(&mut all);
    all
}

fn description(saved: Option<&String>, state: &InterviewerState, target: Target) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(saved) = saved.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        parts.push(saved.to_owned());
    }
    parts.extend(
        state
            .notes
            .iter()
            .filter(|n| n.target == target)
            .map(|n| n.text.clone()),
    );
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The finished interview.
pub(super) fn build_result(
    ctx: &InterviewContext<'_>,
    state: &InterviewerState,
) -> InterviewResult {
    let locale = ctx.locale;
    let saved = ctx.saved_profile;
    let saved_info = saved.map(|p| &p.personal_info_description);

    let relationship = state
        .relation
        .map(|kind| texts::relationship_label(kind, state.gender, locale).to_owned())
        .or_else(|| state.relation_text.clone())
        .or_else(|| saved_info.and_then(|i| i.relationship.clone()));
    let age_range = state
        .age
        .map(|a| a.label().to_owned())
        .or_else(|| saved_info.and_then(|i| i.age_range.clone()));
    let gender = state
        .gender
        .and_then(|g| g.label(locale))
        .map(str::to_owned)
        .or_else(|| saved_info.and_then(|i| i.gender.clone()));

    let empty = Vec::new();
    let saved_has = saved.map_or(&empty, |p| &p.possessions.what_already_has);
    let saved_missing = saved.map_or(&empty, |p| &p.possessions.what_is_missing);
    let saved_dislikes = saved.map_or(&empty, |p| &p.dislikes);
    let has = merge(saved_has, &state.has);
    let missing: Vec<String> = merge(saved_missing, &state.missing)
        .into_iter()
        .filter(|m| !has.iter().any(|h| conflicts(m, h)))
        .collect();
    let dislikes = merge(saved_dislikes, &state.dislikes);

    let profile = RecipientProfile {
        personal_info_description: PersonalInfo {
            relationship,
            occasion: Some(texts::occasion_label(ctx.occasion, locale).to_owned()),
            age_range,
            gender,
        },
        lifestyle_description: description(
            saved.and_then(|p| p.lifestyle_description.as_ref()),
            state,
            Target::Lifestyle,
        ),
        preferences_description: description(
            saved.and_then(|p| p.preferences_description.as_ref()),
            state,
            Target::Preferences,
        ),
        recent_life_description: description(
            saved.and_then(|p| p.recent_life_description.as_ref()),
            state,
            Target::Recent,
        ),
        possessions: Possessions {
            what_already_has: has.clone(),
            what_is_missing: missing.clone(),
        },
        dislikes: dislikes.clone(),
    };
    let key_themes = key_themes(ctx, state, &has, &missing, &dislikes);
    InterviewResult {
        profile,
        key_themes,
    }
}

/// Collects themes in priority order, keeping short, new, acceptable ones.
struct Themes<'a> {
    list: Vec<String>,
    has: &'a [String],
    dislikes: &'a [String],
    /// The recipient's gender as the profile writes it: ideas made for another are skipped.
    gender: Option<&'static str>,
}

impl Themes<'_> {
    fn offer(&mut self, candidate: &str) {
        if self.list.len() >= MAX_THEMES {
            return;
        }
        let theme = shorten(candidate.trim(), MAX_THEME_WORDS);
        if theme.is_empty() {
            return;
        }
        let terms = text::terms(&theme);
        let folded = text::fold(&theme);
        let duplicate = self
            .list
            .iter()
            .any(|t| text::fold(t) == folded || (!terms.is_empty() && text::terms(t) == terms));
        let owned = self.has.iter().any(|h| conflicts(&theme, h));
        let disliked = self.dislikes.iter().any(|d| conflicts(&theme, d));
        let suits = crate::knowledge::gender::suits(self.gender, &theme);
        if !duplicate && !owned && !disliked && suits {
            self.list.push(theme);
        }
    }
}

fn key_themes(
    ctx: &InterviewContext<'_>,
    state: &InterviewerState,
    has: &[String],
    missing: &[String],
    dislikes: &[String],
) -> Vec<String> {
    let locale = ctx.locale;
    let mut themes = Themes {
        list: Vec::new(),
        has,
        dislikes,
        gender: state.gender.and_then(|g| g.label(locale)),
    };
    for id in &state.interests {
        if let Some(label) = interest_label(id, locale) {
            themes.offer(&label);
        }
    }
    for theme in &state.themes {
        themes.offer(theme);
    }
    for item in missing {
        themes.offer(item);
    }
    for theme in ctx.saved_key_themes {
        themes.offer(theme);
    }
    let ideas: Vec<&[String]> = state
        .interests
        .iter()
        .filter_map(|id| interests::by_id(id))
        .map(|i| i.ideas(locale))
        .collect();
    let longest = ideas.iter().map(|l| l.len()).max().unwrap_or(0);
    for round in 0..longest {
        for list in &ideas {
            if let Some(idea) = list.get(round) {
                themes.offer(idea);
            }
        }
    }
    themes.list
}

fn interest_label(id: &str, locale: Locale) -> Option<String> {
    interests::by_id(id)
        .map(|i| i.label(locale).to_owned())
        .or_else(|| {
            texts::interest_words(id).map(|w| match locale {
                Locale::Pl => w.label_pl.to_owned(),
                Locale::En => w.label_en.to_owned(),
            })
        })
}
