//! Turning an answer into facts: applies a chosen suggestion's meaning, or reads free text
//! (relationship, gender, age, interests, possessions, dislikes), records description
//! sentences and queues the follow-up questions the answer opens.

use super::InterviewerState;
use super::model::{AgeBracket, Effect, Gender, Note, Pending, PendingOption, RelKind, Topic};
use super::texts;
use super::understanding::{self as u};
use crate::knowledge::{LifeArea, interests};
use crate::vocabulary::{Locale, RecipientProfile};

/// How many follow-ups one free-text answer may queue.
const FOLLOWUPS_PER_ANSWER: usize = 2;

impl InterviewerState {
    pub(super) fn was_asked(&self, key: &str) -> bool {
        self.asked.iter().any(|a| a.key == key)
    }

    pub(super) fn topic_count(&self, topic: Topic) -> usize {
        self.asked.iter().filter(|a| a.topic == topic).count()
    }

    pub(super) fn mark_explored(&mut self, topic: Topic) {
        if topic.life_area().is_some() && !self.explored.contains(&topic) {
            self.explored.push(topic);
        }
    }

    pub(super) fn decline(&mut self, topic: Topic) {
        if !self.declined.contains(&topic) {
            self.declined.push(topic);
        }
        self.followups
            .retain(|key| followup_topic(key) != Some(topic));
    }

    /// Queues a follow-up to be asked next (most recent first).
    pub(super) fn queue_followup(&mut self, key: &str) {
        self.followups.retain(|k| k != key);
        if !self.was_asked(key) {
            self.followups.insert(0, key.to_owned());
        }
    }

    /// Adds an interest; returns whether it is new.
    pub(super) fn add_interest(&mut self, id: &str) -> bool {
        let Some(topic) = interest_topic(id) else {
            return false;
        };
        self.mark_explored(topic);
        if self.interests.iter().any(|i| i == id) {
            return false;
        }
        self.interests.push(id.to_owned());
        true
    }

    fn set_relation(&mut self, kind: RelKind, gender: Option<Gender>) {
        let replace = match self.relation {
            None => true,
            Some(current) => {
                current == kind
                    || matches!(current, RelKind::Family | RelKind::Elder | RelKind::Young)
                    || (current == RelKind::Partner && kind.group() == current.group())
                    || (current == RelKind::Parent && kind == RelKind::ParentInLaw)
                    || (current == RelKind::Sibling && kind == RelKind::SiblingInLaw)
                    || (current == RelKind::Child && kind == RelKind::Grandchild)
            }
        };
        if replace {
            self.relation = Some(kind);
        }
        if let Some(gender) = gender.or(kind.implied_gender())
            && self.gender.is_none()
        {
            self.gender = Some(gender);
        }
    }

    fn note(&mut self, topic: Topic, sentence: Option<String>) {
        if let (Some(target), Some(text)) = (topic.target(), sentence)
            && !self.notes.iter().any(|n| n.text == text)
        {
            self.notes.push(Note { target, text });
        }
    }

    fn push_unique(list: &mut Vec<String>, item: String) {
        let item = item.trim().to_owned();
        if item.is_empty() {
            return;
        }
        list.push(item);
        u::dedup_folded(list);
    }
}

/// The topic a queued follow-up belongs to.
pub(super) fn followup_topic(key: &str) -> Option<Topic> {
    match key.strip_prefix("ideas:") {
        Some(id) => interest_topic(id),
        None => texts::spec(key).map(|s| s.topic),
    }
}

/// The topic of an interest of the taxonomy (or of the documented ids while the taxonomy
/// is still being filled).
pub(super) fn interest_topic(id: &str) -> Option<Topic> {
    let area = match interests::by_id(id) {
        Some(interest) => interest.area,
        None => fallback_area(id)?,
    };
    Some(Topic::of_interest(id, area))
}

fn fallback_area(id: &str) -> Option<LifeArea> {
    Some(match id {
        "running" | "cycling" | "fitness" | "swimming" | "football" | "tennis"
        | "winter_sports" => LifeArea::Sport,
        "yoga" | "wellness" => LifeArea::Wellness,
        "climbing" | "hiking" | "camping" | "fishing" => LifeArea::Outdoors,
        "gardening" | "houseplants" | "home_decor" | "diy_tools" => LifeArea::Home,
        "cooking" | "baking" | "grilling" | "coffee" | "tea" | "wine" | "beer" | "spirits"
        | "sweets" => LifeArea::FoodDrink,
        "board_games" | "puzzles" | "lego" | "photography" | "art" | "crafts" | "cars"
        | "motorcycles" => LifeArea::Hobbies,
        "video_games" | "programming" | "gadgets" | "smart_home" => LifeArea::Tech,
        "reading" | "writing" | "music" | "instruments" | "movies" | "theatre" => LifeArea::Culture,
        "travel" => LifeArea::Travel,
        "languages" | "history" | "science" => LifeArea::Learning,
        "fashion" | "jewelry" | "watches" => LifeArea::Fashion,
        "beauty" | "perfume" => LifeArea::Beauty,
        "dogs" | "cats" => LifeArea::Pets,
        "kids_toys" | "babies" => LifeArea::Kids,
        "work_office" => LifeArea::Work,
        _ => return None,
    })
}

/// The follow-up for an interest: its own branch of questions, or its gift ideas.
fn followup_of_interest(id: &str) -> String {
    texts::followup_for_interest(id)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("ideas:{id}"))
}

/// Reads what the saved profile already tells, so those questions are skipped.
pub(super) fn absorb_saved(
    state: &mut InterviewerState,
    profile: Option<&RecipientProfile>,
    themes: &[String],
    locale: Locale,
) {
    if let Some(profile) = profile {
        state.saved = true;
        let info = &profile.personal_info_description;
        if let Some(relationship) = info
            .relationship
            .as_deref()
            .filter(|r| !r.trim().is_empty())
        {
            match u::parse_relation(relationship) {
                Some((kind, gender)) => state.set_relation(kind, gender),
                None => state.relation_text = Some(relationship.trim().to_owned()),
            }
        }
        if let Some((gender, young)) = info.gender.as_deref().and_then(u::parse_gender) {
            state.gender = Some(gender);
            state.young_hint |= young;
        }
        if let Some(age) = info
            .age_range
            .as_deref()
            .and_then(|a| u::parse_age(a, true))
        {
            state.age = Some(age);
        }
        let descriptions = [
            &profile.lifestyle_description,
            &profile.preferences_description,
            &profile.recent_life_description,
        ];
        for text in descriptions.into_iter().flatten() {
            for id in u::read_free_text(text, locale).interests {
                state.add_interest(id);
            }
        }
    }
    for theme in themes {
        for id in u::read_free_text(theme, locale).interests {
            state.add_interest(id);
        }
    }
}

/// Applies the answer to the question that was asked.
pub(super) fn record_answer(
    state: &mut InterviewerState,
    pending: &Pending,
    answer: &str,
    locale: Locale,
) {
    if let Some(index) = u::exact_option(&pending.options, answer) {
        if let Some(option) = pending.options.get(index) {
            let chose_next = apply_option(state, pending, option);
            if !chose_next && !declines(option) {
                queue_then(state, pending);
            }
            if describes(pending) {
                state.note(pending.topic, u::as_sentence(&option.full));
            }
        }
        return;
    }
    opportunistic(state, answer, pending.key.as_str());
    match pending.key.as_str() {
        "relationship" | "family_who" | "gender" => read_who(state, pending, answer, locale),
        "age" | "child_age" => read_age(state, pending, answer, locale),
        "dislikes" => read_dislikes(state, pending, answer, locale),
        "has" => read_has(state, answer, locale),
        "missing" => read_missing(state, pending, answer, locale),
        _ => read_topic_answer(state, pending, answer, locale),
    }
}

/// An answer when no question was pending (should not happen; read it as general text).
pub(super) fn record_free(state: &mut InterviewerState, answer: &str, locale: Locale) {
    opportunistic(state, answer, "");
    let text = u::read_free_text(answer, locale);
    for id in text.interests {
        state.add_interest(id);
    }
    for dislike in text.dislikes {
        InterviewerState::push_unique(&mut state.dislikes, dislike);
    }
    state.note(Topic::Wrapup, u::as_sentence(answer));
}

/// Whether a chosen suggestion reads as a sentence about the person (a gift pick does not).
fn describes(pending: &Pending) -> bool {
    pending.key != "missing" && !pending.key.starts_with("ideas:")
}

fn declines(option: &PendingOption) -> bool {
    option.effects.iter().any(|e| matches!(e, Effect::Decline))
}

/// Applies a suggestion's effects; returns whether it chose its own follow-up.
fn apply_option(state: &mut InterviewerState, pending: &Pending, option: &PendingOption) -> bool {
    let mut chose_next = false;
    let mut new_interests = Vec::new();
    for effect in &option.effects {
        match effect {
            Effect::Interest(id) => {
                if state.add_interest(id) {
                    new_interests.push(id.clone());
                }
            }
            Effect::Theme(theme) => InterviewerState::push_unique(&mut state.themes, theme.clone()),
            Effect::Has(item) => InterviewerState::push_unique(&mut state.has, item.clone()),
            Effect::Missing(item) => {
                InterviewerState::push_unique(&mut state.missing, item.clone())
            }
            Effect::Dislike(item) => {
                InterviewerState::push_unique(&mut state.dislikes, item.clone())
            }
            Effect::Relation(kind) => state.set_relation(*kind, None),
            Effect::Gender(gender) => state.gender = Some(*gender),
            Effect::Age(age) => state.age = Some(*age),
            Effect::YoungHint => state.young_hint = true,
            Effect::Retired => state.retired = true,
            Effect::Next(key) => {
                chose_next = true;
                state.queue_followup(key);
            }
            Effect::Decline => state.decline(pending.topic),
        }
    }
    if !chose_next && pending.topic.life_area().is_some() {
        // An interest without a branch of its own opens its gift-ideas question.
        if let Some(id) = new_interests.first() {
            state.queue_followup(&followup_of_interest(id));
        }
    }
    chose_next
}

fn queue_then(state: &mut InterviewerState, pending: &Pending) {
    if let Some(then) = &pending.then
        && !state.declined.contains(&pending.topic)
    {
        state.queue_followup(then);
    }
}

/// Facts any free-text answer may reveal in passing: the age ("ma 15 lat"; "roczne dziecko"
/// makes a child of unknown age a toddler) and, from pronouns, the gender.
fn opportunistic(state: &mut InterviewerState, answer: &str, key: &str) {
    let finer = |age: AgeBracket| match state.age {
        None => true,
        Some(AgeBracket::Child) => age.is_child() && age != AgeBracket::Child,
        Some(_) => false,
    };
    if !matches!(key, "age" | "child_age")
        && let Some(age) = u::parse_age(answer, false)
        && finer(age)
    {
        state.age = Some(age);
    }
    if state.gender.is_none()
        && key != "gender"
        && let Some(gender) = u::pronoun_gender(answer)
    {
        state.gender = Some(gender);
    }
}

/// Reads interests and dislikes from free text; returns the interests it revealed.
fn read_general(
    state: &mut InterviewerState,
    answer: &str,
    locale: Locale,
    follow: bool,
) -> Vec<&'static str> {
    let text = u::read_free_text(answer, locale);
    let mut new_ids = Vec::new();
    for id in &text.interests {
        if state.add_interest(id) {
            new_ids.push(*id);
        }
    }
    for dislike in text.dislikes {
        InterviewerState::push_unique(&mut state.dislikes, dislike);
    }
    if follow {
        for id in new_ids.iter().take(FOLLOWUPS_PER_ANSWER).rev() {
            state.queue_followup(&followup_of_interest(id));
        }
    }
    text.interests
}

fn apply_mentioned(
    state: &mut InterviewerState,
    pending: &Pending,
    answer: &str,
    locale: Locale,
) -> (bool, bool) {
    let mut any = false;
    let mut chose_next = false;
    for index in u::mentioned_options(&pending.options, answer, locale) {
        if let Some(option) = pending.options.get(index)
            && !declines(option)
        {
            any = true;
            chose_next |= apply_option(state, pending, option);
        }
    }
    (any, chose_next)
}

fn read_who(state: &mut InterviewerState, pending: &Pending, answer: &str, locale: Locale) {
    let mut understood = false;
    if let Some((kind, gender)) = u::parse_relation(answer) {
        state.set_relation(kind, gender);
        understood = true;
    }
    if let Some((gender, young)) = u::parse_gender(answer)
        && (pending.key == "gender" || state.gender.is_none())
    {
        state.gender = Some(gender);
        state.young_hint |= young;
        understood = true;
    }
    if !understood {
        understood = apply_mentioned(state, pending, answer, locale).0;
    }
    if !understood
        && pending.key == "relationship"
        && state.relation.is_none()
        && !u::is_dont_know(answer)
    {
        let words = u::tokens(answer);
        let name: Vec<&str> = words
            .iter()
            .skip_while(|t| RELATION_FILLERS.contains(&t.fold.as_str()))
            .map(|t| t.orig.as_str())
            .collect();
        if !name.is_empty() && words.len() <= 5 {
            state.relation_text = Some(name.join(" "));
        }
    }
    read_general(state, answer, locale, true);
}

/// Words before the name of a relationship the interviewer does not know ("Dla mojej …").
const RELATION_FILLERS: &[&str] = &[
    "dla", "to", "jest", "moja", "moj", "moje", "mojej", "mojego", "mojemu", "naszej", "naszego",
    "for", "my", "our", "it's", "its", "it", "is", "a", "an", "the",
];

fn read_age(state: &mut InterviewerState, pending: &Pending, answer: &str, locale: Locale) {
    if let Some(age) = u::parse_age(answer, true) {
        state.age = Some(age);
    } else {
        apply_mentioned(state, pending, answer, locale);
    }
    read_general(state, answer, locale, true);
}

fn read_dislikes(state: &mut InterviewerState, pending: &Pending, answer: &str, locale: Locale) {
    if u::is_dont_know(answer) {
        return;
    }
    // Each disliked thing is matched with the suggestions ("bibelotów" → "bibeloty"), or
    // kept in the giver's words.
    for item in u::read_dislikes(answer, locale) {
        let (matched, _) = apply_mentioned(state, pending, &item, locale);
        if !matched {
            let known = texts::dislike_options()
                .iter()
                .find(|d| u::mentions_any(d.keys, &item))
                .map(|d| texts::pick(d.dislike, locale).to_owned());
            InterviewerState::push_unique(&mut state.dislikes, known.unwrap_or(item));
        }
    }
}

fn read_has(state: &mut InterviewerState, answer: &str, locale: Locale) {
    if u::is_dont_know(answer) {
        return;
    }
    let (has, missing) = u::read_possessions(answer, locale);
    for item in has {
        InterviewerState::push_unique(&mut state.has, item);
    }
    for item in missing {
        InterviewerState::push_unique(&mut state.missing, item);
    }
}

fn read_missing(state: &mut InterviewerState, pending: &Pending, answer: &str, locale: Locale) {
    if u::is_dont_know(answer) || (u::is_negative(answer) && u::tokens(answer).len() <= 3) {
        return;
    }
    let (matched, _) = apply_mentioned(state, pending, answer, locale);
    if !matched {
        let (has, missing) = u::read_possessions(answer, locale);
        for item in missing.into_iter().chain(has) {
            InterviewerState::push_unique(&mut state.missing, item.clone());
            InterviewerState::push_unique(&mut state.themes, item);
        }
    }
    read_general(state, answer, locale, false);
}

fn read_topic_answer(
    state: &mut InterviewerState,
    pending: &Pending,
    answer: &str,
    locale: Locale,
) {
    let dont_know = u::is_dont_know(answer);
    let (matched, chose_next) = apply_mentioned(state, pending, answer, locale);
    let follow = pending.topic.life_area().is_some() || pending.topic == Topic::Recent;
    let revealed = read_general(state, answer, locale, follow && !chose_next);
    let on_topic = matched
        || revealed
            .iter()
            .any(|id| interest_topic(id) == Some(pending.topic));
    let informative = matched || !revealed.is_empty();
    if !on_topic && (dont_know || u::is_negative(answer)) {
        if pending.topic.life_area().is_some() {
            state.decline(pending.topic);
        }
        if !dont_know {
            state.note(pending.topic, u::as_sentence(answer));
        }
        return;
    }
    if informative && !chose_next {
        queue_then(state, pending);
    }
    if !dont_know && describes(pending) {
        state.note(pending.topic, u::as_sentence(answer));
    }
}
