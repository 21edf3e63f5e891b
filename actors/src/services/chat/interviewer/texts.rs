//! Everything the interviewer says, in Polish and English, read from two data files beside
//! this one:
//!
//! * `questions.json` — the fixed questions of every life area with their four suggested
//!   answers (and what each answer means), and the follow-up question each interest leads to;
//! * `phrases.json` — the texts of the generated questions (relationship, gender, age,
//!   dislikes, wrap-up), their suggested answers, labels, refusal reasons and the words
//!   naming each interest.
//!
//! Both are bundled into the binary, read once and kept for the whole run; a malformed file
//! is logged and read as empty.
//!
//! Question templates may use pronoun placeholders, filled in by [`render`]:
//! Polish `{jej_gen}` (jej/jego/tej osoby), `{jej_dat}` (jej/mu/tej osobie), `{u_niej}`,
//! `{dla_niej}`; English `{she}`, `{She}`, `{her}` (possessive), `{her_obj}`.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::Deserialize;

use super::model::{AgeBracket, Gender, Topic};
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

    use super::{Pair, Texts4};

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

    pub(super) fn four_of<'de, D: Deserializer<'de>>(d: D) -> Result<[Texts4; 4], D::Error> {
        <[AnswerText; 4]>::deserialize(d).map(|answers| answers.map(Texts4::from))
    }
}

/// A list of the bundled texts, used like a `&'static` slice: iterated with `for`, or through
/// the slice's methods.
#[derive(Clone, Copy)]
pub(super) struct Table<T: 'static>(fn() -> &'static [T]);

impl<T> Deref for Table<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        (self.0)()
    }
}

impl<T> IntoIterator for Table<T> {
    type Item = &'static T;
    type IntoIter = std::slice::Iter<'static, T>;

    fn into_iter(self) -> Self::IntoIter {
        (self.0)().iter()
    }
}

/// The fixed questions. Openers first (one per topic, a few with an age variant), then the
/// follow-ups they branch into.
pub(super) const SPECS: Table<Spec> = Table(|| &questions().specs);

pub(super) const INTEREST_WORDS: Table<InterestWords> = Table(|| &phrases().interest_words);

pub(super) const DISLIKE_OPTIONS: Table<DislikeOption> = Table(|| &phrases().dislike_options);

// -------------------------------------------------------------------- lookups

/// The fixed question with this key.
pub(super) fn spec(key: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.key == key)
}

/// The follow-up a fixed tree offers for an interest revealed in free text.
pub(super) fn followup_for_interest(id: &str) -> Option<&'static str> {
    questions().followups.get(id).map(String::as_str)
}

pub(super) fn interest_words(id: &str) -> Option<&'static InterestWords> {
    INTEREST_WORDS.iter().find(|w| w.id == id)
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
        A::Child => ages.child,
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
