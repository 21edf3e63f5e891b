//! Judging a persona's top 10 against its judgments, budget and life stage.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use present_finder_actors::vocabulary::Locale;
use serde::Deserialize;
use serde_json::Value;

use super::TOP;
use super::persona::{Persona, Sex};

/// The bundled catalog as written (with the interest tags the search itself never sees).
const CATALOG_JSON: &str = include_str!("../../../actors/src/services/fetch/catalog/products.json");

#[derive(Debug, Deserialize)]
struct CatalogEntry {
    title: String,
    description: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description_en: String,
    price: f64,
    #[serde(default)]
    interests: Vec<String>,
    /// Who the product is made for, as the catalog tags it ("senior", "female"…).
    #[serde(default)]
    life_stage: Option<String>,
    #[serde(default)]
    gender: Option<String>,
}

impl CatalogEntry {
    /// The title and description in the session's language (what the person reads), and the
    /// audience the catalog tags, in words the judge reads.
    fn text(&self, locale: Locale) -> String {
        let stage = match self.life_stage.as_deref() {
            Some("baby") => "newborn",
            Some("child") => "kids",
            Some("teen") => "teen",
            Some("senior") => "senior",
            _ => "",
        };
        let sex = match self.gender.as_deref() {
            Some("female") => "women",
            Some("male") => "for men",
            _ => "",
        };
        let (title, description) = match locale {
            Locale::Pl => (&self.title, &self.description),
            Locale::En => (&self.title_en, &self.description_en),
        };
        [title.as_str(), description, stage, sex].join(" ")
    }
}

fn catalog() -> &'static [CatalogEntry] {
    static CATALOG: OnceLock<Vec<CatalogEntry>> = OnceLock::new();
    CATALOG.get_or_init(|| serde_json::from_str(CATALOG_JSON).unwrap_or_default())
}

fn by_title() -> &'static HashMap<String, usize> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        catalog()
            .iter()
            .enumerate()
            .flat_map(|(n, entry)| {
                [&entry.title, &entry.title_en]
                    .into_iter()
                    .filter(|title| !title.is_empty())
                    .map(move |title| (title.to_lowercase(), n))
            })
            .collect()
    })
}

/// Who an item is made for, read off its words. Deliberately the judge's own reading, not the
/// scorer's (`knowledge::life_stage`): a judge sharing the system's rules could not catch them
/// being wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LifeStage {
    Baby,
    Child,
    Teen,
    Adult,
    Senior,
}

impl LifeStage {
    fn of_age(age: u32) -> Self {
        match age {
            0..=2 => LifeStage::Baby,
            3..=12 => LifeStage::Child,
            13..=17 => LifeStage::Teen,
            18..=64 => LifeStage::Adult,
            _ => LifeStage::Senior,
        }
    }

    /// The stage an item is marked for, if its text marks one.
    fn marked_in(text: &str) -> Option<Self> {
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        if has(&[
            "niemowl",
            "noworod",
            "dla malucha",
            "baby",
            "newborn",
            "infant",
        ]) {
            Some(LifeStage::Baby)
        } else if has(&[
            "dla dzieci",
            "dla dziecka",
            "dziecięc",
            "dla przedszkola",
            "kids",
            "children",
            "child's",
            "for a child",
        ]) {
            Some(LifeStage::Child)
        } else if has(&["nastolat", "teen"]) {
            Some(LifeStage::Teen)
        } else if has(&["senior", "dla babci", "dla dziadka", "elderly"]) {
            Some(LifeStage::Senior)
        } else {
            None
        }
    }
}

fn marked_sex(text: &str) -> Option<Sex> {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["damsk", "dla niej", "kobiec", "women", "for her", "ladies"]) {
        Some(Sex::Female)
    } else if has(&["męsk", "dla niego", "men's", "for men", "for him"]) {
        Some(Sex::Male)
    } else {
        None
    }
}

/// One gift as judged.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub title: String,
    pub price: Option<f64>,
    pub category: String,
    /// The system's own reason, shown for reading (never judged).
    pub reasoning: String,
    pub relevant: bool,
    pub problems: Vec<&'static str>,
}

/// A persona's judged top 10.
#[derive(Debug, Clone)]
pub struct Judged {
    pub persona: String,
    pub verdicts: Vec<Verdict>,
    pub precision: f64,
    pub ndcg: f64,
}

impl Judged {
    pub fn count(&self, problem: &str) -> usize {
        self.verdicts
            .iter()
            .filter(|v| v.problems.contains(&problem))
            .count()
    }

    pub fn categories(&self) -> usize {
        self.verdicts
            .iter()
            .map(|v| v.category.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    pub fn top_list(&self) -> String {
        let mut lines = vec![format!(
            "  {} — precision {:.2}, nDCG {:.2}",
            self.persona, self.precision, self.ndcg
        )];
        for (rank, verdict) in self.verdicts.iter().enumerate() {
            lines.push(format!(
                "    {:>2}. {} {} ({}, {}){}\n          {}",
                rank + 1,
                if verdict.relevant { "+" } else { "-" },
                verdict.title,
                verdict
                    .price
                    .map_or_else(|| "no price".to_owned(), |p| format!("{p:.0} zł")),
                verdict.category,
                if verdict.problems.is_empty() {
                    String::new()
                } else {
                    format!(" !! {}", verdict.problems.join(", "))
                },
                verdict.reasoning
            ));
        }
        lines.join("\n")
    }
}

/// What a persona's judgments say of one product.
fn assess(
    persona: &Persona,
    text: &str,
    price: Option<f64>,
    interests: &[String],
) -> (bool, Vec<&'static str>) {
    let text = text.to_lowercase();
    let names = |stems: &[String]| stems.iter().any(|stem| text.contains(&stem.to_lowercase()));
    let mut problems = Vec::new();
    let budget = persona.budget;
    if price.is_none_or(|p| p < budget.min - 0.01 || p > budget.max + 0.01) {
        problems.push("budget");
    }
    if names(&persona.judge.owned) {
        problems.push("owned");
    }
    if names(&persona.judge.disliked) {
        problems.push("disliked");
    }
    let stage = LifeStage::of_age(persona.age);
    if LifeStage::marked_in(&text).is_some_and(|marked| marked != stage) {
        problems.push("life stage");
    }
    if marked_sex(&text).is_some_and(|sex| sex != persona.gender) {
        problems.push("gender");
    }
    let fits = interests.iter().any(|i| persona.judge.fits.contains(i));
    let relevant = fits && problems.is_empty() && !names(&persona.judge.off_topic);
    (relevant, problems)
}

pub fn judge(persona: &Persona, gifts: &[Value]) -> Judged {
    let verdicts: Vec<Verdict> = gifts
        .iter()
        .map(|gift| {
            let title = gift["title"].as_str().unwrap_or_default();
            let description = gift["description"].as_str().unwrap_or_default();
            let price = gift["price"]["value"].as_f64();
            let entry = by_title()
                .get(&title.to_lowercase())
                .map(|&n| &catalog()[n]);
            let interests = entry.map(|e| e.interests.as_slice()).unwrap_or_default();
            // What was shown, and for a catalog product what it says in that language.
            let text = format!(
                "{title} {description} {}",
                entry.map(|e| e.text(persona.locale)).unwrap_or_default()
            );
            let (relevant, problems) = assess(persona, &text, price, interests);
            Verdict {
                title: title.to_owned(),
                price,
                category: gift["category"].as_str().unwrap_or("?").to_owned(),
                reasoning: gift["reasoning"].as_str().unwrap_or_default().to_owned(),
                relevant,
                problems,
            }
        })
        .collect();
    let relevant_in_catalog = catalog()
        .iter()
        .filter(|e| {
            assess(
                persona,
                &e.text(persona.locale),
                Some(e.price),
                &e.interests,
            )
            .0
        })
        .count();
    let hits = verdicts.iter().filter(|v| v.relevant).count();
    let precision = hits as f64 / TOP as f64;
    let dcg: f64 = verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| v.relevant)
        .map(|(rank, _)| 1.0 / (rank as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..relevant_in_catalog.min(TOP))
        .map(|rank| 1.0 / (rank as f64 + 2.0).log2())
        .sum();
    Judged {
        persona: persona.id.clone(),
        precision,
        // An empty sum of floats is -0.0: print 0.00, not -0.00.
        ndcg: if ideal > 0.0 {
            (dcg / ideal).max(0.0)
        } else {
            0.0
        },
        verdicts,
    }
}

/// The figures over all personas.
pub struct Summary {
    pub precision: f64,
    pub lowest_precision: f64,
    pub ndcg: f64,
    pub budget_violations: usize,
    pub owned_or_disliked: usize,
    pub life_stage: usize,
    pub min_categories: usize,
    pub mean_categories: f64,
}

impl Summary {
    pub fn of(judged: &[Judged]) -> Self {
        let n = judged.len().max(1) as f64;
        let sum = |f: &dyn Fn(&Judged) -> usize| judged.iter().map(f).sum::<usize>();
        Summary {
            precision: judged.iter().map(|j| j.precision).sum::<f64>() / n,
            lowest_precision: judged
                .iter()
                .map(|j| j.precision)
                .fold(f64::INFINITY, f64::min),
            ndcg: judged.iter().map(|j| j.ndcg).sum::<f64>() / n,
            budget_violations: sum(&|j| j.count("budget")),
            owned_or_disliked: sum(&|j| j.count("owned") + j.count("disliked")),
            life_stage: sum(&|j| j.count("life stage") + j.count("gender")),
            min_categories: judged.iter().map(Judged::categories).min().unwrap_or(0),
            mean_categories: sum(&Judged::categories) as f64 / n,
        }
    }
}
