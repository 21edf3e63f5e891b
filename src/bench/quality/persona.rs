//! The personas of the quality benchmark and how each answers the interview: by what it is
//! asked, with its own sentences and with the suggestions its interests pick out.

use std::collections::VecDeque;

use present_finder_actors::vocabulary::{Locale, Occasion, PriceRange};
use present_finder_web::driver::AnswerScript;
use serde::Deserialize;

const PERSONAS_JSON: &str = include_str!("personas.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: String,
    pub locale: Locale,
    pub occasion: Occasion,
    pub budget: Budget,
    /// The recipient's age in years.
    pub age: u32,
    pub gender: Sex,
    /// What the giver says when asked.
    pub says: Says,
    /// Word stems: a suggested answer containing one is what this giver would click.
    pub picks: Vec<String>,
    pub judge: Judgments,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub min: f64,
    pub max: f64,
}

impl Budget {
    pub fn range(self) -> PriceRange {
        PriceRange {
            min_price: Some(self.min),
            max_price: Some(self.max),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Says {
    pub relationship: String,
    pub gender: String,
    pub age: String,
    pub owns: String,
    pub dislikes: String,
    /// What the giver tells about the recipient, one sentence per open question, in order.
    pub about: Vec<String>,
    /// When there is nothing more to tell.
    pub nothing: String,
}

/// Written with the persona, before any output was seen.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgments {
    /// Catalog interests (ids of `interests.json`) a gift may serve to fit this recipient.
    pub fits: Vec<String>,
    /// Word stems of things the recipient already owns: a gift naming one is a violation.
    #[serde(default)]
    pub owned: Vec<String>,
    /// Word stems of what the recipient dislikes: a gift naming one is a violation.
    #[serde(default)]
    pub disliked: Vec<String>,
    /// Word stems that make an otherwise fitting gift wrong for this recipient (not relevant,
    /// though not a violation).
    #[serde(default)]
    pub off_topic: Vec<String>,
}

pub fn bundled() -> anyhow::Result<Vec<Persona>> {
    let personas: Vec<Persona> = serde_json::from_str(PERSONAS_JSON)?;
    Ok(personas)
}

/// What a question asks, read off its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asks {
    Relationship,
    Gender,
    Age,
    Owns,
    Dislikes,
    Other,
}

fn asks(question: &str) -> Asks {
    let q = question.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| q.contains(w));
    if any(&[
        "nie lubi",
        "unika",
        "nie trafi",
        "nie chce",
        "dislike",
        "avoid",
        "not like",
        "doesn't like",
        "wouldn't",
    ]) {
        Asks::Dislikes
    } else if any(&["ma już", "już ma", "posiada", "already", " owns", "has got"]) {
        Asks::Owns
    } else if any(&["ile lat", "wiek", "how old", " age"])
        || (q.starts_with("ile ") && q.contains(" lat"))
    {
        Asks::Age
    } else if any(&["płeć", "gender"])
        || (q.contains("kobieta") && q.contains("mężczyzna"))
        || (q.contains("woman") && q.contains(" man"))
    {
        Asks::Gender
    } else if any(&[
        "kim jest",
        "kim dla",
        "who is",
        "relationship",
        "relacj",
        "dla kogo",
    ]) {
        Asks::Relationship
    } else {
        Asks::Other
    }
}

/// Answers as the persona would.
pub struct PersonaScript {
    persona: Persona,
    untold: VecDeque<String>,
}

impl PersonaScript {
    pub fn new(persona: Persona) -> Self {
        let untold = persona.says.about.iter().cloned().collect();
        Self { persona, untold }
    }

    /// The suggestion sharing the most word stems with `text`, if it shares any.
    fn closest<'s>(suggestions: &'s [String], stems: &[String]) -> Option<&'s String> {
        suggestions
            .iter()
            .map(|s| {
                let lower = s.to_lowercase();
                (
                    stems
                        .iter()
                        .filter(|stem| lower.contains(stem.as_str()))
                        .count(),
                    s,
                )
            })
            .filter(|(hits, _)| *hits > 0)
            .max_by_key(|(hits, _)| *hits)
            .map(|(_, s)| s)
    }

    /// The suggested age bracket holding the persona's age ("26–35", "od 26 do 35 lat",
    /// "65+"), if one does.
    fn age_bracket<'s>(&self, suggestions: &'s [String]) -> Option<&'s String> {
        let age = self.persona.age;
        suggestions.iter().find(|s| {
            let numbers: Vec<u32> = s
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            match numbers.as_slice() {
                [from, to] => (*from..=*to).contains(&age),
                [from]
                    if ["+", "powyżej", "ponad", "over"]
                        .iter()
                        .any(|w| s.contains(w)) =>
                {
                    age >= *from
                }
                [below]
                    if ["poniżej", "mniej niż", "under"]
                        .iter()
                        .any(|w| s.contains(w)) =>
                {
                    age < *below
                }
                _ => false,
            }
        })
    }

    fn told(&self, asked: Asks) -> Option<&String> {
        let says = &self.persona.says;
        match asked {
            Asks::Relationship => Some(&says.relationship),
            Asks::Gender => Some(&says.gender),
            Asks::Age => Some(&says.age),
            Asks::Owns => Some(&says.owns),
            Asks::Dislikes => Some(&says.dislikes),
            Asks::Other => None,
        }
    }
}

/// Stems (of four letters or more) of a dislike sentence that say how, not what ("Nie lubi …", "She doesn't like …").
const NOT_A_TOPIC: &[&str] = &[
    "lubi", "przep", "cierp", "znosi", "dosta", "preze", "rzecz", "typu", "doesn", "like", "likes",
    "hates", "don't", "gift", "gifts", "anyth", "thing",
];

/// Word stems of a sentence (its words cut to five letters), for matching suggestions.
fn stems(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| w.chars().take(5).collect())
        .collect()
}

impl AnswerScript for PersonaScript {
    fn answer(&mut self, question: &str, suggestions: &[String]) -> String {
        let asked = asks(question);
        if asked == Asks::Age {
            return self
                .age_bracket(suggestions)
                .unwrap_or(&self.persona.says.age)
                .clone();
        }
        if let Some(text) = self.told(asked) {
            // A fact about the recipient: click the suggestion that says it, or type it.
            return Self::closest(suggestions, &stems(text))
                .unwrap_or(text)
                .clone();
        }
        // Asked about something the recipient dislikes ("Czy lubi gotować?"): say so.
        let disliked = stems(&self.persona.says.dislikes);
        let question_stems = stems(question);
        if disliked
            .iter()
            .filter(|stem| stem.chars().count() >= 4 && !NOT_A_TOPIC.contains(&stem.as_str()))
            .any(|stem| question_stems.contains(stem))
        {
            return self.persona.says.dislikes.clone();
        }
        if let Some(choice) = Self::closest(suggestions, &self.persona.picks) {
            return choice.clone();
        }
        // Nothing offered fits: tell the next thing about the recipient, as people do.
        self.untold
            .pop_front()
            .unwrap_or_else(|| self.persona.says.nothing.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_persona_reads_and_names_known_interests() {
        let personas = bundled().unwrap();
        assert!(personas.len() >= 30, "{} personas", personas.len());
        let interests: serde_json::Value =
            serde_json::from_str(include_str!("../../../actors/src/knowledge/interests.json"))
                .unwrap();
        let known: Vec<&str> = interests
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["id"].as_str())
            .collect();
        let mut ids = std::collections::HashSet::new();
        for persona in &personas {
            assert!(ids.insert(&persona.id), "{} twice", persona.id);
            assert!(persona.budget.min < persona.budget.max, "{}", persona.id);
            assert!(!persona.judge.fits.is_empty(), "{}", persona.id);
            for fit in &persona.judge.fits {
                assert!(known.contains(&fit.as_str()), "{}: {fit}", persona.id);
            }
        }
    }

    #[test]
    fn questions_are_read_for_what_they_ask() {
        assert_eq!(asks("Czego raczej nie lubi?"), Asks::Dislikes);
        assert_eq!(asks("Co już ma z tych rzeczy?"), Asks::Owns);
        assert_eq!(asks("How old is she?"), Asks::Age);
        assert_eq!(asks("Kim jest dla Ciebie ta osoba?"), Asks::Relationship);
        assert_eq!(asks("Czy lubi gotować?"), Asks::Other);
        assert_eq!(
            asks("Czy to kobieta, mężczyzna, dziewczynka czy chłopiec?"),
            Asks::Gender
        );
    }
}
