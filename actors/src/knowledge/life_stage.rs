//! Who a product is made for by age, as its own text says ("dla seniora", "dla dzieci",
//! "niemowlęcy"), against the recipient's age range: a hard signal, like [`super::gender`]. A
//! watch "for seniors" or a children's GPS watch is wrong for a 22-year-old however well it
//! matches "running".

use super::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LifeStage {
    Baby,
    Child,
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

    /// The stage of an age range as the interview gives it ("26-35", "66+", "0-12"), by its
    /// upper bound, or of words in it ("dziecko", "senior").
    fn of_age_range(age_range: &str) -> Option<Self> {
        let years: Option<u32> = age_range
            .split(|c: char| !c.is_ascii_digit())
            .rfind(|part| !part.is_empty())
            .and_then(|part| part.parse().ok());
        match years {
            Some(0..=2) => Some(LifeStage::Baby),
            Some(3..=12) => Some(LifeStage::Child),
            Some(13..=17) => Some(LifeStage::Teen),
            Some(18..=65) => Some(LifeStage::Adult),
            Some(_) => Some(LifeStage::Senior),
            None => Self::marked_in(&text::fold(age_range)),
        }
    }

    /// Whether an item marked for `self` suits a recipient at `recipient`: the same stage, a
    /// child's toy for a toddler, and anything of childhood for a child (the interview's
    /// youngest bracket, 0–12, spans babies to older children).
    fn suits(self, recipient: LifeStage) -> bool {
        use LifeStage::*;
        self == recipient || matches!((self, recipient), (Child, Baby) | (Baby | Teen, Child))
    }
}

/// Whether a product described by `description` (title and text) suits a recipient of
/// `age_range`. Unknown age, or text that marks no stage, rules nothing out.
pub fn suits(age_range: Option<&str>, description: &str) -> bool {
    let Some(recipient) = age_range.and_then(LifeStage::of_age_range) else {
        return true;
    };
    LifeStage::marked_in(&text::fold(description)).is_none_or(|marked| marked.suits(recipient))
}

#[cfg(test)]
mod tests {
    use super::suits;

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
}
