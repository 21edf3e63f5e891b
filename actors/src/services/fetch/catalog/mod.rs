//! The bundled product catalog: the offline marketplace.
//!
//! `products.json` holds gift products written for Present Finder (Polish and English titles
//! and descriptions, PLN prices, interest ids, search tags and, where a product is made for
//! one, the stage of life or the sex it is for). It is embedded in the binary, parsed once,
//! and searched locally with the shared Polish/English text analysis of
//! [`crate::knowledge::text`], so gift search works with no API keys and no network. A query
//! finds a product by the words of either language; the product is shown in the session's
//! language. Every product links to a real search for its Polish title on the marketplace it
//! is typically sold on.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::knowledge::text;
use crate::vocabulary::{Locale, Marketplace, Price, PriceRange, Product, ProductDetails};

/// The catalog's source, embedded at compile time.
const PRODUCTS_JSON: &str = include_str!("products.json");

/// How much a match in each field counts: title, tags, description.
const FIELD_WEIGHTS: [f64; FIELD_COUNT] = [3.0, 2.0, 1.0];
/// BM25 length normalisation per field: long titles and descriptions dilute a match, a long
/// list of tags barely does.
const FIELD_LENGTH_NORMALISATION: [f64; FIELD_COUNT] = [0.5, 0.3, 0.75];
/// The searched fields, in this order: title, tags, description.
const FIELD_COUNT: usize = 3;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// A product word extending the query's stem ("bieg" finds "biegacz") counts a little less than
/// the same stem...
const EXTENDED_MATCH: f64 = 0.8;
/// ...and a product word that is only a prefix of the query's stem ("ogrodnictwo" finds
/// "ogród", but also "kamizelka" finds "kamienie") counts much less.
const TRUNCATED_MATCH: f64 = 0.4;
/// Bonus factor when the whole query occurs as a phrase in the title or in one tag.
const PHRASE_BONUS: f64 = 1.25;

/// Where the web app serves the illustration of each category (`web/app/assets/illustrations`).
const ILLUSTRATIONS: &str = "/assets/illustrations/";

/// The marketplace a catalog product is typically sold on; its link searches there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Site {
    Allegro,
    Olx,
    Ebay,
    Amazon,
}

/// The stage of life a product is made for, when it is made for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LifeStage {
    Baby,
    Child,
    Teen,
    Senior,
}

/// The sex a product is made for, when it is made for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Gender {
    Female,
    Male,
}

/// One product of `products.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogEntry {
    id: String,
    /// Polish.
    title: String,
    /// Polish.
    description: String,
    title_en: String,
    description_en: String,
    /// In PLN.
    price: f64,
    /// One of [`crate::vocabulary::CATEGORIES`].
    category: String,
    /// Interest ids of the taxonomy (checked by the tests: every interest has gifts).
    #[cfg_attr(not(test), allow(dead_code))]
    interests: Vec<String>,
    /// Extra Polish and English search words.
    tags: Vec<String>,
    site: Site,
    #[serde(default)]
    life_stage: Option<LifeStage>,
    #[serde(default)]
    gender: Option<Gender>,
}

impl CatalogEntry {
    fn title_in(&self, locale: Locale) -> &str {
        match locale {
            Locale::Pl => &self.title,
            Locale::En => &self.title_en,
        }
    }

    fn description_in(&self, locale: Locale) -> &str {
        match locale {
            Locale::Pl => &self.description,
            Locale::En => &self.description_en,
        }
    }

    /// Who the product is made for, in words the description may lack: what its tags say,
    /// as a sentence a reader (and every check that reads the product's text for its
    /// audience) understands.
    fn audience_in(&self, locale: Locale) -> Vec<&'static str> {
        let stage = self.life_stage.map(|stage| match (stage, locale) {
            (LifeStage::Baby, Locale::Pl) => "Dla niemowląt.",
            (LifeStage::Baby, Locale::En) => "Made for infants.",
            (LifeStage::Child, Locale::Pl) => "Dla dzieci.",
            (LifeStage::Child, Locale::En) => "For kids.",
            (LifeStage::Teen, Locale::Pl) => "Dla nastolatków.",
            (LifeStage::Teen, Locale::En) => "For teens.",
            (LifeStage::Senior, Locale::Pl) => "Dla seniora.",
            (LifeStage::Senior, Locale::En) => "For seniors.",
        });
        let gender = self.gender.map(|gender| match (gender, locale) {
            (Gender::Female, Locale::Pl) => "Model damski.",
            (Gender::Female, Locale::En) => "For women.",
            (Gender::Male, Locale::Pl) => "Model męski.",
            (Gender::Male, Locale::En) => "For men.",
        });
        stage.into_iter().chain(gender).collect()
    }
}

/// A catalog entry with the stems its search compares, computed once.
#[derive(Debug)]
struct Indexed {
    entry: CatalogEntry,
    /// Stems of the title, the tags and the description, by field.
    fields: [Vec<String>; FIELD_COUNT],
    /// Stems of each tag on its own, for phrase matches.
    tag_phrases: Vec<Vec<String>>,
    /// Stems of the Polish and of the English title, for phrase matches.
    title_phrases: [Vec<String>; 2],
}

impl Indexed {
    fn new(entry: CatalogEntry) -> Self {
        let tag_phrases: Vec<Vec<String>> = entry.tags.iter().map(|t| text::terms(t)).collect();
        let title_phrases = [text::terms(&entry.title), text::terms(&entry.title_en)];
        let fields = [
            title_phrases.concat(),
            tag_phrases.concat(),
            [
                text::terms(&entry.description),
                text::terms(&entry.description_en),
            ]
            .concat(),
        ];
        Self {
            entry,
            fields,
            tag_phrases,
            title_phrases,
        }
    }

    /// How strongly `term` occurs in each field: 1 per equal stem, less per shared prefix.
    fn frequencies(&self, term: &str) -> [f64; FIELD_COUNT] {
        self.fields.each_ref().map(|field| {
            field
                .iter()
                .map(|stem| {
                    if stem == term {
                        1.0
                    } else if text::stems_match(stem, term) {
                        if stem.len() > term.len() {
                            EXTENDED_MATCH
                        } else {
                            TRUNCATED_MATCH
                        }
                    } else {
                        0.0
                    }
                })
                .sum()
        })
    }

    fn contains_phrase(&self, phrase: &[String]) -> bool {
        self.title_phrases
            .iter()
            .any(|title| text::contains_phrase(title, phrase))
            || self
                .tag_phrases
                .iter()
                .any(|tag| text::contains_phrase(tag, phrase))
    }

    /// The product as shown in a session in `locale`.
    fn to_product(&self, locale: Locale) -> Product {
        let entry = &self.entry;
        let own = entry.description_in(locale);
        let folded = text::fold(own);
        let description =
            std::iter::once(own)
                .chain(entry.audience_in(locale).into_iter().filter(|sentence| {
                    !folded.contains(&text::fold(sentence.trim_end_matches('.')))
                }))
                .collect::<Vec<_>>()
                .join(" ");
        Product {
            image: Some(illustration(&entry.category)),
            title: entry.title_in(locale).to_owned(),
            description,
            link: search_link(entry.site, &entry.title),
            price: Price::pln(entry.price),
            category: Some(entry.category.clone()),
            provider: Marketplace::Catalog,
            details: ProductDetails::default(),
        }
    }
}

/// The bundled catalog and its local search.
#[derive(Debug)]
pub struct Catalog {
    items: Vec<Indexed>,
    /// Mean number of stems per field, for BM25 length normalisation.
    average_lengths: [f64; FIELD_COUNT],
}

impl Catalog {
    /// The catalog embedded in the binary, parsed on first use. Empty (and logged) if the
    /// embedded JSON is malformed.
    pub fn bundled() -> &'static Catalog {
        static BUNDLED: OnceLock<Catalog> = OnceLock::new();
        BUNDLED.get_or_init(|| Self::from_json_or_empty(PRODUCTS_JSON))
    }

    /// The number of products.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The image URLs of the products (one illustration per category), sorted.
    pub fn images(&self) -> Vec<String> {
        let images: std::collections::BTreeSet<String> = self
            .items
            .iter()
            .map(|item| illustration(&item.entry.category))
            .collect();
        images.into_iter().collect()
    }

    /// The products best matching `query` whose price fits `price_range`, best first, at most
    /// `limit`. A product must match at least half of the query's terms (and at least one);
    /// title matches weigh more than tag matches, tag matches more than description matches,
    /// and rare terms more than common ones (BM25F). Ties are broken by the number of matched
    /// terms, then the lower price, then the id, so results are deterministic. The query may
    /// be in either language; the products are written in `locale`.
    pub fn search(
        &self,
        query: &str,
        price_range: PriceRange,
        limit: usize,
        locale: Locale,
    ) -> Vec<Product> {
        let mut terms = text::terms(query);
        let mut seen = HashSet::new();
        terms.retain(|term| seen.insert(term.clone()));
        if terms.is_empty() || limit == 0 || self.items.is_empty() {
            return Vec::new();
        }

        // Frequencies of every query term in every product: [product][term][field].
        let frequencies: Vec<Vec<[f64; FIELD_COUNT]>> = self
            .items
            .iter()
            .map(|item| terms.iter().map(|term| item.frequencies(term)).collect())
            .collect();
        let total = self.items.len() as f64;
        let idf: Vec<f64> = (0..terms.len())
            .map(|t| {
                let df = frequencies
                    .iter()
                    .filter(|per_term| per_term[t].iter().any(|&tf| tf > 0.0))
                    .count() as f64;
                (1.0 + (total - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        let required = terms.len().div_ceil(2).max(1);

        let mut hits: Vec<(f64, usize, &Indexed)> = self
            .items
            .iter()
            .zip(&frequencies)
            .filter(|(item, _)| price_range.admits(Some(item.entry.price)))
            .filter_map(|(item, per_term)| {
                let mut score = 0.0;
                let mut matched = 0;
                for (t, tf) in per_term.iter().enumerate() {
                    let weighted = self.weighted_frequency(item, tf);
                    if weighted > 0.0 {
                        matched += 1;
                        score += idf[t] * weighted * (K1 + 1.0) / (weighted + K1);
                    }
                }
                if matched < required {
                    return None;
                }
                score *= matched as f64 / terms.len() as f64;
                if terms.len() > 1 && item.contains_phrase(&terms) {
                    score *= PHRASE_BONUS;
                }
                Some((score, matched, item))
            })
            .collect();

        hits.sort_by(|(score_a, matched_a, a), (score_b, matched_b, b)| {
            score_b
                .total_cmp(score_a)
                .then(matched_b.cmp(matched_a))
                .then(
                    a.entry
                        .price
                        .partial_cmp(&b.entry.price)
                        .unwrap_or(Ordering::Equal),
                )
                .then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        hits.into_iter()
            .take(limit)
            .map(|(_, _, item)| item.to_product(locale))
            .collect()
    }

    /// BM25F: the field frequencies of one term, length-normalised and weighted by field.
    fn weighted_frequency(&self, item: &Indexed, tf: &[f64; FIELD_COUNT]) -> f64 {
        (0..FIELD_COUNT)
            .filter(|&f| tf[f] > 0.0)
            .map(|f| {
                let b = FIELD_LENGTH_NORMALISATION[f];
                let relative_length = if self.average_lengths[f] > 0.0 {
                    item.fields[f].len() as f64 / self.average_lengths[f]
                } else {
                    1.0
                };
                FIELD_WEIGHTS[f] * tf[f] / (1.0 - b + b * relative_length)
            })
            .sum()
    }

    fn from_json_or_empty(json: &str) -> Self {
        match serde_json::from_str::<Vec<CatalogEntry>>(json) {
            Ok(entries) => Self::from_entries(entries),
            Err(error) => {
                log::error!("the bundled product catalog is malformed, it stays empty: {error}");
                Self::from_entries(Vec::new())
            }
        }
    }

    fn from_entries(entries: Vec<CatalogEntry>) -> Self {
        let items: Vec<Indexed> = entries.into_iter().map(Indexed::new).collect();
        let mut average_lengths = [0.0; FIELD_COUNT];
        if !items.is_empty() {
            for (f, average) in average_lengths.iter_mut().enumerate() {
                let sum: usize = items.iter().map(|item| item.fields[f].len()).sum();
                *average = sum as f64 / items.len() as f64;
            }
        }
        Self {
            items,
            average_lengths,
        }
    }
}

/// The site-relative URL of the illustration of `category`: "Dom i Ogród" →
/// `/assets/illustrations/dom-i-ogrod.svg`.
fn illustration(category: &str) -> String {
    let folded = text::fold(category);
    let slug: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    format!("{ILLUSTRATIONS}{}.svg", slug.join("-"))
}

/// A search for `title` on `site`, the way the marketplace's own search box builds it.
fn search_link(site: Site, title: &str) -> String {
    let encoded = encode(title);
    match site {
        Site::Allegro => format!("https://allegro.pl/listing?string={encoded}"),
        Site::Olx => {
            let words: Vec<String> = title
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| !word.is_empty())
                .map(|word| encode(&word.to_lowercase()))
                .collect();
            format!("https://www.olx.pl/oferty/q-{}/", words.join("-"))
        }
        Site::Ebay => format!("https://www.ebay.pl/sch/i.html?_nkw={encoded}"),
        Site::Amazon => format!("https://www.amazon.pl/s?k={encoded}"),
    }
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::CATEGORIES;
    use std::collections::HashMap;

    /// The interest ids of the taxonomy (`knowledge/interests.json`).
    const INTEREST_IDS: [&str; 58] = [
        "running",
        "cycling",
        "fitness",
        "yoga",
        "swimming",
        "football",
        "tennis",
        "winter_sports",
        "climbing",
        "hiking",
        "camping",
        "fishing",
        "gardening",
        "houseplants",
        "home_decor",
        "diy_tools",
        "cooking",
        "baking",
        "grilling",
        "coffee",
        "tea",
        "wine",
        "beer",
        "spirits",
        "sweets",
        "board_games",
        "video_games",
        "puzzles",
        "lego",
        "reading",
        "writing",
        "photography",
        "art",
        "crafts",
        "music",
        "instruments",
        "movies",
        "theatre",
        "travel",
        "languages",
        "history",
        "science",
        "programming",
        "gadgets",
        "smart_home",
        "fashion",
        "jewelry",
        "watches",
        "beauty",
        "perfume",
        "wellness",
        "dogs",
        "cats",
        "cars",
        "motorcycles",
        "kids_toys",
        "babies",
        "work_office",
    ];

    fn catalog() -> &'static Catalog {
        Catalog::bundled()
    }

    fn entries() -> impl Iterator<Item = &'static CatalogEntry> {
        catalog().items.iter().map(|item| &item.entry)
    }

    fn any_price() -> PriceRange {
        PriceRange::default()
    }

    fn range(min: f64, max: f64) -> PriceRange {
        PriceRange {
            min_price: Some(min),
            max_price: Some(max),
        }
    }

    fn titles(products: &[Product]) -> Vec<&str> {
        products.iter().map(|p| p.title.as_str()).collect()
    }

    /// The catalog entry `product` was made from.
    fn entry_of(product: &Product) -> &'static CatalogEntry {
        entries()
            .find(|e| e.title == product.title)
            .expect("every product comes from an entry")
    }

    fn first_title(query: &str, price_range: PriceRange) -> String {
        let results = catalog().search(query, price_range, 10, Locale::Pl);
        assert!(!results.is_empty(), "no results for {query:?}");
        results[0].title.to_lowercase()
    }

    #[test]
    fn the_bundled_catalog_parses_with_at_least_560_products() {
        let parsed: Result<Vec<CatalogEntry>, _> = serde_json::from_str(PRODUCTS_JSON);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        assert!(catalog().len() >= 560, "only {} products", catalog().len());
        assert!(!catalog().is_empty());
    }

    #[test]
    fn ids_are_unique_kebab_case_slugs() {
        let mut seen = HashSet::new();
        for entry in entries() {
            assert!(seen.insert(entry.id.as_str()), "duplicate id {}", entry.id);
            assert!(
                !entry.id.is_empty()
                    && !entry.id.starts_with('-')
                    && !entry.id.ends_with('-')
                    && !entry.id.contains("--")
                    && entry
                        .id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "bad id {:?}",
                entry.id
            );
        }
    }

    #[test]
    fn titles_are_unique_and_texts_filled_in() {
        let mut seen = HashSet::new();
        for entry in entries() {
            assert!(
                seen.insert(entry.title.to_lowercase()),
                "duplicate title {}",
                entry.title
            );
            assert!(
                entry.title.chars().count() >= 8,
                "short title {}",
                entry.title
            );
            assert!(
                entry.description.chars().count() >= 20,
                "short description for {}",
                entry.id
            );
            assert!(!entry.tags.is_empty(), "no tags for {}", entry.id);
            assert!(!entry.interests.is_empty(), "no interests for {}", entry.id);
        }
    }

    /// The price tiers a gift search typically asks for.
    const PRICE_TIERS: [(f64, f64); 4] = [
        (0.0, 80.0),
        (80.0, 300.0),
        (300.0, 1000.0),
        (1000.0, f64::INFINITY),
    ];

    #[test]
    fn the_catalog_is_large_bilingual_gift_worthy_and_priced_for_every_budget() {
        assert!(catalog().len() >= 2000, "only {} products", catalog().len());
        let mut ids = HashSet::new();
        let mut english_titles = HashSet::new();
        let mut tiers: HashMap<&str, HashSet<usize>> = HashMap::new();
        for entry in entries() {
            assert!(ids.insert(entry.id.as_str()), "duplicate id {}", entry.id);
            for (text, what) in [
                (&entry.title, "Polish title"),
                (&entry.description, "Polish description"),
                (&entry.title_en, "English title"),
                (&entry.description_en, "English description"),
            ] {
                assert!(
                    text.trim().chars().count() >= 8,
                    "{}: {what} {text:?}",
                    entry.id
                );
            }
            assert_ne!(entry.title, entry.title_en, "{}: untranslated", entry.id);
            assert!(
                english_titles.insert(entry.title_en.to_lowercase()),
                "duplicate English title {}",
                entry.title_en
            );
            assert!(
                CATEGORIES.contains(&entry.category.as_str())
                    && !["Praca", "Nieruchomości", "Oddam za darmo"]
                        .contains(&entry.category.as_str()),
                "{}: {} is not a gift category",
                entry.id,
                entry.category
            );
            let tier = PRICE_TIERS
                .iter()
                .position(|&(low, high)| entry.price >= low && entry.price < high)
                .unwrap_or(PRICE_TIERS.len() - 1);
            for interest in &entry.interests {
                tiers.entry(interest.as_str()).or_default().insert(tier);
            }
        }
        for interest in INTEREST_IDS {
            let covered = tiers.get(interest).map_or(0, HashSet::len);
            assert!(
                covered >= 3,
                "{interest} has products in only {covered} price tiers"
            );
        }
    }

    #[test]
    fn life_stage_and_sex_tags_take_only_their_known_values() {
        let raw: Vec<serde_json::Value> = serde_json::from_str(PRODUCTS_JSON).unwrap_or_default();
        assert_eq!(raw.len(), catalog().len());
        for product in &raw {
            if let Some(stage) = product.get("life_stage") {
                assert!(
                    ["baby", "child", "teen", "senior"].contains(&stage.as_str().unwrap_or("")),
                    "{product}"
                );
            }
            if let Some(sex) = product.get("gender") {
                assert!(
                    ["female", "male"].contains(&sex.as_str().unwrap_or("")),
                    "{product}"
                );
            }
        }
        // An unknown value makes the whole catalog unreadable, not silently untagged.
        let entry = |tag: &str| {
            format!(
                r#"[{{"id": "a", "title": "Tytuł", "title_en": "Title", "description": "Opis",
                "description_en": "Text", "price": 10, "category": "Moda", "interests": [],
                "tags": [], "site": "allegro", {tag}}}]"#
            )
        };
        assert_eq!(
            Catalog::from_json_or_empty(&entry(r#""life_stage": "senior""#)).len(),
            1
        );
        assert!(Catalog::from_json_or_empty(&entry(r#""life_stage": "adult""#)).is_empty());
        assert!(Catalog::from_json_or_empty(&entry(r#""gender": "other""#)).is_empty());
    }

    #[test]
    fn every_category_is_one_of_the_vocabulary() {
        for entry in entries() {
            assert!(
                CATEGORIES.contains(&entry.category.as_str()),
                "{}: unknown category {:?}",
                entry.id,
                entry.category
            );
        }
    }

    #[test]
    fn every_interest_is_known_and_covered_by_at_least_eight_products() {
        let mut coverage: HashMap<&str, usize> = HashMap::new();
        for entry in entries() {
            for interest in &entry.interests {
                assert!(
                    INTEREST_IDS.contains(&interest.as_str()),
                    "{}: unknown interest {interest:?}",
                    entry.id
                );
                *coverage.entry(interest.as_str()).or_default() += 1;
            }
        }
        for id in INTEREST_IDS {
            let count = coverage.get(id).copied().unwrap_or(0);
            assert!(count >= 8, "interest {id} has only {count} products");
        }
    }

    #[test]
    fn every_taxonomy_interest_is_covered_and_findable() {
        for interest in crate::knowledge::interests::all() {
            let covered = entries()
                .filter(|e| e.interests.contains(&interest.id))
                .count();
            assert!(covered >= 8, "{} has only {covered} products", interest.id);
            if !interest.queries.is_empty() {
                let found = interest
                    .queries
                    .iter()
                    .filter(|q| !catalog().search(q, any_price(), 5, Locale::Pl).is_empty())
                    .count();
                assert!(found > 0, "no query of {} finds anything", interest.id);
            }
        }
    }

    #[test]
    fn prices_span_ten_to_five_thousand_zloty() {
        let prices: Vec<f64> = entries().map(|e| e.price).collect();
        assert!(
            prices
                .iter()
                .all(|p| p.is_finite() && (10.0..=5000.0).contains(p))
        );
        let min = prices.iter().copied().fold(f64::INFINITY, f64::min);
        let max = prices.iter().copied().fold(0.0, f64::max);
        assert!(min <= 15.0, "cheapest is {min}");
        assert!(max >= 4500.0, "dearest is {max}");
        assert!(prices.iter().filter(|&&p| p < 30.0).count() >= 5);
        assert!(prices.iter().filter(|&&p| p > 2000.0).count() >= 5);
    }

    #[test]
    fn coffee_grinder_comes_first_for_mlynek_do_kawy() {
        let first = first_title("młynek do kawy", any_price());
        assert!(first.contains("młynek"), "{first}");
        // Inflected and diacritic-free forms too.
        let first = first_title("mlynka do kawy", any_price());
        assert!(first.contains("młynek"), "{first}");
        let first = first_title("coffee grinder", any_price());
        assert!(first.contains("młynek"), "{first}");
    }

    #[test]
    fn inflected_forms_of_coffee_meet() {
        for query in ["kawa", "kawy", "kawę", "kawą", "kawie"] {
            let results = catalog().search(query, any_price(), 50, Locale::Pl);
            assert!(results.len() >= 5, "{query}: {:?}", titles(&results));
            assert!(
                results
                    .iter()
                    .take(5)
                    .all(|p| entry_of(p).interests.iter().any(|i| i == "coffee")),
                "{query}: {:?}",
                titles(&results)
            );
        }
        let a: Vec<String> = catalog()
            .search("kawy", any_price(), 20, Locale::Pl)
            .into_iter()
            .map(|p| p.title)
            .collect();
        let b: Vec<String> = catalog()
            .search("kawa", any_price(), 20, Locale::Pl)
            .into_iter()
            .map(|p| p.title)
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn running_shoes_respect_a_price_range() {
        let results = catalog().search("buty do biegania", range(100.0, 400.0), 10, Locale::Pl);
        assert!(!results.is_empty());
        for product in &results {
            let price = product.price.value.unwrap_or(f64::NAN);
            assert!((100.0..=400.0).contains(&price), "{}", product.title);
        }
        let first = results[0].title.to_lowercase();
        assert!(
            first.contains("buty") && first.contains("biegania"),
            "{first}"
        );
        // The 449 zł trail shoes are out of range.
        assert!(results.iter().all(|p| !p.title.contains("trailowe")));
    }

    #[test]
    fn family_board_games_are_found() {
        let results = catalog().search("gry planszowe dla rodziny", any_price(), 5, Locale::Pl);
        assert!(!results.is_empty());
        assert!(
            results
                .iter()
                .take(3)
                .all(|p| entry_of(p).interests.iter().any(|i| i == "board_games")),
            "{:?}",
            titles(&results)
        );
        assert!(results[0].title.to_lowercase().contains("rodzinna"));
    }

    #[test]
    fn garden_tool_set_comes_first() {
        let first = first_title("zestaw narzędzi ogrodowych", any_price());
        assert!(first.contains("narzędzi ogrodowych"), "{first}");
        let first = first_title("garden tools", any_price());
        assert!(first.contains("narzędzi ogrodowych"), "{first}");
    }

    #[test]
    fn running_watch_in_english() {
        let first = first_title("running watch", any_price());
        assert!(
            first.contains("zegarek") && first.contains("biegania"),
            "{first}"
        );
    }

    #[test]
    fn realistic_queries_find_sensible_first_results() {
        let cases: [(&str, &[&str]); 16] = [
            ("mata do jogi", &["mata do jogi"]),
            ("yoga mat", &["mata do jogi"]),
            ("czytnik ebooków", &["czytnik e-booków"]),
            ("teleskop dla dziecka", &["teleskop"]),
            ("drapak dla kota", &["drapak"]),
            ("legowisko dla psa", &["legowisko"]),
            ("zestaw do koktajli", &["barmański", "koktajli"]),
            ("gramofon", &["gramofon"]),
            ("pióro wieczne", &["pióro wieczne"]),
            ("herbata matcha", &["matcha"]),
            ("ukulele", &["ukulele"]),
            ("kask narciarski", &["kask narciarski"]),
            ("namiot", &["namiot"]),
            ("grill węglowy", &["grill węglowy"]),
            ("klocki konstrukcyjne", &["klocki"]),
            ("niania elektroniczna", &["niania elektroniczna"]),
        ];
        for (query, expected) in cases {
            let first = first_title(query, any_price());
            assert!(
                expected.iter().any(|e| first.contains(e)),
                "{query:?} -> {first}"
            );
        }
    }

    #[test]
    fn gifts_for_seniors_children_and_teenagers_are_found() {
        for query in [
            "prezent dla seniora",
            "lupa do czytania",
            "klęcznik ogrodowy",
            "zabawki dla niemowląt",
            "gry dla dzieci",
            "konsola do gier",
            "słuchawki gamingowe",
        ] {
            assert!(
                !catalog()
                    .search(query, any_price(), 5, Locale::Pl)
                    .is_empty(),
                "{query}"
            );
        }
    }

    #[test]
    fn price_ranges_are_strictly_respected() {
        let ranges = [
            range(0.0, 50.0),
            range(50.0, 150.0),
            range(100.0, 400.0),
            range(1000.0, 5000.0),
            PriceRange {
                min_price: Some(300.0),
                max_price: None,
            },
            PriceRange {
                min_price: None,
                max_price: Some(80.0),
            },
        ];
        for query in ["kawa", "zestaw", "prezent", "rower", "zegarek", "gra"] {
            for price_range in ranges {
                for product in catalog().search(query, price_range, 100, Locale::Pl) {
                    assert!(
                        price_range.admits(product.price.value),
                        "{query} {price_range:?}: {} at {:?}",
                        product.title,
                        product.price.value
                    );
                }
            }
        }
        // A range nothing fits.
        assert!(
            catalog()
                .search("kawa", range(6000.0, 9000.0), 10, Locale::Pl)
                .is_empty()
        );
    }

    #[test]
    fn nonsense_and_empty_queries_find_nothing() {
        for query in ["qwxzv plomtrk", "zzzzzz", "", "   ", "i w z do na"] {
            assert!(
                catalog()
                    .search(query, any_price(), 10, Locale::Pl)
                    .is_empty(),
                "{query:?}"
            );
        }
    }

    #[test]
    fn at_least_half_of_the_terms_must_match() {
        // "młynek" matches; three nonsense words do not: one of four is not enough.
        assert!(
            catalog()
                .search("młynek qwxzv plomtrk brzdyk", any_price(), 10, Locale::Pl)
                .is_empty()
        );
        // One of two is enough.
        assert!(
            !catalog()
                .search("młynek qwxzv", any_price(), 10, Locale::Pl)
                .is_empty()
        );
    }

    #[test]
    fn limit_is_respected() {
        assert_eq!(
            catalog().search("zestaw", any_price(), 3, Locale::Pl).len(),
            3
        );
        assert_eq!(
            catalog().search("zestaw", any_price(), 1, Locale::Pl).len(),
            1
        );
        assert!(
            catalog()
                .search("zestaw", any_price(), 0, Locale::Pl)
                .is_empty()
        );
        assert!(
            catalog()
                .search("zestaw", any_price(), 1000, Locale::Pl)
                .len()
                > 10
        );
    }

    #[test]
    fn search_is_deterministic_and_best_first() {
        let a = catalog().search("prezent dla kawosza", any_price(), 20, Locale::Pl);
        let b = catalog().search("prezent dla kawosza", any_price(), 20, Locale::Pl);
        assert_eq!(a, b);
        let c = catalog().search("zestaw", range(20.0, 200.0), 50, Locale::Pl);
        let d = catalog().search("zestaw", range(20.0, 200.0), 50, Locale::Pl);
        assert_eq!(c, d);
    }

    #[test]
    fn products_are_catalog_products_with_pln_prices() {
        let results = catalog().search("zestaw", any_price(), 1000, Locale::Pl);
        assert!(!results.is_empty());
        for product in results {
            let entry = entry_of(&product);
            assert_eq!(product.provider, Marketplace::Catalog);
            assert_eq!(
                product.image.as_deref(),
                Some(illustration(&entry.category).as_str())
            );
            assert!(product.description.starts_with(&entry.description));
            assert_eq!(product.category.as_deref(), Some(entry.category.as_str()));
            assert_eq!(product.price, Price::pln(entry.price));
            assert_eq!(product.price.currency.as_deref(), Some("PLN"));
            assert!(!product.price.negotiable);
            let label = product.price.label.unwrap_or_default();
            assert!(label.ends_with(" zł"), "{label}");
        }
        let grinder = catalog().search("ręczny młynek do kawy", any_price(), 1, Locale::Pl);
        assert_eq!(
            grinder[0].price.label.as_deref(),
            Some(format!("{:.2} zł", entry_of(&grinder[0]).price).as_str())
        );
    }

    #[test]
    fn links_search_the_title_on_the_right_site() {
        let mut sites_seen = HashSet::new();
        for item in &catalog().items {
            let entry = &item.entry;
            let product = item.to_product(Locale::Pl);
            let parsed = url::Url::parse(&product.link);
            assert!(parsed.is_ok(), "{}: {}", entry.id, product.link);
            let Ok(link) = parsed else { continue };
            assert_eq!(link.scheme(), "https");
            let query_value = |key: &str| {
                link.query_pairs()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.into_owned())
            };
            sites_seen.insert(format!("{:?}", entry.site));
            match entry.site {
                Site::Allegro => {
                    assert_eq!(link.host_str(), Some("allegro.pl"));
                    assert_eq!(link.path(), "/listing");
                    assert_eq!(query_value("string").as_deref(), Some(entry.title.as_str()));
                }
                Site::Ebay => {
                    assert_eq!(link.host_str(), Some("www.ebay.pl"));
                    assert_eq!(link.path(), "/sch/i.html");
                    assert_eq!(query_value("_nkw").as_deref(), Some(entry.title.as_str()));
                }
                Site::Amazon => {
                    assert_eq!(link.host_str(), Some("www.amazon.pl"));
                    assert_eq!(link.path(), "/s");
                    assert_eq!(query_value("k").as_deref(), Some(entry.title.as_str()));
                }
                Site::Olx => {
                    assert_eq!(link.host_str(), Some("www.olx.pl"));
                    assert!(link.query().is_none());
                    let path = link.path();
                    assert!(
                        path.starts_with("/oferty/q-") && path.ends_with('/'),
                        "{path}"
                    );
                    let slug = &path["/oferty/q-".len()..path.len() - 1];
                    let decoded: String = url::form_urlencoded::parse(slug.as_bytes())
                        .map(|(k, _)| k.into_owned())
                        .collect();
                    let words: Vec<String> = entry
                        .title
                        .to_lowercase()
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned)
                        .collect();
                    assert_eq!(decoded, words.join("-"));
                    assert!(!slug.contains(' ') && !slug.contains("--"));
                }
            }
        }
        assert_eq!(sites_seen.len(), 4, "every marketplace is used");
    }

    #[test]
    fn links_encode_polish_letters_and_spaces() {
        let title = "Ręczny młynek do kawy";
        assert_eq!(
            search_link(Site::Allegro, title),
            "https://allegro.pl/listing?string=R%C4%99czny+m%C5%82ynek+do+kawy"
        );
        assert_eq!(
            search_link(Site::Olx, title),
            "https://www.olx.pl/oferty/q-r%C4%99czny-m%C5%82ynek-do-kawy/"
        );
        assert_eq!(
            search_link(Site::Ebay, "Kubek 2 x 300 ml & spodek"),
            "https://www.ebay.pl/sch/i.html?_nkw=Kubek+2+x+300+ml+%26+spodek"
        );
        assert_eq!(
            search_link(Site::Amazon, "Pad 100% zł"),
            "https://www.amazon.pl/s?k=Pad+100%25+z%C5%82"
        );
    }

    #[test]
    fn every_category_has_its_illustration_at_a_stable_url() {
        assert_eq!(
            illustration("Dom i Ogród"),
            "/assets/illustrations/dom-i-ogrod.svg"
        );
        assert_eq!(
            illustration("Firma i Przemysł"),
            "/assets/illustrations/firma-i-przemysl.svg"
        );
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../web/app/assets/illustrations");
        for category in CATEGORIES {
            let url = illustration(category);
            let file = folder.join(url.trim_start_matches(ILLUSTRATIONS));
            let svg = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(svg.starts_with("<svg"), "{category}: {}", file.display());
        }
        assert!(!catalog().images().is_empty());
        assert!(catalog().images().iter().all(|url| url.ends_with(".svg")));
    }

    #[test]
    fn english_sessions_get_english_products_found_by_either_language() {
        let results = catalog().search("coffee grinder", any_price(), 3, Locale::En);
        assert!(!results.is_empty());
        let first = &results[0];
        let entry = entries()
            .find(|e| e.title_en == first.title)
            .expect("an English title");
        assert!(
            first.title.to_lowercase().contains("grinder"),
            "{}",
            first.title
        );
        assert!(first.description.starts_with(&entry.description_en));
        // A Polish query finds the same product, shown in English.
        let polish = catalog().search("młynek do kawy", any_price(), 3, Locale::En);
        assert!(
            polish[0].title.to_lowercase().contains("grinder"),
            "{}",
            polish[0].title
        );
        // And an English query finds it for a Polish session, in Polish.
        let shown = catalog().search("coffee grinder", any_price(), 3, Locale::Pl);
        assert_eq!(shown[0].title, entry.title);
    }

    #[test]
    fn what_a_product_is_tagged_for_is_what_the_filters_read_in_both_languages() {
        use crate::knowledge::{gender, life_stage};
        let text = |product: &Product| format!("{} {}", product.title, product.description);
        for item in &catalog().items {
            let entry = &item.entry;
            let polish = text(&item.to_product(Locale::Pl));
            let english = text(&item.to_product(Locale::En));
            for shown in [&polish, &english] {
                if let Some(stage) = entry.life_stage {
                    let age = match stage {
                        LifeStage::Baby => "0-2",
                        LifeStage::Child => "0-12",
                        LifeStage::Teen => "13-17",
                        LifeStage::Senior => "66+",
                    };
                    assert!(life_stage::suits(Some(age), shown), "{}: {shown}", entry.id);
                    assert!(!life_stage::suits(Some("26-35"), shown), "{}", entry.id);
                }
                match entry.gender {
                    Some(Gender::Female) => assert!(!gender::suits(Some("male"), shown)),
                    Some(Gender::Male) => assert!(!gender::suits(Some("female"), shown)),
                    None => {}
                }
            }
            // Untagged, the two languages mark the same audience: no English word rules out
            // whom the Polish text does not, nor the other way round.
            for (age, sex) in [("26-35", "female"), ("26-35", "male"), ("66+", "male")] {
                assert_eq!(
                    life_stage::suits(Some(age), &polish),
                    life_stage::suits(Some(age), &english),
                    "{}: {polish} / {english}",
                    entry.id
                );
                assert_eq!(
                    gender::suits(Some(sex), &polish),
                    gender::suits(Some(sex), &english),
                    "{}: {polish} / {english}",
                    entry.id
                );
            }
        }
    }

    #[test]
    fn a_malformed_catalog_is_empty_not_a_panic() {
        let catalog = Catalog::from_json_or_empty("[{\"id\": 1}");
        assert!(catalog.is_empty());
        assert_eq!(catalog.len(), 0);
        assert!(
            catalog
                .search("kawa", PriceRange::default(), 10, Locale::Pl)
                .is_empty()
        );
    }
}
