//! The interest taxonomy (`interests.json`): each interest with the life area it belongs to,
//! the Polish and English words that reveal it, the product categories its gifts fall into,
//! gift ideas and marketplace search queries.

use std::sync::OnceLock;

use serde::Deserialize;

use super::text;

/// The areas of life an interview explores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifeArea {
    Hobbies,
    Sport,
    Outdoors,
    Home,
    FoodDrink,
    Travel,
    Culture,
    Tech,
    Work,
    Fashion,
    Beauty,
    Wellness,
    Pets,
    Kids,
    Learning,
}

impl LifeArea {
    pub const ALL: [LifeArea; 15] = [
        LifeArea::Hobbies,
        LifeArea::Sport,
        LifeArea::Outdoors,
        LifeArea::Home,
        LifeArea::FoodDrink,
        LifeArea::Travel,
        LifeArea::Culture,
        LifeArea::Tech,
        LifeArea::Work,
        LifeArea::Fashion,
        LifeArea::Beauty,
        LifeArea::Wellness,
        LifeArea::Pets,
        LifeArea::Kids,
        LifeArea::Learning,
    ];
}

#[derive(Debug, Deserialize)]
pub struct Interest {
    /// Stable identifier, e.g. `running`, `coffee`.
    pub id: String,
    pub area: LifeArea,
    pub label_pl: String,
    pub label_en: String,
    /// Words and short phrases, Polish and English, that reveal the interest in free text.
    pub keywords: Vec<String>,
    /// Product categories (from `vocabulary::CATEGORIES`) its gifts usually fall into.
    pub categories: Vec<String>,
    /// Gift ideas as short noun phrases.
    pub ideas_pl: Vec<String>,
    pub ideas_en: Vec<String>,
    /// Marketplace search queries in Polish, at most five words each.
    pub queries: Vec<String>,
    #[serde(skip)]
    keyword_terms: Vec<Vec<String>>,
}

impl Interest {
    pub fn label(&self, locale: crate::vocabulary::Locale) -> &str {
        match locale {
            crate::vocabulary::Locale::Pl => &self.label_pl,
            crate::vocabulary::Locale::En => &self.label_en,
        }
    }

    pub fn ideas(&self, locale: crate::vocabulary::Locale) -> &[String] {
        match locale {
            crate::vocabulary::Locale::Pl => &self.ideas_pl,
            crate::vocabulary::Locale::En => &self.ideas_en,
        }
    }

    /// The keywords of this interest found in `terms` (stems of some text).
    pub fn matches_in(&self, terms: &[String]) -> Vec<&str> {
        self.keywords
            .iter()
            .zip(&self.keyword_terms)
            .filter(|(_, phrase)| text::contains_phrase(terms, phrase))
            .map(|(keyword, _)| keyword.as_str())
            .collect()
    }
}

/// An interest found in a text, with the keywords that revealed it.
#[derive(Debug, Clone)]
pub struct InterestMatch {
    pub interest: &'static Interest,
    pub keywords: Vec<&'static str>,
}

static TAXONOMY: OnceLock<Vec<Interest>> = OnceLock::new();

/// Every interest of the taxonomy.
pub fn all() -> &'static [Interest] {
    TAXONOMY.get_or_init(|| {
        let mut interests: Vec<Interest> =
            match serde_json::from_str(include_str!("interests.json")) {
                Ok(interests) => interests,
                Err(error) => {
                    log::error!("the bundled interest taxonomy is malformed: {error}");
                    Vec::new()
                }
            };
        for interest in &mut interests {
            interest.keyword_terms = interest.keywords.iter().map(|k| text::terms(k)).collect();
        }
        interests
    })
}

pub fn by_id(id: &str) -> Option<&'static Interest> {
    all().iter().find(|i| i.id == id)
}

/// The interests revealed by `text`, most strongly revealed first.
pub fn detect(text: &str) -> Vec<InterestMatch> {
    detect_in_terms(&text::terms(text))
}

/// [`detect`] on text already reduced to terms.
pub fn detect_in_terms(terms: &[String]) -> Vec<InterestMatch> {
    let mut found: Vec<InterestMatch> = all()
        .iter()
        .filter_map(|interest| {
            let keywords = interest.matches_in(terms);
            (!keywords.is_empty()).then_some(InterestMatch { interest, keywords })
        })
        .collect();
    found.sort_by(|a, b| b.keywords.len().cmp(&a.keywords.len()));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::CATEGORIES;

    #[test]
    fn the_taxonomy_parses_and_is_consistent() {
        let interests = all();
        assert!(!interests.is_empty());
        let mut ids: Vec<&str> = interests.iter().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), interests.len(), "interest ids are unique");
        for interest in interests {
            assert!(
                !interest.keywords.is_empty(),
                "{} has keywords",
                interest.id
            );
            assert!(!interest.queries.is_empty(), "{} has queries", interest.id);
            for category in &interest.categories {
                assert!(
                    CATEGORIES.contains(&category.as_str()),
                    "{}: unknown category {category}",
                    interest.id
                );
            }
            for query in &interest.queries {
                assert!(
                    query.split_whitespace().count() <= 5,
                    "{}: query too long: {query}",
                    interest.id
                );
            }
        }
    }

    #[test]
    fn detects_interests_in_polish_and_english_text() {
        let found = detect("Uwielbia biegać, co rano pije kawę");
        let ids: Vec<&str> = found.iter().map(|m| m.interest.id.as_str()).collect();
        assert!(ids.contains(&"running"), "{ids:?}");
        assert!(ids.contains(&"coffee"), "{ids:?}");
        let found = detect("She loves gardening and her roses");
        assert!(found.iter().any(|m| m.interest.id == "gardening"));
    }
}
