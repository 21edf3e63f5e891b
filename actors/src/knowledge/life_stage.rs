//! Who a product is made for by age, as its own text says ("dla seniora", "dla dzieci",
//! "niemowlęcy"), against the recipient's age range: a hard signal, like [`super::gender`]. A
//! watch "for seniors" or a children's GPS watch is wrong for a 22-year-old however well it
//! matches "running".

use super::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LifeStage {
    Baby,
    Child,
    /// A recipient somewhere in 0–12, the exact age unknown: a baby's, a child's or a
    /// teenager's item may all suit.
    Childhood,
    Teen,
    Adult,
    Senior,
}

/// Folded cues naming a stage, matched at word starts ("dzieciec" covers "dziecięcy").
const BABY: &[&str] = &["niemowl", "noworod", "baby", "newborn", "infant"];
const CHILD: &[&str] = &[
    "dla dzieci",
    "dla dziecka",
    "dzieciec",
    "dla przedszkolak",
    "kids",
    "children",
    "for a child",
    "toddler",
];
const TEEN: &[&str] = &["nastolat", "teen"];
const SENIOR: &[&str] = &["senior", "dla babci", "dla dziadka", "elderly"];

impl LifeStage {
    /// The stage `folded` text marks, if any.
    fn marked_in(folded: &str) -> Option<Self> {
        let names = |cues: &[&str]| {
            cues.iter()
                .any(|cue| text::contains_word_start(folded, cue))
        };
        [
            (BABY, LifeStage::Baby),
            (CHILD, LifeStage::Child),
            (TEEN, LifeStage::Teen),
            (SENIOR, LifeStage::Senior),
        ]
        .into_iter()
        .find(|(cues, _)| names(cues))
        .map(|(_, stage)| stage)
    }

    /// The stage of an age range as the interview gives it ("26-35", "66+", "0-2", "3-12"),
    /// by its upper bound, or of words in it ("dziecko", "senior"). The interview's "0-12"
    /// (a child of unknown age) is [`LifeStage::Childhood`].
    fn of_age_range(age_range: &str) -> Option<Self> {
        let years: Vec<u32> = age_range
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|part| part.parse().ok())
            .collect();
        let (Some(&lowest), Some(&highest)) = (years.first(), years.last()) else {
            return Self::marked_in(&text::fold(age_range)).map(|stage| match stage {
                LifeStage::Child => LifeStage::Childhood,
                other => other,
            });
        };
        Some(match highest {
            0..=2 => LifeStage::Baby,
            3..=12 if lowest >= 3 => LifeStage::Child,
            3..=12 => LifeStage::Childhood,
            13..=17 => LifeStage::Teen,
            18..=65 => LifeStage::Adult,
            _ => LifeStage::Senior,
        })
    }

    /// Whether an item marked for `self` suits a recipient at `recipient`: the same stage,
    /// and anything of childhood for a child whose exact age is unknown.
    fn suits(self, recipient: LifeStage) -> bool {
        use LifeStage::*;
        self == recipient || matches!((self, recipient), (Baby | Child | Teen, Childhood))
    }

    fn is_young(self) -> bool {
        matches!(
            self,
            LifeStage::Baby | LifeStage::Child | LifeStage::Childhood
        )
    }
}

/// The taxonomy's interest of a young recipient's stage of life ("babies" for a toddler,
/// "kids_toys" for an older child or one of unknown age), and whether it is a toddler's.
pub fn interest_for(age_range: Option<&str>) -> Option<(&'static str, bool)> {
    match age_range.and_then(LifeStage::of_age_range)? {
        LifeStage::Baby => Some(("babies", true)),
        LifeStage::Child | LifeStage::Childhood => Some(("kids_toys", false)),
        _ => None,
    }
}

/// Generic items (marked for no stage of life) are mostly made for adults: for a child they
/// count this much, for a baby or toddler less again.
const GENERIC_FOR_CHILD: f64 = 0.7;
const GENERIC_FOR_BABY: f64 = 0.5;

/// Whether a product described by `description` (title and text) suits a recipient of
/// `age_range`. Unknown age, or text that marks no stage, rules nothing out.
pub fn suits(age_range: Option<&str>, description: &str) -> bool {
    let Some(recipient) = age_range.and_then(LifeStage::of_age_range) else {
        return true;
    };
    LifeStage::marked_in(&text::fold(description)).is_none_or(|marked| marked.suits(recipient))
}

/// How well a product suits a young recipient by whom it is made for: fully when its text
/// marks it for a young stage (a wrong stage is ruled out by [`suits`]), less when it marks
/// none; always fully for teenagers and adults.
pub fn young_fit(age_range: Option<&str>, description: &str) -> f64 {
    let Some(recipient) = age_range
        .and_then(LifeStage::of_age_range)
        .filter(|stage| stage.is_young())
    else {
        return 1.0;
    };
    match LifeStage::marked_in(&text::fold(description)) {
        Some(_) => 1.0,
        None if recipient == LifeStage::Baby => GENERIC_FOR_BABY,
        None => GENERIC_FOR_CHILD,
    }
}

#[cfg(test)]
mod tests {
    use super::{suits, young_fit};

    #[test]
    fn items_marked_for_another_stage_of_life_do_not_suit() {
        let senior_watch = "Zegarek z dużymi cyframi. Czytelny zegarek dla seniora.";
        let kids_watch = "Smartwatch dla dzieci z GPS";
        let running_watch = "Zegarek biegowy z GPS dla biegaczy";
        assert!(!suits(Some("18-25"), senior_watch));
        assert!(!suits(Some("18-25"), kids_watch));
        assert!(suits(Some("18-25"), running_watch));
        assert!(suits(Some("66+"), senior_watch));
        assert!(suits(Some("0-12"), kids_watch));
        assert!(!suits(Some("13-17"), kids_watch));
        assert!(suits(Some("0-12"), "Plakat dla nastolatka"));
        assert!(suits(Some("0-12"), "Grzechotka dla niemowląt"));
        assert!(!suits(Some("26-35"), "Grzechotka dla niemowląt"));
        assert!(!suits(Some("51-65"), senior_watch));
        assert!(suits(None, senior_watch));
        assert!(
            suits(Some("36-50"), "Skids and skateboards"),
            "only at word starts"
        );
    }

    #[test]
    fn a_known_age_of_a_child_separates_toddlers_from_school_children() {
        let rattle = "Grzechotka dla niemowląt";
        let puzzle = "Puzzle 500 elementów dla dzieci";
        let poster = "Plakat dla nastolatka";
        // Age unknown (the interview's "0-12"): anything of childhood.
        for item in [rattle, puzzle, poster] {
            assert!(suits(Some("0-12"), item), "{item}");
        }
        // A toddler: a baby's things only.
        assert!(suits(Some("0-2"), rattle));
        assert!(!suits(Some("0-2"), puzzle));
        assert!(!suits(Some("0-2"), poster));
        // A school child: a child's things only.
        assert!(!suits(Some("3-12"), rattle));
        assert!(suits(Some("3-12"), puzzle));
        assert!(!suits(Some("3-12"), poster));
    }

    #[test]
    fn generic_items_count_less_for_children_and_least_for_toddlers() {
        let generic = "Płyta winylowa z jazzem";
        let kids = "Zestaw farb dla dzieci";
        assert!((young_fit(Some("26-35"), generic) - 1.0).abs() < f64::EPSILON);
        assert!((young_fit(Some("13-17"), generic) - 1.0).abs() < f64::EPSILON);
        assert!((young_fit(Some("3-12"), kids) - 1.0).abs() < f64::EPSILON);
        let child = young_fit(Some("3-12"), generic);
        let toddler = young_fit(Some("0-2"), generic);
        assert!(toddler < child && child < 1.0, "{toddler} {child}");
        assert!((young_fit(None, generic) - 1.0).abs() < f64::EPSILON);
    }
}
