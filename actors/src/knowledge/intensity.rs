//! How strongly a sentence says someone does something: competes in it, does it regularly or
//! with passion, merely does it, or does it only now and then. Read from general Polish (folded)
//! and English words of intensity, matched on stems so that inflected forms count ("startuje",
//! "startowała"; "zawody", "zawodach"; "competes", "competitions").

use std::sync::OnceLock;

use super::text;

/// How strongly an activity or interest is stated, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Intensity {
    /// Only now and then, rarely, or once upon a time.
    Occasional,
    /// Said without a word of how much.
    Mentioned,
    /// Regularly, often, with love or passion.
    Hobby,
    /// Competes: races, tournaments, leagues, championships.
    Competes,
}

impl Intensity {
    /// The factor an interest's weight is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            Intensity::Occasional => 0.8,
            Intensity::Mentioned => 1.0,
            Intensity::Hobby => 1.25,
            Intensity::Competes => 1.6,
        }
    }

    /// The intensity of one sentence: the strongest cue it holds; [`Intensity::Occasional`]
    /// only when it holds no stronger one.
    pub fn of_sentence(sentence: &str) -> Intensity {
        Self::of_terms(&text::terms(sentence))
    }

    /// [`Intensity::of_sentence`] on a sentence already reduced to terms.
    pub fn of_terms(terms: &[String]) -> Intensity {
        let said = |level: Intensity| {
            cues()
                .iter()
                .filter(|(l, _)| *l == level)
                .any(|(_, cue)| says(terms, cue))
        };
        [Intensity::Competes, Intensity::Hobby, Intensity::Occasional]
            .into_iter()
            .find(|level| said(*level))
            .unwrap_or(Intensity::Mentioned)
    }

    /// What two statements about one interest say together: the stronger, except that a plain
    /// mention does not undo "only now and then" said elsewhere (a sentence that merely names
    /// the interest says nothing of how much).
    pub fn with(self, other: Intensity) -> Intensity {
        if self.max(other) > Intensity::Mentioned {
            self.max(other)
        } else {
            self.min(other)
        }
    }
}

/// Someone competes: contests, races and the words for taking part in them.
const COMPETES: &[&str] = &[
    "zawody",
    "startuje",
    "startuja",
    "startowal",
    "startowala",
    "maraton",
    "polmaraton",
    "ultramaraton",
    "triathlon",
    "turniej",
    "mistrzostwa",
    "lidze",
    "plays in a league",
    "wyczynowo",
    "olimpiada",
    "competes",
    "competition",
    "marathon",
    "tournament",
    "league",
    "championship",
    "contest",
];

/// Someone does it regularly, often or with passion.
const HOBBY: &[&str] = &[
    "regularnie",
    "codziennie",
    "kazdego dnia",
    "co tydzien",
    "w tygodniu",
    "weekend",
    "wieczorami",
    "czesto",
    "duzo",
    "mnostwo",
    "ciagle",
    "pasja",
    "hobby",
    "uwielbia",
    "kocha",
    "zapalony",
    "zapalona",
    "fan",
    "fanka",
    "milosnik",
    "milosniczka",
    "kolekcja",
    "trenuje",
    "najbardziej",
    "najchetniej",
    "nie wyobraza sobie",
    "regular",
    "often",
    "a lot",
    "lots",
    "daily",
    "every day",
    "every morning",
    "every evening",
    "every week",
    "times a week",
    "passion",
    "loves",
    "adores",
    "keen",
    "avid",
    "enthusiast",
    "obsessed",
    "collects",
    "collection",
    "trains",
    "can't imagine",
];

/// Someone does it only now and then, rarely or did it once.
const OCCASIONAL: &[&str] = &[
    "rzadko",
    "sporadycznie",
    "okazjonalnie",
    "od czasu do czasu",
    "kiedys",
    "rarely",
    "seldom",
    "occasionally",
    "sometimes",
    "now and then",
    "used to",
];

/// Every cue as terms, with its level.
fn cues() -> &'static [(Intensity, Vec<String>)] {
    static CUES: OnceLock<Vec<(Intensity, Vec<String>)>> = OnceLock::new();
    CUES.get_or_init(|| {
        [
            (Intensity::Competes, COMPETES),
            (Intensity::Hobby, HOBBY),
            (Intensity::Occasional, OCCASIONAL),
        ]
        .into_iter()
        .flat_map(|(level, words)| words.iter().map(move |w| (level, text::terms(w))))
        .filter(|(_, terms)| !terms.is_empty())
        .collect()
    })
}

/// Whether the terms hold the cue: each of its stems in turn, as is or in a longer form
/// ("zawod" in "zawodach", "compet" in "competitions"; a stem of three letters only as is). A
/// shorter word does not count: "mistrz" is not "mistrzostwa".
fn says(terms: &[String], cue: &[String]) -> bool {
    let holds = |term: &String, stem: &String| {
        term == stem || (stem.chars().count() >= 4 && term.starts_with(stem.as_str()))
    };
    !cue.is_empty()
        && terms
            .windows(cue.len())
            .any(|window| window.iter().zip(cue).all(|(t, c)| holds(t, c)))
}

/// The sentences of a text: split on sentence punctuation and line breaks, trimmed, non-empty.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Intensity::*;

    fn of(sentence: &str) -> Intensity {
        Intensity::of_sentence(sentence)
    }

    #[test]
    fn the_levels_are_ordered_and_weigh_accordingly() {
        assert!(Occasional < Mentioned && Mentioned < Hobby && Hobby < Competes);
        assert!(Occasional.factor() < Mentioned.factor());
        assert!(Hobby.factor() < Competes.factor());
        for cue in cues() {
            assert!(!cue.1.is_empty());
        }
    }

    #[test]
    fn competing_is_read_in_any_inflection() {
        for sentence in [
            "Startuje w zawodach i biega maratony",
            "Startowała w półmaratonie w Krakowie",
            "Gra w lidze amatorskiej",
            "Jeździ na turnieje szachowe",
            "Trenuje wyczynowo pływanie",
            "Bierze udział w mistrzostwach Polski",
            "She competes in triathlons",
            "He plays in a chess league",
            "He enters chess tournaments",
            "Enters races and runs marathons",
        ] {
            assert_eq!(of(sentence), Competes, "{sentence}");
        }
    }

    #[test]
    fn regular_and_passionate_hobbies_are_read() {
        for sentence in [
            "Biega kilka razy w tygodniu",
            "Regularnie chodzi na siłownię",
            "Co weekend jeździ na rowerze",
            "Codziennie gra na gitarze",
            "Uwielbia gotować",
            "Fotografia to jego pasja",
            "Nie wyobraża sobie dnia bez kawy",
            "Kolekcjonuje perfumy",
            "Czyta dużo książek",
            "Reads a lot of books",
            "Goes to the gym regularly",
            "She loves gardening",
            "He is a keen cyclist",
            "Hikes every weekend",
            "Can't imagine a day without coffee",
        ] {
            assert_eq!(of(sentence), Hobby, "{sentence}");
        }
    }

    #[test]
    fn plain_and_occasional_mentions_are_read() {
        for sentence in [
            "Czyta książki",
            "Ma psa",
            "Reads novels",
            "Rides a bike",
            "Ogląda Ligę Mistrzów",
            "Czyta fantastykę",
        ] {
            assert_eq!(of(sentence), Mentioned, "{sentence}");
        }
        for sentence in [
            "Lubi dobrze zjeść, ale rzadko gotuje",
            "Od czasu do czasu gra w tenisa",
            "He sometimes plays chess",
            "She used to paint",
        ] {
            assert_eq!(of(sentence), Occasional, "{sentence}");
        }
        assert_eq!(
            of("Rzadko gotuje, ale uwielbia piec"),
            Hobby,
            "the stronger"
        );
    }

    #[test]
    fn statements_combine_to_the_stronger_unless_both_are_weak() {
        assert_eq!(Mentioned.with(Competes), Competes);
        assert_eq!(Hobby.with(Occasional), Hobby);
        assert_eq!(Mentioned.with(Occasional), Occasional);
        assert_eq!(Mentioned.with(Mentioned), Mentioned);
    }

    #[test]
    fn texts_split_into_sentences() {
        let split: Vec<&str> = sentences("Biega. Startuje w zawodach!\nCzyta; ").collect();
        assert_eq!(split, ["Biega", "Startuje w zawodach", "Czyta"]);
    }
}
