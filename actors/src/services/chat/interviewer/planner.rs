//! Choosing and building the next question.
//!
//! Order: who the person is (relationship → which family member → gender, each skipped when
//! already known) and the age bracket; then life areas, one opening question per area in an
//! order that suits the person's age, each answer possibly opening a follow-up of its own
//! branch; then the wrap-up (dislikes, what the person has and lacks, gift ideas to pick).
//!
//! Budget: the wrap-up questions and enough openers to reach five life areas are reserved
//! first; a follow-up is asked only when the questions left exceed that reserve (so the first
//! follow-up of an interview is cheap, the later ones also keep room for the gift-ideas
//! question). No topic gets more than three questions.

use super::InterviewerState;
use super::model::{AgeBracket, AgeWindow, Effect, Gender, Pending, PendingOption, RelKind, Topic};
use super::profile::{conflicts, shorten};
use super::record::{followup_topic, interest_topic};
use super::texts::{self, Choice, Spec, Texts4, pick, pick4, render};
use crate::knowledge::{LifeArea, interests};
use crate::vocabulary::{Locale, Occasion};

/// Life areas the interview aims to explore.
pub(super) const AREAS_GOAL: usize = 5;
/// Interests that make a useful search.
pub(super) const INTERESTS_GOAL: usize = 3;
/// Questions at most per topic.
pub(super) const MAX_PER_TOPIC: usize = 3;

/// What the planner needs from the session.
pub(super) struct Frame {
    pub(super) locale: Locale,
    pub(super) occasion: Occasion,
    pub(super) max_questions: usize,
    pub(super) min_questions: usize,
}

/// The next question, or `None` when the interview should finish.
pub(super) fn next_question(frame: &Frame, state: &mut InterviewerState) -> Option<Pending> {
    let asked = state.asked.len();
    if asked >= frame.max_questions {
        return None;
    }
    let remaining = frame.max_questions - asked;
    let locale = frame.locale;

    // With a saved profile, start with what is new.
    if state.saved && asked == 0 {
        return build_spec("recent_saved", locale, state.gender);
    }

    // Who the person is.
    if state.relation.is_none() && state.relation_text.is_none() && !state.was_asked("relationship")
    {
        return Some(relationship_question(frame));
    }
    if state.relation.is_some_and(RelKind::needs_detail) && !state.was_asked("family_who") {
        return Some(family_question(locale));
    }
    if state.gender.is_none() && !state.was_asked("gender") {
        return Some(gender_question(state, locale));
    }
    if state.age.is_none() && !state.was_asked("age") {
        return Some(age_question(state, locale));
    }
    if state.age == Some(AgeBracket::Child) && !state.was_asked("child_age") {
        return Some(child_age_question(locale));
    }

    let wrapup_left = wrapup_required(state);
    let areas_left = areas_needed(state);
    let reserve = wrapup_left + areas_left;

    // A follow-up of the last answers, if the budget allows.
    if let Some(key) = take_followup(state, locale) {
        let keep_for_ideas = usize::from(state.followups_asked >= 1 && !state.was_asked("missing"));
        if remaining > reserve + keep_for_ideas
            && let Some(question) = build_followup(&key, state, locale)
        {
            state.followups_asked += 1;
            return Some(question);
        }
        state.followups.clear();
    }

    // Another life area.
    let more = areas_left > 0 || state.interests.len() < INTERESTS_GOAL;
    if more
        && remaining > wrapup_left
        && let Some(question) = next_opener(state, locale, areas_left > 0)
    {
        return Some(question);
    }

    // Wrap-up.
    if !state.was_asked("dislikes") {
        return Some(dislikes_question(state, locale));
    }
    if !state.was_asked("has") {
        return Some(free_question(
            "has",
            texts::phrases().has_question,
            locale,
            state.gender,
        ));
    }
    if !state.was_asked("missing") {
        return Some(missing_question(state, locale));
    }

    // Not yet the minimum: keep exploring, then ask for anything else.
    if asked < frame.min_questions {
        if let Some(question) = next_opener(state, locale, false) {
            return Some(question);
        }
        if !state.was_asked("anything_else") {
            return Some(free_question(
                "anything_else",
                texts::phrases().anything_else_question,
                locale,
                state.gender,
            ));
        }
    }
    None
}

fn wrapup_required(state: &InterviewerState) -> usize {
    ["dislikes", "has"]
        .iter()
        .filter(|key| !state.was_asked(key))
        .count()
}

/// Distinct life areas explored (asked about, declined or revealed).
pub(super) fn areas_explored(state: &InterviewerState) -> Vec<LifeArea> {
    let mut areas: Vec<LifeArea> = Vec::new();
    for topic in state.explored.iter().chain(&state.declined) {
        if let Some(area) = topic.life_area()
            && !areas.contains(&area)
        {
            areas.push(area);
        }
    }
    areas
}

/// How many more openers are needed to reach the life-area goal (limited by what is left).
fn areas_needed(state: &InterviewerState) -> usize {
    let explored = areas_explored(state);
    let wanted = AREAS_GOAL.saturating_sub(explored.len());
    let mut available: Vec<LifeArea> = Vec::new();
    for &topic in topic_order(state) {
        if let Some(area) = topic.life_area()
            && open_topic(state, topic)
            && !explored.contains(&area)
            && !available.contains(&area)
        {
            available.push(area);
        }
    }
    wanted.min(available.len())
}

fn age_group(state: &InterviewerState) -> AgeGroup {
    match state.age {
        Some(age) if age.is_child() => AgeGroup::Child,
        Some(AgeBracket::Teen) => AgeGroup::Teen,
        Some(AgeBracket::A51 | AgeBracket::A66) => AgeGroup::Older,
        Some(_) => AgeGroup::Adult,
        None if state.retired || state.relation == Some(RelKind::Grandparent) => AgeGroup::Older,
        None => AgeGroup::Adult,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AgeGroup {
    Child,
    Teen,
    Adult,
    Older,
}

fn topic_order(state: &InterviewerState) -> &'static [Topic] {
    use Topic::*;
    match age_group(state) {
        AgeGroup::Child => &[
            Play, Sport, Culture, Outdoors, Hobbies, Learning, Pets, Tech, Food, Travel,
        ],
        AgeGroup::Teen => &[
            Tech, Sport, Culture, Hobbies, Style, Outdoors, Pets, Learning, Food, Travel, Wellness,
        ],
        AgeGroup::Adult => &[
            Sport, Food, Culture, Pets, Home, Tech, Travel, Outdoors, Drinks, Hobbies, Style,
            Wellness, Learning, Work, Recent,
        ],
        AgeGroup::Older => &[
            Home, Food, Culture, Wellness, Pets, Outdoors, Travel, Hobbies, Drinks, Learning,
            Sport, Style, Tech, Work, Recent,
        ],
    }
}

/// The opening question of a topic (some have a variant for children).
fn opener_key(topic: Topic, state: &InterviewerState) -> &'static str {
    match topic {
        Topic::Sport if state.age.is_some_and(AgeBracket::is_child) => "sport_kids",
        Topic::Sport => "sport",
        Topic::Outdoors => "outdoors",
        Topic::Home => "home",
        Topic::Food => "food",
        Topic::Drinks => "drinks",
        Topic::Travel => "travel",
        Topic::Culture => "culture",
        Topic::Tech => "tech",
        Topic::Work => "work",
        Topic::Style => "style",
        Topic::Wellness => "wellness",
        Topic::Pets => "pets",
        Topic::Hobbies => "hobbies",
        Topic::Learning => "learning",
        Topic::Play => "play",
        Topic::Recent => "recent",
        Topic::Who | Topic::Age | Topic::Wrapup => "",
    }
}

/// Whether a topic may still be opened.
fn open_topic(state: &InterviewerState, topic: Topic) -> bool {
    let minor = state.age.is_some_and(AgeBracket::is_minor);
    let suits = match topic {
        Topic::Drinks | Topic::Work | Topic::Recent => !minor,
        Topic::Style | Topic::Wellness => !state.age.is_some_and(AgeBracket::is_child),
        _ => true,
    };
    let key = opener_key(topic, state);
    if !suits || key.is_empty() || state.was_asked(key) {
        return false;
    }
    if topic == Topic::Recent && state.was_asked("recent_saved") {
        return false;
    }
    let closed = state.explored.contains(&topic) || state.declined.contains(&topic);
    !closed && state.topic_count(topic) < MAX_PER_TOPIC
}

fn next_opener(state: &InterviewerState, locale: Locale, new_area_only: bool) -> Option<Pending> {
    let explored = areas_explored(state);
    let order = topic_order(state);
    let pick_topic = |fresh: bool| {
        order.iter().copied().find(|&topic| {
            open_topic(state, topic)
                && (!fresh || topic.life_area().is_some_and(|a| !explored.contains(&a)))
        })
    };
    let topic = pick_topic(true).or_else(|| {
        if new_area_only {
            None
        } else {
            pick_topic(false)
        }
    })?;
    build_spec(opener_key(topic, state), locale, state.gender)
}

/// The first queued follow-up that can still be asked.
fn take_followup(state: &mut InterviewerState, locale: Locale) -> Option<String> {
    while !state.followups.is_empty() {
        let key = state.followups.remove(0);
        let key = resolve_key(&key, state.gender);
        let Some(topic) = followup_topic(&key) else {
            continue;
        };
        if state.was_asked(&key)
            || state.declined.contains(&topic)
            || state.topic_count(topic) >= MAX_PER_TOPIC
        {
            continue;
        }
        if let Some(id) = key.strip_prefix("ideas:")
            && ideas_for(id, state, locale).len() < 3
        {
            continue;
        }
        return Some(key);
    }
    None
}

/// Gendered variants of a question.
fn resolve_key(key: &str, gender: Option<Gender>) -> String {
    match (key, gender) {
        ("beauty_kind", Some(Gender::Male)) => "beauty_kind_m".to_owned(),
        _ => key.to_owned(),
    }
}

fn build_followup(key: &str, state: &InterviewerState, locale: Locale) -> Option<Pending> {
    match key.strip_prefix("ideas:") {
        Some(id) => ideas_question(id, state, locale),
        None => build_spec(key, locale, state.gender),
    }
}

// -------------------------------------------------------------------- building questions

fn option(texts: Texts4, locale: Locale, keywords: &[&str], effects: Vec<Effect>) -> PendingOption {
    let (full, short) = pick4(texts, locale);
    PendingOption {
        full: full.to_owned(),
        short: short.to_owned(),
        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        effects,
    }
}

fn select(key: &str, topic: Topic, text: String, options: Vec<PendingOption>) -> Pending {
    Pending {
        key: key.to_owned(),
        topic,
        text,
        options,
        then: None,
    }
}

fn free_question(
    key: &str,
    texts: (&str, &str),
    locale: Locale,
    gender: Option<Gender>,
) -> Pending {
    let topic = if key == "anything_else" || key == "has" || key == "missing" {
        Topic::Wrapup
    } else {
        Topic::Who
    };
    select(
        key,
        topic,
        render(pick(texts, locale), locale, gender),
        Vec::new(),
    )
}

/// A fixed question of the catalogue.
pub(super) fn build_spec(key: &str, locale: Locale, gender: Option<Gender>) -> Option<Pending> {
    let spec: &Spec = texts::spec(key)?;
    let options = spec
        .opts
        .iter()
        .map(|o| {
            let (full, short) = match locale {
                Locale::Pl => (o.pl, o.pl_short),
                Locale::En => (o.en, o.en_short),
            };
            let effects = o
                .fx
                .iter()
                .map(|fx| match fx {
                    texts::Fx::Interest(id) => Effect::Interest((*id).to_owned()),
                    texts::Fx::Theme(pl, en) => Effect::Theme(pick((pl, en), locale).to_owned()),
                    texts::Fx::Has(pl, en) => Effect::Has(pick((pl, en), locale).to_owned()),
                    texts::Fx::Missing(pl, en) => {
                        Effect::Missing(pick((pl, en), locale).to_owned())
                    }
                    texts::Fx::Next(next) => Effect::Next((*next).to_owned()),
                    texts::Fx::Decline => Effect::Decline,
                    texts::Fx::Retired => Effect::Retired,
                })
                .collect();
            PendingOption {
                full: full.to_owned(),
                short: short.to_owned(),
                keywords: o.keys.iter().map(|k| (*k).to_owned()).collect(),
                effects,
            }
        })
        .collect();
    let text = render(pick((spec.pl, spec.en), locale), locale, gender);
    Some(Pending {
        key: spec.key.to_owned(),
        topic: spec.topic,
        text,
        options,
        then: spec.then.map(str::to_owned),
    })
}

fn relationship_question(frame: &Frame) -> Pending {
    let kinds = [
        RelKind::Partner,
        RelKind::Family,
        RelKind::Friend,
        RelKind::Colleague,
    ];
    let options = texts::phrases()
        .relationship_options
        .iter()
        .zip(kinds)
        .map(|(t, kind)| option(*t, frame.locale, &[], vec![Effect::Relation(kind)]))
        .collect();
    let text = texts::relationship_question(frame.occasion, frame.locale).to_owned();
    select("relationship", Topic::Who, text, options)
}

fn family_question(locale: Locale) -> Pending {
    let kinds = [
        RelKind::Parent,
        RelKind::Sibling,
        RelKind::Young,
        RelKind::Elder,
    ];
    let family = &texts::phrases().family;
    let options = family
        .options
        .iter()
        .zip(kinds)
        .map(|(t, kind)| option(*t, locale, &[], vec![Effect::Relation(kind)]))
        .collect();
    select(
        "family_who",
        Topic::Who,
        pick(family.question, locale).to_owned(),
        options,
    )
}

fn gender_question(state: &InterviewerState, locale: Locale) -> Pending {
    use Gender::{Female as F, Male as M};
    let phrases = texts::phrases();
    let family = |choice: &Choice, kinds: [(RelKind, Gender); 4]| {
        let options = choice
            .options
            .iter()
            .zip(kinds)
            .map(|(t, (kind, gender))| {
                option(
                    *t,
                    locale,
                    &[],
                    vec![Effect::Relation(kind), Effect::Gender(gender)],
                )
            })
            .collect();
        select(
            "gender",
            Topic::Who,
            pick(choice.question, locale).to_owned(),
            options,
        )
    };
    let plain = |question: (&str, &str), opts: [(Texts4, Vec<Effect>); 4]| {
        let options = opts
            .into_iter()
            .map(|(t, effects)| option(t, locale, &[], effects))
            .collect();
        select(
            "gender",
            Topic::Who,
            pick(question, locale).to_owned(),
            options,
        )
    };
    let genders = &phrases.genders;
    let adult = [
        (genders.woman, vec![Effect::Gender(F)]),
        (genders.man, vec![Effect::Gender(M)]),
        (genders.non_binary, vec![Effect::Gender(Gender::NonBinary)]),
        (
            genders.undisclosed,
            vec![Effect::Gender(Gender::Undisclosed)],
        ),
    ];
    match state.relation {
        Some(RelKind::Parent | RelKind::ParentInLaw) => family(
            &phrases.parent,
            [
                (RelKind::Parent, F),
                (RelKind::Parent, M),
                (RelKind::ParentInLaw, F),
                (RelKind::ParentInLaw, M),
            ],
        ),
        Some(RelKind::Sibling | RelKind::SiblingInLaw) => family(
            &phrases.sibling,
            [
                (RelKind::Sibling, F),
                (RelKind::Sibling, M),
                (RelKind::SiblingInLaw, F),
                (RelKind::SiblingInLaw, M),
            ],
        ),
        Some(RelKind::Young | RelKind::Child | RelKind::Grandchild) => family(
            &phrases.child,
            [
                (RelKind::Child, F),
                (RelKind::Child, M),
                (RelKind::Grandchild, F),
                (RelKind::Grandchild, M),
            ],
        ),
        Some(RelKind::Elder | RelKind::Grandparent | RelKind::AuntUncle) => family(
            &phrases.elder,
            [
                (RelKind::Grandparent, F),
                (RelKind::Grandparent, M),
                (RelKind::AuntUncle, F),
                (RelKind::AuntUncle, M),
            ],
        ),
        Some(kind) if kind.group() == super::model::RelGroup::Partner => {
            plain(phrases.partner_gender_question, adult)
        }
        Some(kind) if kind.may_be_child() => plain(
            phrases.gender_child_question,
            [
                (genders.woman, vec![Effect::Gender(F)]),
                (genders.man, vec![Effect::Gender(M)]),
                (genders.girl, vec![Effect::Gender(F), Effect::YoungHint]),
                (genders.boy, vec![Effect::Gender(M), Effect::YoungHint]),
            ],
        ),
        _ => plain(phrases.gender_question, adult),
    }
}

fn age_question(state: &InterviewerState, locale: Locale) -> Pending {
    use AgeBracket as A;
    let window = if state.young_hint {
        AgeWindow::Young
    } else {
        state.relation.map_or(AgeWindow::Adult, RelKind::age_window)
    };
    // (bracket, "over 80", "66-80")
    let choices: [(AgeBracket, bool, bool); 4] = match window {
        AgeWindow::Young => [
            (A::Child, false, false),
            (A::Teen, false, false),
            (A::A18, false, false),
            (A::A26, false, false),
        ],
        AgeWindow::Adult => [
            (A::A18, false, false),
            (A::A26, false, false),
            (A::A36, false, false),
            (A::A51, false, false),
        ],
        AgeWindow::Parent => [
            (A::A26, false, false),
            (A::A36, false, false),
            (A::A51, false, false),
            (A::A66, false, false),
        ],
        AgeWindow::Elder => [
            (A::A36, false, false),
            (A::A51, false, false),
            (A::A66, false, true),
            (A::A66, true, false),
        ],
    };
    let options = choices
        .iter()
        .map(|&(bracket, over_80, split)| {
            option(
                texts::age_option(bracket, over_80, split),
                locale,
                &[],
                vec![Effect::Age(bracket)],
            )
        })
        .collect();
    let text = render(
        pick(texts::phrases().age_question, locale),
        locale,
        state.gender,
    );
    select("age", Topic::Age, text, options)
}

/// How old a child under 13 is: up to 2, or 3–6, 7–9, 10–12.
fn child_age_question(locale: Locale) -> Pending {
    use AgeBracket::{SchoolChild, Toddler};
    let child_age = &texts::phrases().child_age;
    let options = child_age
        .options
        .iter()
        .zip([Toddler, SchoolChild, SchoolChild, SchoolChild])
        .map(|(t, age)| option(*t, locale, &[], vec![Effect::Age(age)]))
        .collect();
    let text = pick(child_age.question, locale).to_owned();
    select("child_age", Topic::Age, text, options)
}

fn dislikes_question(state: &InterviewerState, locale: Locale) -> Pending {
    let minor = state.age.is_some_and(AgeBracket::is_minor);
    let mut options: Vec<PendingOption> = texts::dislike_options()
        .iter()
        .filter(|d| !(d.adults_only && minor))
        .filter(|d| {
            !d.conflicts
                .iter()
                .any(|c| state.interests.iter().any(|i| i == c))
        })
        .take(3)
        .map(|d| {
            option(
                d.texts,
                locale,
                d.keys,
                vec![Effect::Dislike(pick(d.dislike, locale).to_owned())],
            )
        })
        .collect();
    let text = render(
        pick(texts::phrases().dislikes_question, locale),
        locale,
        state.gender,
    );
    if options.len() < 3 {
        return select("dislikes", Topic::Wrapup, text, Vec::new());
    }
    options.push(option(
        texts::phrases().no_dislikes,
        locale,
        &[],
        Vec::new(),
    ));
    select("dislikes", Topic::Wrapup, text, options)
}

/// Gift ideas of an interest not yet offered, owned or disliked.
fn ideas_for(id: &str, state: &InterviewerState, locale: Locale) -> Vec<String> {
    let Some(interest) = interests::by_id(id) else {
        return Vec::new();
    };
    interest
        .ideas(locale)
        .iter()
        .filter(|idea| {
            !state.offered_ideas.iter().any(|o| o == *idea)
                && !state.has.iter().any(|h| conflicts(idea, h))
                && !state.dislikes.iter().any(|d| conflicts(idea, d))
                && !state.missing.iter().any(|m| conflicts(idea, m))
        })
        .cloned()
        .collect()
}

fn idea_option(idea: &str, locale: Locale) -> PendingOption {
    PendingOption {
        full: texts::idea_choice(idea, locale),
        short: shorten(idea, 3),
        keywords: Vec::new(),
        effects: vec![
            Effect::Missing(idea.to_owned()),
            Effect::Theme(idea.to_owned()),
        ],
    }
}

fn ideas_question(id: &str, state: &InterviewerState, locale: Locale) -> Option<Pending> {
    let ideas = ideas_for(id, state, locale);
    if ideas.len() < 3 {
        return None;
    }
    let phrase = match (texts::interest_words(id), locale) {
        (Some(words), Locale::Pl) => words.phrase_pl.to_owned(),
        (Some(words), Locale::En) => words.phrase_en.to_owned(),
        (None, _) => interests::by_id(id).map(|i| i.label(locale).to_owned())?,
    };
    let mut options: Vec<PendingOption> = ideas
        .iter()
        .take(3)
        .map(|idea| idea_option(idea, locale))
        .collect();
    options.push(option(
        texts::phrases().already_has_such,
        locale,
        &[],
        Vec::new(),
    ));
    let text = render(
        &texts::ideas_question(&phrase, locale),
        locale,
        state.gender,
    );
    let topic = interest_topic(id)?;
    Some(select(&format!("ideas:{id}"), topic, text, options))
}

fn missing_question(state: &InterviewerState, locale: Locale) -> Pending {
    // One idea from each interest in turn, in the order the interests came up.
    let lists: Vec<Vec<String>> = state
        .interests
        .iter()
        .map(|id| ideas_for(id, state, locale))
        .collect();
    let mut chosen: Vec<String> = Vec::new();
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    'outer: for round in 0..longest {
        for list in &lists {
            if let Some(idea) = list.get(round)
                && !chosen.iter().any(|c| conflicts(c, idea))
            {
                chosen.push(idea.clone());
                if chosen.len() == 3 {
                    break 'outer;
                }
            }
        }
    }
    if chosen.len() < 3 {
        return free_question(
            "missing",
            texts::phrases().missing_free_question,
            locale,
            state.gender,
        );
    }
    let mut options: Vec<PendingOption> = chosen.iter().map(|i| idea_option(i, locale)).collect();
    options.push(option(texts::phrases().none_fits, locale, &[], Vec::new()));
    let text = render(
        pick(texts::phrases().missing_select_question, locale),
        locale,
        state.gender,
    );
    select("missing", Topic::Wrapup, text, options)
}
