//! Everything the interviewer says, in Polish and English, read from two data files beside
//! this one:
//!
//! * `questions.json` — the fixed questions of every life area with their four suggested
//!   answers (and what each answer means), and the follow-up question each interest leads to;
//! * `phrases.json` — the texts of the generated questions (relationship, gender, age,
//!   dislikes, wrap-up), their suggested answers, labels (each relationship's, by gender),
//!   refusal reasons and the words naming each interest.
//!
//! Both are bundled into the binary, read once and kept for the whole run; a malformed file
//! is logged and read as empty. The tests below check that they are well formed.
//!
//! Question templates may use pronoun placeholders, filled in by [`render`]:
//! Polish `{jej_gen}` (jej/jego/tej osoby), `{jej_dat}` (jej/mu/tej osobie), `{u_niej}`,
//! `{dla_niej}`; English `{she}`, `{She}`, `{her}` (possessive), `{her_obj}`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::model::{AgeBracket, Gender, RelKind, Topic};
use crate::vocabulary::{Locale, Occasion};

/// A text in Polish and English.
pub(super) type Pair = (&'static str, &'static str);

/// A suggested answer: (Polish full, Polish short, English full, English short).
pub(super) type Texts4 = (&'static str, &'static str, &'static str, &'static str);

/// What a fixed answer means. In `questions.json`: `{"interest": "running"}`,
/// `{"theme": ["kask rowerowy", "bike helmet"]}`, `{"has": [pl, en]}`,
/// `{"missing": [pl, en]}`, `{"next": "running_level"}`, `"decline"` or `"retired"`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Fx {
    Interest(#[serde(deserialize_with = "keep::text")] &'static str),
    /// A key theme (Polish, English).
    Theme(
        #[serde(deserialize_with = "keep::text")] &'static str,
        #[serde(deserialize_with = "keep::text")] &'static str,
    ),
    Has(
        #[serde(deserialize_with = "keep::text")] &'static str,
        #[serde(deserialize_with = "keep::text")] &'static str,
    ),
    Missing(
        #[serde(deserialize_with = "keep::text")] &'static str,
        #[serde(deserialize_with = "keep::text")] &'static str,
    ),
    Next(#[serde(deserialize_with = "keep::text")] &'static str),
    Decline,
    Retired,
}

/// A fixed suggested answer.
#[derive(Debug, Deserialize)]
pub(super) struct Opt {
    #[serde(deserialize_with = "keep::text")]
    pub(super) pl: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) pl_short: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) en: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) en_short: &'static str,
    /// Words (any language) that reveal this answer in free text.
    #[serde(deserialize_with = "keep::texts")]
    pub(super) keys: &'static [&'static str],
    #[serde(rename = "effects", deserialize_with = "keep::list")]
    pub(super) fx: &'static [Fx],
}

/// A fixed question: always exactly four answers.
#[derive(Debug, Deserialize)]
pub(super) struct Spec {
    #[serde(deserialize_with = "keep::text")]
    pub(super) key: &'static str,
    pub(super) topic: Topic,
    #[serde(deserialize_with = "keep::text")]
    pub(super) pl: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) en: &'static str,
    #[serde(rename = "options")]
    pub(super) opts: [Opt; 4],
    /// Asked after any informative answer (unless the answer chose its own follow-up).
    #[serde(default, deserialize_with = "keep::optional_text")]
    pub(super) then: Option<&'static str>,
}

/// Per interest: Polish and English labels (used when the taxonomy has none), and the phrase
/// naming gifts for it: Polish "prezentów {phrase}", English "{phrase} gifts".
#[derive(Debug, Deserialize)]
pub(super) struct InterestWords {
    #[serde(deserialize_with = "keep::text")]
    pub(super) id: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) label_pl: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) label_en: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) phrase_pl: &'static str,
    #[serde(deserialize_with = "keep::text")]
    pub(super) phrase_en: &'static str,
}

/// A dislike suggestion: texts, the dislike (PL, EN), the words revealing it, the interests
/// it would contradict, and whether it only suits adults.
#[derive(Debug, Deserialize)]
pub(super) struct DislikeOption {
    #[serde(deserialize_with = "keep::four")]
    pub(super) texts: Texts4,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) dislike: Pair,
    #[serde(deserialize_with = "keep::texts")]
    pub(super) keys: &'static [&'static str],
    #[serde(deserialize_with = "keep::texts")]
    pub(super) conflicts: &'static [&'static str],
    pub(super) adults_only: bool,
}

/// A question narrowing down who in the family the recipient is, with its four answers.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Choice {
    #[serde(deserialize_with = "keep::pair")]
    pub(super) question: Pair,
    #[serde(deserialize_with = "keep::four_of")]
    pub(super) options: [Texts4; 4],
}

/// A relationship's label in one language: for a woman, for a man, and when the gender is
/// unknown (in the file: `{"female": …, "male": …, "unknown": …}`).
type GenderedLabel = (&'static str, &'static str, &'static str);

#[derive(Debug, Default, Deserialize)]
struct RelationLabel {
    #[serde(deserialize_with = "keep::gendered")]
    pl: GenderedLabel,
    #[serde(deserialize_with = "keep::gendered")]
    en: GenderedLabel,
}

/// The label of relationship `kind` for a person of `gender` ("siostrzenica", "nephew").
pub(super) fn relationship_label(
    kind: RelKind,
    gender: Option<Gender>,
    locale: Locale,
) -> &'static str {
    phrases()
        .relationship_labels
        .get(&kind)
        .map(|label| {
            let (female, male, unknown) = match locale {
                Locale::Pl => label.pl,
                Locale::En => label.en,
            };
            match gender {
                Some(Gender::Female) => female,
                Some(Gender::Male) => male,
                _ => unknown,
            }
        })
        .unwrap_or_default()
}

/// A text per occasion.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ByOccasion {
    #[serde(deserialize_with = "keep::pair")]
    birthday: Pair,
    #[serde(deserialize_with = "keep::pair")]
    name_day: Pair,
    #[serde(deserialize_with = "keep::pair")]
    anniversary: Pair,
    #[serde(deserialize_with = "keep::pair")]
    holiday: Pair,
    #[serde(deserialize_with = "keep::pair")]
    valentines: Pair,
    #[serde(deserialize_with = "keep::pair")]
    just_because: Pair,
}

impl ByOccasion {
    fn get(&self, occasion: Occasion) -> Pair {
        match occasion {
            Occasion::Birthday => self.birthday,
            Occasion::NameDay => self.name_day,
            Occasion::Anniversary => self.anniversary,
            Occasion::Holiday => self.holiday,
            Occasion::Valentines => self.valentines,
            Occasion::JustBecause => self.just_because,
        }
    }
}

/// The answers to the gender question.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Genders {
    #[serde(deserialize_with = "keep::four")]
    pub(super) woman: Texts4,
    #[serde(deserialize_with = "keep::four")]
    pub(super) man: Texts4,
    #[serde(deserialize_with = "keep::four")]
    pub(super) girl: Texts4,
    #[serde(deserialize_with = "keep::four")]
    pub(super) boy: Texts4,
    #[serde(deserialize_with = "keep::four")]
    pub(super) non_binary: Texts4,
    #[serde(deserialize_with = "keep::four")]
    pub(super) undisclosed: Texts4,
}

/// The answers to the age question, one per bracket; the oldest bracket is offered either
/// whole ("over 65") or split in two ("66 to 80", "over 80").
#[derive(Debug, Default, Deserialize)]
struct Ages {
    #[serde(deserialize_with = "keep::four")]
    child: Texts4,
    #[serde(deserialize_with = "keep::four")]
    teen: Texts4,
    #[serde(deserialize_with = "keep::four")]
    a18: Texts4,
    #[serde(deserialize_with = "keep::four")]
    a26: Texts4,
    #[serde(deserialize_with = "keep::four")]
    a36: Texts4,
    #[serde(deserialize_with = "keep::four")]
    a51: Texts4,
    #[serde(deserialize_with = "keep::four")]
    a66_80: Texts4,
    #[serde(deserialize_with = "keep::four")]
    a66: Texts4,
    #[serde(deserialize_with = "keep::four")]
    over_80: Texts4,
}

/// Why a request was refused, per [`Refusal`].
#[derive(Debug, Default, Deserialize)]
struct Refusals {
    #[serde(deserialize_with = "keep::pair")]
    weapons: Pair,
    #[serde(deserialize_with = "keep::pair")]
    drugs: Pair,
    #[serde(deserialize_with = "keep::pair")]
    explosives: Pair,
    #[serde(deserialize_with = "keep::pair")]
    poison: Pair,
    #[serde(deserialize_with = "keep::pair")]
    harm: Pair,
    #[serde(deserialize_with = "keep::pair")]
    illegal: Pair,
}

/// The contents of `questions.json`. (Like every type holding a `&'static str`, it is read
/// from `'static` text only, which the bundled files are.)
#[derive(Debug, Default, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct Questions {
    /// Openers first (one per topic, a few with an age variant), then the follow-ups they
    /// branch into.
    specs: Vec<Spec>,
    /// Interest id → the key of the fixed question following up on it.
    followups: HashMap<String, String>,
}

/// The contents of `phrases.json`, read from `'static` text only like [`Questions`].
#[derive(Debug, Default, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub(super) struct Phrases {
    occasions: ByOccasion,
    relationship_questions: ByOccasion,
    #[serde(deserialize_with = "keep::four_of")]
    pub(super) relationship_options: [Texts4; 4],
    pub(super) family: Choice,
    pub(super) parent: Choice,
    pub(super) sibling: Choice,
    pub(super) child: Choice,
    pub(super) elder: Choice,
    /// Each relationship's label in the profile, keyed by its name (`niece_nephew`).
    relationship_labels: HashMap<RelKind, RelationLabel>,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) partner_gender_question: Pair,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) gender_question: Pair,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) gender_child_question: Pair,
    pub(super) genders: Genders,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) age_question: Pair,
    ages: Ages,
    /// Asked after "under 13": a toddler and a school child need different gifts.
    pub(super) child_age: Choice,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) dislikes_question: Pair,
    pub(super) dislike_options: Vec<DislikeOption>,
    #[serde(deserialize_with = "keep::four")]
    pub(super) no_dislikes: Texts4,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) has_question: Pair,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) missing_select_question: Pair,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) missing_free_question: Pair,
    #[serde(deserialize_with = "keep::four")]
    pub(super) none_fits: Texts4,
    #[serde(deserialize_with = "keep::four")]
    pub(super) already_has_such: Texts4,
    /// With `{phrase}`: the words naming gifts for one interest.
    #[serde(deserialize_with = "keep::pair")]
    ideas_question: Pair,
    /// With `{idea}`: the gift idea picked.
    #[serde(deserialize_with = "keep::pair")]
    idea_choice: Pair,
    #[serde(deserialize_with = "keep::pair")]
    pub(super) anything_else_question: Pair,
    refusals: Refusals,
    /// With `{reason}`: one of `refusals`.
    #[serde(deserialize_with = "keep::pair")]
    refusal: Pair,
    interest_words: Vec<InterestWords>,
}

// -------------------------------------------------------------------- loading

static QUESTIONS: OnceLock<Questions> = OnceLock::new();
static PHRASES: OnceLock<Phrases> = OnceLock::new();

fn questions() -> &'static Questions {
    QUESTIONS.get_or_init(|| load("questions.json", include_str!("questions.json")))
}

/// The texts of `phrases.json`.
pub(super) fn phrases() -> &'static Phrases {
    PHRASES.get_or_init(|| load("phrases.json", include_str!("phrases.json")))
}

fn load<T: Default + Deserialize<'static>>(name: &str, json: &'static str) -> T {
    match serde_json::from_str(json) {
        Ok(data) => data,
        Err(error) => {
            log::error!("the bundled interviewer texts ({name}) are malformed: {error}");
            T::default()
        }
    }
}

/// The data files are read once and kept for the whole run, so their texts are handed out
/// as the `&'static str` the interviewer works with.
mod keep {
    use serde::{Deserialize, Deserializer};

    use super::{GenderedLabel, Pair, Texts4};

    fn kept(text: String) -> &'static str {
        text.leak()
    }

    pub(super) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        String::deserialize(d).map(kept)
    }

    pub(super) fn optional_text<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<&'static str>, D::Error> {
        Option::<String>::deserialize(d).map(|text| text.map(kept))
    }

    pub(super) fn texts<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<&'static [&'static str], D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        Ok(texts.into_iter().map(kept).collect::<Vec<_>>().leak())
    }

    pub(super) fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<&'static [T], D::Error> {
        Vec::<T>::deserialize(d).map(|items| &*items.leak())
    }

    /// `{"pl": …, "en": …}`
    #[derive(Deserialize)]
    struct PairText {
        pl: String,
        en: String,
    }

    /// `{"pl": …, "pl_short": …, "en": …, "en_short": …}`
    #[derive(Deserialize)]
    struct AnswerText {
        pl: String,
        pl_short: String,
        en: String,
        en_short: String,
    }

    impl From<AnswerText> for Texts4 {
        fn from(a: AnswerText) -> Texts4 {
            (kept(a.pl), kept(a.pl_short), kept(a.en), kept(a.en_short))
        }
    }

    pub(super) fn pair<'de, D: Deserializer<'de>>(d: D) -> Result<Pair, D::Error> {
        PairText::deserialize(d).map(|p| (kept(p.pl), kept(p.en)))
    }

    pub(super) fn four<'de, D: Deserializer<'de>>(d: D) -> Result<Texts4, D::Error> {
        AnswerText::deserialize(d).map(Texts4::from)
    }

    /// `{"female": …, "male": …, "unknown": …}`
    #[derive(Deserialize)]
    struct GenderedText {
        female: String,
        male: String,
        unknown: String,
    }

    pub(super) fn gendered<'de, D: Deserializer<'de>>(d: D) -> Result<GenderedLabel, D::Error> {
        GenderedText::deserialize(d).map(|g| (kept(g.female), kept(g.male), kept(g.unknown)))
    }

    pub(super) fn four_of<'de, D: Deserializer<'de>>(d: D) -> Result<[Texts4; 4], D::Error> {
        <[AnswerText; 4]>::deserialize(d).map(|answers| answers.map(Texts4::from))
    }
}

/// The fixed questions. Openers first (one per topic, a few with an age variant), then the
/// follow-ups they branch into.
pub(super) fn specs() -> &'static [Spec] {
    &questions().specs
}

/// The words naming gifts for each interest.
pub(super) fn all_interest_words() -> &'static [InterestWords] {
    &phrases().interest_words
}

pub(super) fn dislike_options() -> &'static [DislikeOption] {
    &phrases().dislike_options
}

// -------------------------------------------------------------------- lookups

/// The fixed question with this key.
pub(super) fn spec(key: &str) -> Option<&'static Spec> {
    specs().iter().find(|s| s.key == key)
}

/// The follow-up a fixed tree offers for an interest revealed in free text.
pub(super) fn followup_for_interest(id: &str) -> Option<&'static str> {
    questions().followups.get(id).map(String::as_str)
}

pub(super) fn interest_words(id: &str) -> Option<&'static InterestWords> {
    all_interest_words().iter().find(|w| w.id == id)
}

pub(super) fn occasion_label(occasion: Occasion, locale: Locale) -> &'static str {
    pick(phrases().occasions.get(occasion), locale)
}

pub(super) fn relationship_question(occasion: Occasion, locale: Locale) -> &'static str {
    pick(phrases().relationship_questions.get(occasion), locale)
}

/// An age option: texts and the bracket it stands for; `over_80` adds a note.
pub(super) fn age_option(bracket: AgeBracket, over_80: bool, split_66: bool) -> Texts4 {
    use AgeBracket as A;
    let ages = &phrases().ages;
    if over_80 {
        return ages.over_80;
    }
    match bracket {
        A::Toddler | A::Child | A::SchoolChild => ages.child,
        A::Teen => ages.teen,
        A::A18 => ages.a18,
        A::A26 => ages.a26,
        A::A36 => ages.a36,
        A::A51 => ages.a51,
        A::A66 if split_66 => ages.a66_80,
        A::A66 => ages.a66,
    }
}

/// The question about gifts for one interest: Polish "Który z tych prezentów {phrase}…",
/// English "Which of these {phrase} gifts…".
pub(super) fn ideas_question(phrase: &str, locale: Locale) -> String {
    pick(phrases().ideas_question, locale).replace("{phrase}", phrase)
}

/// The answer picking one gift idea.
pub(super) fn idea_choice(idea: &str, locale: Locale) -> String {
    pick(phrases().idea_choice, locale).replace("{idea}", idea)
}

// -------------------------------------------------------------------- rendering

/// Picks the text of the session's language.
pub(super) fn pick<'a>(pair: (&'a str, &'a str), locale: Locale) -> &'a str {
    match locale {
        Locale::Pl => pair.0,
        Locale::En => pair.1,
    }
}

/// The full sentence and the short form of a [`Texts4`].
pub(super) fn pick4(texts: Texts4, locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::Pl => (texts.0, texts.1),
        Locale::En => (texts.2, texts.3),
    }
}

/// The pronoun placeholders of a language and what they become for a recipient.
fn pronoun_forms(
    locale: Locale,
    gender: Option<Gender>,
) -> &'static [(&'static str, &'static str)] {
    let female = gender == Some(Gender::Female);
    let male = gender == Some(Gender::Male);
    match (locale, female, male) {
        (Locale::Pl, true, _) => &[
            ("{jej_gen}", "jej"),
            ("{jej_dat}", "jej"),
            ("{u_niej}", "u niej"),
            ("{dla_niej}", "dla niej"),
        ],
        (Locale::Pl, false, true) => &[
            ("{jej_gen}", "jego"),
            ("{jej_dat}", "mu"),
            ("{u_niej}", "u niego"),
            ("{dla_niej}", "dla niego"),
        ],
        (Locale::Pl, false, false) => &[
            ("{jej_gen}", "tej osoby"),
            ("{jej_dat}", "tej osobie"),
            ("{u_niej}", "u tej osoby"),
            ("{dla_niej}", "dla tej osoby"),
        ],
        (Locale::En, true, _) => &[
            ("{she}", "she"),
            ("{She}", "She"),
            ("{her}", "her"),
            ("{her_obj}", "her"),
        ],
        (Locale::En, false, true) => &[
            ("{she}", "he"),
            ("{She}", "He"),
            ("{her}", "his"),
            ("{her_obj}", "him"),
        ],
        (Locale::En, false, false) => &[
            ("{she}", "this person"),
            ("{She}", "This person"),
            ("{her}", "their"),
            ("{her_obj}", "them"),
        ],
    }
}

/// Fills the pronoun placeholders of a template.
pub(super) fn render(template: &str, locale: Locale, gender: Option<Gender>) -> String {
    let mut text = template.to_owned();
    for (placeholder, form) in pronoun_forms(locale, gender) {
        text = text.replace(placeholder, form);
    }
    text
}

// -------------------------------------------------------------------- safety

/// Why a request was refused, by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    Weapons,
    Drugs,
    Explosives,
    Poison,
    Harm,
    Illegal,
}

pub(super) fn refusal_reason(refusal: Refusal, locale: Locale) -> String {
    let reasons = &phrases().refusals;
    let reason = match refusal {
        Refusal::Weapons => reasons.weapons,
        Refusal::Drugs => reasons.drugs,
        Refusal::Explosives => reasons.explosives,
        Refusal::Poison => reasons.poison,
        Refusal::Harm => reasons.harm,
        Refusal::Illegal => reasons.illegal,
    };
    pick(phrases().refusal, locale).replace("{reason}", pick(reason, locale))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::knowledge::interests;

    /// The fixed questions there were when the texts moved into `questions.json`.
    const SPECS_AT_LEAST: usize = 44;

    const QUESTIONS_JSON: &str = include_str!("questions.json");
    const PHRASES_JSON: &str = include_str!("phrases.json");

    /// A text to check: where it is, its Polish and English forms, whether [`render`] fills
    /// its pronoun placeholders, and the other placeholders it must use (filled in by code).
    struct Checked {
        place: String,
        pl: &'static str,
        en: &'static str,
        rendered: bool,
        extra: &'static [&'static str],
    }

    fn text(place: impl Into<String>, pair: Pair, rendered: bool) -> Checked {
        Checked {
            place: place.into(),
            pl: pair.0,
            en: pair.1,
            rendered,
            extra: &[],
        }
    }

    /// The full and the short forms of a suggested answer, as two texts.
    fn answer(place: &str, texts: Texts4) -> [Checked; 2] {
        [
            text(place, (texts.0, texts.2), false),
            text(format!("{place} (short)"), (texts.1, texts.3), false),
        ]
    }

    fn choice(name: &str, choice: &Choice) -> Vec<Checked> {
        let mut all = vec![text(format!("{name}.question"), choice.question, false)];
        for (i, t) in choice.options.iter().enumerate() {
            all.extend(answer(&format!("{name}.options[{i}]"), *t));
        }
        all
    }

    /// Every text of both files.
    fn all_texts() -> Vec<Checked> {
        let mut all = Vec::new();
        for spec in specs() {
            all.push(text(spec.key, (spec.pl, spec.en), true));
            for (i, o) in spec.opts.iter().enumerate() {
                let place = format!("{}.options[{i}]", spec.key);
                all.extend(answer(&place, (o.pl, o.pl_short, o.en, o.en_short)));
                for fx in o.fx {
                    match fx {
                        Fx::Theme(pl, en) | Fx::Has(pl, en) | Fx::Missing(pl, en) => {
                            all.push(text(format!("{place} effect"), (pl, en), false));
                        }
                        Fx::Interest(_) | Fx::Next(_) | Fx::Decline | Fx::Retired => {}
                    }
                }
            }
        }
        let p = phrases();
        let occasions = [
            ("birthday", Occasion::Birthday),
            ("name_day", Occasion::NameDay),
            ("anniversary", Occasion::Anniversary),
            ("holiday", Occasion::Holiday),
            ("valentines", Occasion::Valentines),
            ("just_because", Occasion::JustBecause),
        ];
        for (name, occasion) in occasions {
            all.push(text(
                format!("occasions.{name}"),
                p.occasions.get(occasion),
                false,
            ));
            all.push(text(
                format!("relationship_questions.{name}"),
                p.relationship_questions.get(occasion),
                false,
            ));
        }
        for (i, t) in p.relationship_options.iter().enumerate() {
            all.extend(answer(&format!("relationship_options[{i}]"), *t));
        }
        all.extend(choice("family", &p.family));
        all.extend(choice("parent", &p.parent));
        all.extend(choice("sibling", &p.sibling));
        all.extend(choice("child", &p.child));
        all.extend(choice("elder", &p.elder));
        all.extend(choice("child_age", &p.child_age));
        for (name, pair) in [
            ("partner_gender_question", p.partner_gender_question),
            ("gender_question", p.gender_question),
            ("gender_child_question", p.gender_child_question),
        ] {
            all.push(text(name, pair, false));
        }
        let g = &p.genders;
        for (name, t) in [
            ("woman", g.woman),
            ("man", g.man),
            ("girl", g.girl),
            ("boy", g.boy),
            ("non_binary", g.non_binary),
            ("undisclosed", g.undisclosed),
        ] {
            all.extend(answer(&format!("genders.{name}"), t));
        }
        let a = &p.ages;
        for (name, t) in [
            ("child", a.child),
            ("teen", a.teen),
            ("a18", a.a18),
            ("a26", a.a26),
            ("a36", a.a36),
            ("a51", a.a51),
            ("a66_80", a.a66_80),
            ("a66", a.a66),
            ("over_80", a.over_80),
        ] {
            all.extend(answer(&format!("ages.{name}"), t));
        }
        for (name, pair) in [
            ("age_question", p.age_question),
            ("dislikes_question", p.dislikes_question),
            ("has_question", p.has_question),
            ("missing_select_question", p.missing_select_question),
            ("missing_free_question", p.missing_free_question),
            ("anything_else_question", p.anything_else_question),
        ] {
            all.push(text(name, pair, true));
        }
        for d in dislike_options() {
            let place = format!("dislike_options[{}]", d.dislike.1);
            all.extend(answer(&place, d.texts));
            all.push(text(format!("{place}.dislike"), d.dislike, false));
        }
        for (name, t) in [
            ("no_dislikes", p.no_dislikes),
            ("none_fits", p.none_fits),
            ("already_has_such", p.already_has_such),
        ] {
            all.extend(answer(name, t));
        }
        all.push(Checked {
            extra: &["{phrase}"],
            ..text("ideas_question", p.ideas_question, true)
        });
        all.push(Checked {
            extra: &["{idea}"],
            ..text("idea_choice", p.idea_choice, false)
        });
        let r = &p.refusals;
        for (name, pair) in [
            ("weapons", r.weapons),
            ("drugs", r.drugs),
            ("explosives", r.explosives),
            ("poison", r.poison),
            ("harm", r.harm),
            ("illegal", r.illegal),
        ] {
            all.push(text(format!("refusals.{name}"), pair, false));
        }
        all.push(Checked {
            extra: &["{reason}"],
            ..text("refusal", p.refusal, false)
        });
        for w in all_interest_words() {
            all.push(text(
                format!("interest_words.{}.label", w.id),
                (w.label_pl, w.label_en),
                false,
            ));
            all.push(text(
                format!("interest_words.{}.phrase", w.id),
                (w.phrase_pl, w.phrase_en),
                false,
            ));
        }
        all
    }

    /// The `{…}` placeholders in a text.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let end = rest[start..]
                .find('}')
                .map_or(rest.len(), |e| start + e + 1);
            found.push(&rest[start..end]);
            rest = &rest[end..];
        }
        found
    }

    #[test]
    fn the_bundled_files_parse() {
        if let Err(error) = serde_json::from_str::<Questions>(QUESTIONS_JSON) {
            panic!("questions.json: {error}");
        }
        if let Err(error) = serde_json::from_str::<Phrases>(PHRASES_JSON) {
            panic!("phrases.json: {error}");
        }
    }

    #[test]
    fn every_fixed_question_has_a_unique_key_and_four_answers() {
        // Read without the types too, to name a question whose answers are not four.
        let raw: serde_json::Value = serde_json::from_str(QUESTIONS_JSON).unwrap_or_default();
        let raw_specs = raw["specs"].as_array().cloned().unwrap_or_default();
        for spec in &raw_specs {
            let options = spec["options"].as_array().map_or(0, Vec::len);
            assert_eq!(
                options, 4,
                "{}: {options} answers instead of four",
                spec["key"]
            );
        }
        assert!(
            specs().len() >= SPECS_AT_LEAST,
            "{} fixed questions, expected at least {SPECS_AT_LEAST}",
            specs().len()
        );
        let mut keys = HashSet::new();
        for spec in specs() {
            assert!(
                !spec.key.trim().is_empty(),
                "a fixed question without a key"
            );
            assert!(keys.insert(spec.key), "{}: the key is used twice", spec.key);
        }
    }

    #[test]
    fn every_text_has_polish_and_english() {
        let all = all_texts();
        assert!(all.len() > SPECS_AT_LEAST * 9, "only {} texts", all.len());
        for t in &all {
            assert!(!t.pl.trim().is_empty(), "{}: no Polish text", t.place);
            assert!(!t.en.trim().is_empty(), "{}: no English text", t.place);
        }
    }

    #[test]
    fn every_question_named_exists() {
        let exists = |key: &str| spec(key).is_some();
        for s in specs() {
            for (i, o) in s.opts.iter().enumerate() {
                for fx in o.fx {
                    if let Fx::Next(next) = fx {
                        assert!(exists(next), "{}.options[{i}]: no question {next}", s.key);
                    }
                }
            }
            if let Some(then) = s.then {
                assert!(exists(then), "{}.then: no question {then}", s.key);
            }
        }
        assert!(!questions().followups.is_empty(), "no follow-ups");
        for (id, key) in &questions().followups {
            assert!(exists(key), "followups.{id}: no question {key}");
        }
    }

    #[test]
    fn every_interest_named_is_in_the_taxonomy() {
        assert!(
            !interests::all().is_empty(),
            "the interest taxonomy is empty"
        );
        let known = |id: &str| interests::by_id(id).is_some();
        for s in specs() {
            for (i, o) in s.opts.iter().enumerate() {
                for fx in o.fx {
                    if let Fx::Interest(id) = fx {
                        assert!(known(id), "{}.options[{i}]: no interest {id}", s.key);
                    }
                }
            }
        }
        assert!(!all_interest_words().is_empty(), "no interest words");
        let mut ids = HashSet::new();
        for w in all_interest_words() {
            assert!(known(w.id), "interest_words: no interest {}", w.id);
            assert!(ids.insert(w.id), "interest_words: {} is listed twice", w.id);
        }
        for d in dislike_options() {
            for id in d.conflicts {
                assert!(
                    known(id),
                    "dislike_options[{}].conflicts: no interest {id}",
                    d.dislike.1
                );
            }
        }
        for id in questions().followups.keys() {
            assert!(known(id), "followups: no interest {id}");
        }
    }

    #[test]
    fn every_relationship_has_a_label_in_both_languages_for_each_gender() {
        // Keys are read as relationships (an unknown one fails to load); all 22 are there.
        let labels = &phrases().relationship_labels;
        assert_eq!(labels.len(), 22, "{:?}", labels.keys());
        for &kind in labels.keys() {
            for locale in [Locale::Pl, Locale::En] {
                for gender in [Some(Gender::Female), Some(Gender::Male), None] {
                    let label = relationship_label(kind, gender, locale);
                    assert!(!label.trim().is_empty(), "{kind:?} {locale:?} {gender:?}");
                }
            }
        }
        let niece = relationship_label(RelKind::NieceNephew, Some(Gender::Female), Locale::Pl);
        assert_eq!(niece, "siostrzenica lub bratanica");
        assert_eq!(
            relationship_label(RelKind::Parent, None, Locale::En),
            "parent"
        );
    }

    #[test]
    fn templates_use_only_the_placeholders_filled_in() {
        for t in all_texts() {
            for (locale, form) in [(Locale::Pl, t.pl), (Locale::En, t.en)] {
                let pronouns = pronoun_forms(locale, None).iter().map(|(p, _)| *p);
                let allowed: Vec<&str> = if t.rendered {
                    pronouns.chain(t.extra.iter().copied()).collect()
                } else {
                    t.extra.to_vec()
                };
                for placeholder in placeholders(form) {
                    assert!(
                        allowed.contains(&placeholder),
                        "{} ({locale:?}): unknown placeholder {placeholder} in {form:?}",
                        t.place
                    );
                }
                for needed in t.extra {
                    assert!(
                        form.contains(needed),
                        "{} ({locale:?}): no {needed}",
                        t.place
                    );
                }
            }
        }
    }

    #[test]
    fn reveal_words_are_not_empty() {
        for s in specs() {
            for (i, o) in s.opts.iter().enumerate() {
                for key in o.keys {
                    assert!(
                        !key.trim().is_empty(),
                        "{}.options[{i}]: an empty key",
                        s.key
                    );
                }
            }
        }
        for d in dislike_options() {
            assert!(
                !d.keys.is_empty(),
                "dislike_options[{}]: no keys",
                d.dislike.1
            );
            for key in d.keys {
                assert!(
                    !key.trim().is_empty(),
                    "dislike_options[{}]: an empty key",
                    d.dislike.1
                );
            }
        }
    }
}
