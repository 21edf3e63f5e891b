//! The interest taxonomy (`interests.json`): each interest with the life area it belongs to,
//! the Polish and English words that reveal it, the product categories its gifts fall into,
//! gift ideas and marketplace search queries.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::intensity::{self, Intensity};
use super::{life_stage, text};
use crate::vocabulary::RecipientProfile;

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

/// The name in the other language of a gift idea that `phrase` names: "bike computer" (in
/// "GPS bike computer") is "licznik rowerowy z GPS", "kask" (in "kask rowerowy") is "cycling
/// helmet". An idea is named when it holds every word of `phrase` and they share the word
/// saying what the thing is (the last English word, the first Polish one).
pub fn counterparts(phrase: &str) -> Vec<&'static str> {
    let said = text::terms(phrase);
    let names = |idea: &[String], head: fn(&[String]) -> Option<&String>| {
        let within = said
            .iter()
            .all(|s| idea.iter().any(|i| text::stems_match(s, i)));
        within
            && head(&said)
                .zip(head(idea))
                .is_some_and(|(a, b)| text::stems_match(a, b))
    };
    let mut found: Vec<&'static str> = Vec::new();
    for pair in idea_pairs() {
        let counterpart = if names(&pair.english_terms, |t| t.last()) {
            pair.polish
        } else if names(&pair.polish_terms, |t| t.first()) {
            pair.english
        } else {
            continue;
        };
        if !found.contains(&counterpart) {
            found.push(counterpart);
        }
    }
    found
}

/// A gift idea in both languages, with the terms of each (computed once: the scorer asks for
/// counterparts while filtering every product).
struct IdeaPair {
    polish: &'static str,
    english: &'static str,
    polish_terms: Vec<String>,
    english_terms: Vec<String>,
}

fn idea_pairs() -> &'static [IdeaPair] {
    static PAIRS: OnceLock<Vec<IdeaPair>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        all()
            .iter()
            .flat_map(|interest| interest.ideas_pl.iter().zip(&interest.ideas_en))
            .map(|(polish, english)| IdeaPair {
                polish,
                english,
                polish_terms: text::terms(polish),
                english_terms: text::terms(english),
            })
            .collect()
    })
}

/// An interest the profile reveals, with how much it counts.
#[derive(Debug, Clone)]
pub struct StatedInterest {
    pub interest: &'static Interest,
    pub weight: f64,
}

/// How much one mention of an interest counts, by where it was found. A gift idea the person
/// chose in the interview is both a key theme and a missing item, so the interest it belongs to
/// counts for both.
const THEME_WEIGHT: f64 = 3.0;
const MISSING_WEIGHT: f64 = 2.0;
const DESCRIPTION_WEIGHT: f64 = 1.5;
const FACT_WEIGHT: f64 = 1.0;

/// The interests the key themes, the profile and the facts reveal, in the order first found,
/// each weighted by where it was found (a key theme counts 3, a missing item 2, a description
/// 1.5, a fact 1), by how many of its keywords each text holds, and by how strongly it was
/// stated: the weight is multiplied by the [`Intensity`] of the sentences of the descriptions
/// and facts revealing it, so that someone who races in marathons outranks a mention of
/// reading. A sentence that names no interest ("Startuje w zawodach.") speaks of those of the
/// sentence just before it. Key themes and missing items name interests and things (the
/// interviewer fills them with the taxonomy's labels and gift ideas) and say nothing of how
/// strongly.
pub fn stated(
    profile: &RecipientProfile,
    key_themes: &[String],
    facts: &[String],
) -> Vec<StatedInterest> {
    let descriptions = [
        &profile.lifestyle_description,
        &profile.preferences_description,
        &profile.recent_life_description,
    ];
    // (text, weight, whether it is said in sentences that can tell how strongly)
    let sources = key_themes
        .iter()
        .map(|t| (t.as_str(), THEME_WEIGHT, false))
        .chain(
            descriptions
                .into_iter()
                .filter_map(|d| d.as_deref())
                .map(|d| (d, DESCRIPTION_WEIGHT, true)),
        )
        .chain(
            profile
                .possessions
                .what_is_missing
                .iter()
                .map(|m| (m.as_str(), MISSING_WEIGHT, false)),
        )
        .chain(facts.iter().map(|f| (f.as_str(), FACT_WEIGHT, true)));
    let mut found: Vec<(StatedInterest, Intensity)> = Vec::new();
    for (source, weight, sentences) in sources {
        for m in detect(source) {
            let strength = 1.0 + 0.2 * (m.keywords.len().min(4) as f64 - 1.0);
            match found
                .iter_mut()
                .find(|(s, _)| s.interest.id == m.interest.id)
            {
                Some((entry, _)) => entry.weight += weight * strength,
                None => found.push((
                    StatedInterest {
                        interest: m.interest,
                        weight: weight * strength,
                    },
                    Intensity::Mentioned,
                )),
            }
        }
        if !sentences {
            continue;
        }
        for (interest, said) in intensities(source) {
            if let Some((_, level)) = found.iter_mut().find(|(s, _)| s.interest.id == interest.id) {
                *level = level.with(said);
            }
        }
    }
    let mut stated: Vec<StatedInterest> = found
        .into_iter()
        .map(|(mut stated, intensity)| {
            stated.weight *= intensity.factor();
            stated
        })
        .collect();
    add_life_stage_interest(profile, &mut stated);
    stated
}

/// A child's age is an interest of its own: whatever else they like, a toddler's gifts are
/// a baby's things and a school child's are toys. The stage's interest (from
/// [`life_stage::interest_for`]) leads a toddler's interests (half as strong again as the
/// strongest, at least a key theme's weight) and counts as a description for an older child.
fn add_life_stage_interest(profile: &RecipientProfile, stated: &mut Vec<StatedInterest>) {
    let age_range = profile.personal_info_description.age_range.as_deref();
    let Some((id, for_toddler)) = life_stage::interest_for(age_range) else {
        return;
    };
    let Some(interest) = by_id(id) else {
        return;
    };
    let strongest = stated.iter().map(|s| s.weight).fold(0.0, f64::max);
    let weight = if for_toddler {
        strongest.max(THEME_WEIGHT) * 1.5
    } else {
        DESCRIPTION_WEIGHT
    };
    match stated.iter_mut().find(|s| s.interest.id == interest.id) {
        Some(entry) => entry.weight = entry.weight.max(weight),
        None => stated.push(StatedInterest { interest, weight }),
    }
}

/// The interests each sentence of `source` reveals, with the sentence's intensity; a sentence
/// revealing none lends its intensity to those of the sentence just before it.
fn intensities(source: &str) -> Vec<(&'static Interest, Intensity)> {
    let mut said = Vec::new();
    let mut previous: Vec<&'static Interest> = Vec::new();
    for sentence in intensity::sentences(source) {
        let terms = text::terms(sentence);
        let revealed: Vec<&'static Interest> =
            detect_in_terms(&terms).iter().map(|m| m.interest).collect();
        let subject = if revealed.is_empty() {
            std::mem::take(&mut previous)
        } else {
            previous = revealed.clone();
            revealed
        };
        let level = Intensity::of_terms(&terms);
        said.extend(subject.into_iter().map(|interest| (interest, level)));
    }
    said
}

/// The interests revealed by `text`, most strongly revealed first.
pub fn detect(text: &str) -> Vec<InterestMatch> {
    detect_in_terms(&text::terms(text))
}

/// [`detect`] on text already reduced to terms.
///
/// Looks each term up in [`KeywordIndex`] instead of trying every keyword of the taxonomy
/// at every position: the scorer runs this on every product of every search.
pub fn detect_in_terms(terms: &[String]) -> Vec<InterestMatch> {
    let interests = all();
    let index = keyword_index();
    // (interest, keyword) positions in the taxonomy: the order `matches_in` reports them in.
    let mut matched: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (start, term) in terms.iter().enumerate() {
        for &(interest, keyword) in index.candidates(term) {
            let phrase = &interests[interest].keyword_terms[keyword];
            let window = terms.get(start..start + phrase.len());
            if window.is_some_and(|w| w.iter().zip(phrase).all(|(t, p)| text::stems_match(t, p))) {
                matched.insert((interest, keyword));
            }
        }
    }
    let mut found: Vec<InterestMatch> = Vec::new();
    for (interest, keyword) in matched {
        let keyword = interests[interest].keywords[keyword].as_str();
        match found.last_mut() {
            Some(last) if std::ptr::eq(last.interest, &interests[interest]) => {
                last.keywords.push(keyword)
            }
            _ => found.push(InterestMatch {
                interest: &interests[interest],
                keywords: vec![keyword],
            }),
        }
    }
    found.sort_by_key(|m| std::cmp::Reverse(m.keywords.len()));
    found
}

/// The keywords of the taxonomy by the first term of each, under a key that two matching
/// stems always share: [`text::stems_match`] holds for equal stems or, when both are at
/// least four bytes long, for one being a prefix of the other; so the first four bytes (the
/// whole stem when shorter) are the key.
struct KeywordIndex {
    by_key: HashMap<Vec<u8>, Vec<(usize, usize)>>,
}

impl KeywordIndex {
    fn key(stem: &str) -> &[u8] {
        let bytes = stem.as_bytes();
        &bytes[..bytes.len().min(4)]
    }

    fn candidates(&self, term: &str) -> &[(usize, usize)] {
        self.by_key.get(Self::key(term)).map_or(&[], Vec::as_slice)
    }
}

static KEYWORD_INDEX: OnceLock<KeywordIndex> = OnceLock::new();

fn keyword_index() -> &'static KeywordIndex {
    KEYWORD_INDEX.get_or_init(|| {
        let mut by_key: HashMap<Vec<u8>, Vec<(usize, usize)>> = HashMap::new();
        for (i, interest) in all().iter().enumerate() {
            for (k, phrase) in interest.keyword_terms.iter().enumerate() {
                if let Some(first) = phrase.first() {
                    by_key
                        .entry(KeywordIndex::key(first).to_vec())
                        .or_default()
                        .push((i, k));
                }
            }
        }
        KeywordIndex { by_key }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thing_is_found_under_its_name_in_the_other_language() {
        let bike_computer = counterparts("a bike computer");
        assert!(
            bike_computer
                .iter()
                .any(|c| c.starts_with("licznik rowerowy")),
            "{bike_computer:?}"
        );
        let helmet = counterparts("kask");
        assert!(helmet.contains(&"cycling helmet"), "{helmet:?}");
        assert!(
            counterparts("books").iter().all(|c| !c.contains("lampk")),
            "a book light is no book"
        );
        assert!(counterparts("").is_empty());
    }
    use crate::vocabulary::CATEGORIES;

    /// Every keyword tried at every position, as `detect_in_terms` did before its index.
    fn detect_naively(terms: &[String]) -> Vec<(String, Vec<String>)> {
        let mut found: Vec<InterestMatch> = all()
            .iter()
            .filter_map(|interest| {
                let keywords = interest.matches_in(terms);
                (!keywords.is_empty()).then_some(InterestMatch { interest, keywords })
            })
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse(m.keywords.len()));
        summary(found)
    }

    fn summary(found: Vec<InterestMatch>) -> Vec<(String, Vec<String>)> {
        found
            .into_iter()
            .map(|m| {
                let keywords = m.keywords.iter().map(|k| k.to_string()).collect();
                (m.interest.id.clone(), keywords)
            })
            .collect()
    }

    #[test]
    fn the_keyword_index_finds_what_trying_every_keyword_finds() {
        let mut texts: Vec<String> = vec![
            "Biega maratony, pije dużo kawy i gra na konsoli".into(),
            "kołowrotek karpiowy z wolnym biegiem".into(),
            "She loves gardening, board games and hiking in the mountains".into(),
        ];
        for interest in all() {
            texts.push(interest.keywords.join(" "));
            texts.push(interest.ideas_pl.join(", "));
            texts.push(interest.queries.join(" i "));
        }
        let mut matched = 0;
        for text in &texts {
            let terms = text::terms(text);
            let indexed = summary(detect_in_terms(&terms));
            assert_eq!(indexed, detect_naively(&terms), "{text}");
            matched += indexed.len();
        }
        assert!(matched > all().len(), "the texts reveal interests");
    }

    fn profile(description: &str, missing: &[&str]) -> RecipientProfile {
        RecipientProfile {
            lifestyle_description: Some(description.to_owned()),
            possessions: crate::vocabulary::Possessions {
                what_already_has: Vec::new(),
                what_is_missing: missing.iter().map(|m| (*m).to_owned()).collect(),
            },
            ..RecipientProfile::default()
        }
    }

    fn weights(found: Vec<StatedInterest>) -> Vec<(&'static str, f64)> {
        found
            .into_iter()
            .map(|s| (s.interest.id.as_str(), s.weight))
            .collect()
    }

    #[test]
    fn stated_interests_weigh_by_where_they_were_found() {
        let profile = profile("Czyta książki.", &["kamizelka biegowa"]);
        let themes = vec!["kawa".to_owned()];
        let facts = vec!["Gra w szachy".to_owned()];
        let found = weights(stated(&profile, &themes, &facts));
        let ids: Vec<&str> = found.iter().map(|(id, _)| *id).collect();
        assert_eq!(
            ids,
            ["coffee", "reading", "running", "board_games"],
            "{found:?}"
        );
        let weight = |id: &str| found.iter().find(|(i, _)| *i == id).map(|(_, w)| *w);
        assert!(weight("coffee") > weight("running"), "{found:?}");
        assert!(weight("running") > weight("reading"), "{found:?}");
        assert!(weight("reading") > weight("board_games"), "{found:?}");
        assert!(stated(&RecipientProfile::default(), &[], &[]).is_empty());
    }

    #[test]
    fn an_interest_found_again_or_by_more_keywords_counts_more() {
        let themes = vec!["bieganie".to_owned()];
        let once = weights(stated(&profile("Pije kawę.", &[]), &themes, &[]));
        let again = weights(stated(&profile("Biega maratony.", &[]), &themes, &[]));
        assert!(again[0].1 > once[0].1, "{once:?} {again:?}");
    }

    fn rank(found: &[(&'static str, f64)], id: &str) -> Option<usize> {
        let mut sorted = found.to_vec();
        sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
        sorted.iter().position(|(i, _)| *i == id)
    }

    #[test]
    fn a_runner_who_races_outranks_a_mention_of_reading() {
        let profile = profile("Czyta książki. Startuje w maratonach.", &[]);
        let found = weights(stated(&profile, &[], &[]));
        assert_eq!(rank(&found, "running"), Some(0), "{found:?}");
        assert_eq!(rank(&found, "reading"), Some(1), "{found:?}");
        // The same with the interests named as key themes too, as the interviewer does.
        let themes = vec!["Czytanie".to_owned(), "Bieganie".to_owned()];
        let found = weights(stated(&profile, &themes, &[]));
        assert_eq!(rank(&found, "running"), Some(0), "{found:?}");
        // A key theme names the interest and says nothing of how strongly.
        let themes = vec!["maraton".to_owned()];
        let found = weights(stated(&RecipientProfile::default(), &themes, &[]));
        assert_eq!(found, [("running", THEME_WEIGHT)]);
    }

    #[test]
    fn a_regular_hobby_outranks_a_mention_and_an_occasional_one() {
        let profile = profile(
            "Rzadko gotuje. Ogląda seriale. Co weekend jeździ na rowerze.",
            &[],
        );
        let found = weights(stated(&profile, &[], &[]));
        let order: Vec<Option<usize>> = ["cycling", "movies", "cooking"]
            .iter()
            .map(|id| rank(&found, id))
            .collect();
        assert_eq!(order, [Some(0), Some(1), Some(2)], "{found:?}");
    }

    #[test]
    fn english_statements_weigh_alike() {
        let profile = profile(
            "She reads novels. She loves gardening. He competes in chess tournaments.",
            &[],
        );
        let found = weights(stated(&profile, &[], &[]));
        let order: Vec<Option<usize>> = ["board_games", "gardening", "reading"]
            .iter()
            .map(|id| rank(&found, id))
            .collect();
        assert_eq!(order, [Some(0), Some(1), Some(2)], "{found:?}");
    }

    #[test]
    fn a_sentence_naming_no_interest_speaks_of_the_one_before() {
        // Fixed answers of the interviewer, one sentence each.
        let answers = profile(
            "Czyta kryminały. Gra na gitarze. Startuje w zawodach. Pracuje w banku.",
            &[],
        );
        let found = weights(stated(&answers, &[], &[]));
        assert_eq!(rank(&found, "instruments"), Some(0), "{found:?}");
        let weight = |id: &str| found.iter().find(|(i, _)| *i == id).map(|(_, w)| *w);
        let plain = weights(stated(&profile("Gra na gitarze.", &[]), &[], &[]));
        assert!(
            weight("instruments") > plain.first().map(|(_, w)| *w),
            "{found:?}"
        );
    }

    #[test]
    fn a_young_childs_stage_of_life_is_among_its_interests() {
        let aged = |age: &str| {
            let mut child = profile("Lubi muzykę i klocki.", &[]);
            child.personal_info_description.age_range = Some(age.to_owned());
            weights(stated(&child, &[], &[]))
        };
        let toddler = aged("0-2");
        assert_eq!(rank(&toddler, "babies"), Some(0), "{toddler:?}");
        let school_child = aged("3-12");
        assert!(
            rank(&school_child, "kids_toys").is_some(),
            "{school_child:?}"
        );
        assert_ne!(
            rank(&school_child, "kids_toys"),
            Some(0),
            "{school_child:?}"
        );
        let adult = aged("26-35");
        assert_eq!(rank(&adult, "babies"), None);
        assert_eq!(rank(&adult, "kids_toys"), None);
    }

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

    #[test]
    fn detects_each_interest_from_a_typical_sentence() {
        let cases: &[(&str, &str)] = &[
            ("W weekendy jeździ na rowerze po górach", "cycling"),
            ("Ma dwa koty", "cats"),
            ("He plays chess and Catan with friends", "board_games"),
            (
                "Uwielbia biegać, w zeszłym roku przebiegła maraton",
                "running",
            ),
            ("Codziennie chodzi na siłownię", "fitness"),
            ("Od lat ćwiczy jogę i medytuje", "yoga"),
            ("Dwa razy w tygodniu pływa na basenie", "swimming"),
            (
                "Jest zagorzałym kibicem i ogląda wszystkie mecze",
                "football",
            ),
            ("Gra w tenisa w każdą sobotę", "tennis"),
            ("Co roku jeździ na narty w Alpy", "winter_sports"),
            ("Chodzi na ściankę wspinaczkową", "climbing"),
            (
                "Latem chodzi po górach, zdobył już wszystkie szczyty w Tatrach",
                "hiking",
            ),
            ("Lubi spać pod namiotem i siedzieć przy ognisku", "camping"),
            ("Jeździ na ryby nad jezioro", "fishing"),
            ("Całe dnie spędza w ogrodzie", "gardening"),
            ("Ma mnóstwo roślin doniczkowych", "houseplants"),
            ("Właśnie urządza nowe mieszkanie", "home_decor"),
            (
                "Ma warsztat w garażu i sam robi meble z drewna",
                "diy_tools",
            ),
            ("Uwielbia gotować dla znajomych", "cooking"),
            ("Piecze chleb na zakwasie", "baking"),
            ("Latem grilluje co weekend", "grilling"),
            ("Nie wyobraża sobie dnia bez kawy", "coffee"),
            ("Pije tylko herbaty liściaste", "tea"),
            ("Zna się na winach", "wine"),
            ("Kolekcjonuje whisky", "spirits"),
            ("Jest łasuchem, kocha czekoladę", "sweets"),
            ("Po pracy gra na konsoli", "video_games"),
            ("Układa puzzle po 2000 elementów", "puzzles"),
            ("Buduje z klocków LEGO", "lego"),
            ("Czyta po kilka książek miesięcznie", "reading"),
            ("Prowadzi dziennik i pisze wiersze", "writing"),
            ("Fotografuje ptaki swoim aparatem", "photography"),
            ("Maluje akwarele", "art"),
            ("Robi na drutach swetry dla całej rodziny", "crafts"),
            ("Słucha muzyki na winylach", "music"),
            ("Gra na gitarze w zespole", "instruments"),
            ("Wieczorami ogląda seriale", "movies"),
            ("Chodzi do teatru kilka razy w miesiącu", "theatre"),
            ("Uwielbia podróżować i odkrywać nowe miejsca", "travel"),
            ("Uczy się hiszpańskiego", "languages"),
            ("Pasjonuje się historią II wojny światowej", "history"),
            ("Ma teleskop i obserwuje gwiazdy", "science"),
            ("Pracuje jako programista", "programming"),
            ("Zawsze ma najnowsze gadżety", "gadgets"),
            (
                "Ma w domu inteligentne oświetlenie i asystenta głosowego",
                "smart_home",
            ),
            ("Śledzi trendy modowe i kupuje dużo ciuchów", "fashion"),
            ("Uwielbia srebrną biżuterię", "jewelry"),
            ("Kolekcjonuje zegarki mechaniczne", "watches"),
            ("Interesuje się kosmetykami i pielęgnacją twarzy", "beauty"),
            ("Ma całą kolekcję perfum", "perfume"),
            ("Potrzebuje relaksu, lubi spa i masaże", "wellness"),
            ("Ma psa, codziennie chodzą na długie spacery", "dogs"),
            ("Jeździ na motocyklu", "motorcycles"),
            ("Interesuje się motoryzacją i Formułą 1", "cars"),
            ("Prezent dla 5-latka, który uwielbia zabawki", "kids_toys"),
            ("Została mamą w zeszłym miesiącu", "babies"),
            ("Pracuje zdalnie i szuka czegoś na biurko", "work_office"),
            ("She runs half marathons", "running"),
            ("He is a keen cyclist", "cycling"),
            ("She loves gardening and her roses", "gardening"),
            ("He is a huge football fan", "football"),
            ("She's a coffee lover", "coffee"),
            ("He's into craft beer and homebrewing", "beer"),
            ("My brother is a gamer", "video_games"),
            ("She's a bookworm who loves novels", "reading"),
            ("He loves photography and old film cameras", "photography"),
            ("She knits and crochets", "crafts"),
            ("He plays guitar in a band", "instruments"),
            ("She loves travelling and exploring new cities", "travel"),
            ("He is a software developer", "programming"),
            ("She has a golden retriever puppy", "dogs"),
            ("Our daughter is a toddler", "kids_toys"),
            ("They are expecting a baby", "babies"),
            ("He goes camping every summer", "camping"),
            ("She loves going to the theatre", "theatre"),
            ("He is a big wine lover", "wine"),
            ("She does yoga every morning", "yoga"),
            ("He loves cars and watches Formula 1", "cars"),
            ("She loves musicals", "theatre"),
            ("Uwielbia musicale", "theatre"),
            ("Jeździ na nartach biegowych", "winter_sports"),
            ("He hikes in the mountains every weekend", "hiking"),
            ("Jest mistrzynią sudoku i krzyżówek", "puzzles"),
            (
                "She loves scented candles and cozy home decor",
                "home_decor",
            ),
            ("Spodziewają się dziecka", "babies"),
            ("He works out at the gym every day", "fitness"),
            ("He studies computer science", "programming"),
        ];
        for (text, expected) in cases {
            assert!(by_id(expected).is_some(), "unknown interest {expected}");
            let found = detect(text);
            let ids: Vec<&str> = found.iter().map(|m| m.interest.id.as_str()).collect();
            let position = ids.iter().position(|id| id == expected);
            assert!(
                matches!(position, Some(0 | 1)),
                "{text:?}: expected {expected} among the top two, found {ids:?}"
            );
        }
        for interest in all() {
            assert!(
                cases.iter().any(|(_, expected)| *expected == interest.id),
                "no sentence for {}",
                interest.id
            );
        }

        // Everyday sentences that say nothing about hobbies must not light up the taxonomy.
        let neutral = [
            "Lubi spędzać czas z rodziną",
            "Pracuje w banku",
            "Ma 40 lat i mieszka w Krakowie",
            "Szukam prezentu na urodziny dla mamy",
            "W marcu kończy pięćdziesiąt lat",
            "Naprawdę nie wiem, co mu kupić",
            "Ma plany na przyszły rok",
            "Jest gotowy na wszystko",
            "To nasz przyjaciel od lat",
            "He works at a bank",
            "She is a very kind person",
            "He is ready for retirement",
        ];
        for text in neutral {
            let found = detect(text);
            let matched: Vec<(&str, &[&str])> = found
                .iter()
                .map(|m| (m.interest.id.as_str(), m.keywords.as_slice()))
                .collect();
            assert!(found.len() <= 1, "{text:?} detected {matched:?}");
        }
    }
}
