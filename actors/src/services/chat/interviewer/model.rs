//! The facts an interview collects and the small enums it reasons with. Everything here is
//! serialisable because it lives inside the persisted [`super::InterviewerState`].

use serde::{Deserialize, Serialize};

use crate::knowledge::LifeArea;
use crate::vocabulary::Locale;

/// Who the recipient is to the giver. Gendered variants are expressed with [`Gender`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum RelKind {
    Partner,
    Wife,
    Husband,
    Girlfriend,
    Boyfriend,
    /// Somebody in the family, not yet specified.
    Family,
    Parent,
    ParentInLaw,
    Sibling,
    SiblingInLaw,
    /// Grandparents, aunts and uncles: the family's older generation, not yet specified.
    Elder,
    Grandparent,
    AuntUncle,
    /// A child or grandchild, not yet specified.
    Young,
    Child,
    Grandchild,
    Cousin,
    NieceNephew,
    Friend,
    Colleague,
    Boss,
    Teacher,
}

/// The broad group of a relationship: what the first question asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RelGroup {
    Partner,
    Family,
    Friend,
    Work,
}

impl RelKind {
    pub(super) fn group(self) -> RelGroup {
        match self {
            RelKind::Partner
            | RelKind::Wife
            | RelKind::Husband
            | RelKind::Girlfriend
            | RelKind::Boyfriend => RelGroup::Partner,
            RelKind::Friend => RelGroup::Friend,
            RelKind::Colleague | RelKind::Boss | RelKind::Teacher => RelGroup::Work,
            _ => RelGroup::Family,
        }
    }

    /// The gender the relationship word already tells ("żona", "husband").
    pub(super) fn implied_gender(self) -> Option<Gender> {
        match self {
            RelKind::Wife | RelKind::Girlfriend => Some(Gender::Female),
            RelKind::Husband | RelKind::Boyfriend => Some(Gender::Male),
            _ => None,
        }
    }

    /// Family members still too vague to ask good questions about.
    pub(super) fn needs_detail(self) -> bool {
        matches!(self, RelKind::Family)
    }

    /// Which age options fit this relationship best.
    pub(super) fn age_window(self) -> AgeWindow {
        match self {
            RelKind::Young | RelKind::Child | RelKind::Grandchild | RelKind::NieceNephew => {
                AgeWindow::Young
            }
            RelKind::Grandparent => AgeWindow::Elder,
            RelKind::Parent | RelKind::ParentInLaw | RelKind::AuntUncle | RelKind::Elder => {
                AgeWindow::Parent
            }
            _ => AgeWindow::Adult,
        }
    }

    /// Whether the person can plausibly be a child (the gender question then offers
    /// "girl" and "boy").
    pub(super) fn may_be_child(self) -> bool {
        matches!(
            self,
            RelKind::Family
                | RelKind::Sibling
                | RelKind::Young
                | RelKind::Child
                | RelKind::Grandchild
                | RelKind::Cousin
                | RelKind::NieceNephew
                | RelKind::Friend
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Gender {
    Female,
    Male,
    NonBinary,
    Undisclosed,
}

impl Gender {
    pub(super) fn label(self, locale: Locale) -> Option<&'static str> {
        match (self, locale) {
            (Gender::Female, Locale::Pl) => Some("kobieta"),
            (Gender::Male, Locale::Pl) => Some("mężczyzna"),
            (Gender::NonBinary, Locale::Pl) => Some("osoba niebinarna"),
            (Gender::Female, Locale::En) => Some("female"),
            (Gender::Male, Locale::En) => Some("male"),
            (Gender::NonBinary, Locale::En) => Some("non-binary"),
            (Gender::Undisclosed, _) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum AgeBracket {
    /// A baby or toddler, when the age was said ("kończy roczek", "ma 2 lata").
    #[serde(rename = "0-2")]
    Toddler,
    /// A child under 13 of unknown age (the age question's button).
    #[serde(rename = "0-12")]
    Child,
    /// A child of 3–12, when the age was said ("ma 8 lat", "przedszkolak").
    #[serde(rename = "3-12")]
    SchoolChild,
    #[serde(rename = "13-17")]
    Teen,
    #[serde(rename = "18-25")]
    A18,
    #[serde(rename = "26-35")]
    A26,
    #[serde(rename = "36-50")]
    A36,
    #[serde(rename = "51-65")]
    A51,
    #[serde(rename = "66+")]
    A66,
}

impl AgeBracket {
    pub(super) fn label(self) -> &'static str {
        match self {
            AgeBracket::Toddler => "0-2",
            AgeBracket::Child => "0-12",
            AgeBracket::SchoolChild => "3-12",
            AgeBracket::Teen => "13-17",
            AgeBracket::A18 => "18-25",
            AgeBracket::A26 => "26-35",
            AgeBracket::A36 => "36-50",
            AgeBracket::A51 => "51-65",
            AgeBracket::A66 => "66+",
        }
    }

    pub(super) fn from_years(years: u32) -> Option<Self> {
        Some(match years {
            0 => return None,
            1..=2 => AgeBracket::Toddler,
            3..=12 => AgeBracket::SchoolChild,
            13..=17 => AgeBracket::Teen,
            18..=25 => AgeBracket::A18,
            26..=35 => AgeBracket::A26,
            36..=50 => AgeBracket::A36,
            51..=65 => AgeBracket::A51,
            66..=120 => AgeBracket::A66,
            _ => return None,
        })
    }

    pub(super) fn is_minor(self) -> bool {
        self.is_child() || self == AgeBracket::Teen
    }

    /// Under 13, whether or not the exact age is known.
    pub(super) fn is_child(self) -> bool {
        matches!(
            self,
            AgeBracket::Toddler | AgeBracket::Child | AgeBracket::SchoolChild
        )
    }
}

/// Which four age buckets the age question offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AgeWindow {
    Young,
    Adult,
    Parent,
    Elder,
}

/// A subject the interview explores; each life-area topic has an opening question and
/// follow-ups. `Who`, `Age` and `Wrapup` are the interview's frame, not life areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Topic {
    Who,
    Age,
    Sport,
    Outdoors,
    Home,
    Food,
    Drinks,
    Travel,
    Culture,
    Tech,
    Work,
    Style,
    Wellness,
    Pets,
    Hobbies,
    Learning,
    Play,
    Recent,
    Wrapup,
}

impl Topic {
    /// The life area the topic explores (`None` for the frame topics and recent news).
    pub(super) fn life_area(self) -> Option<LifeArea> {
        Some(match self {
            Topic::Sport => LifeArea::Sport,
            Topic::Outdoors => LifeArea::Outdoors,
            Topic::Home => LifeArea::Home,
            Topic::Food | Topic::Drinks => LifeArea::FoodDrink,
            Topic::Travel => LifeArea::Travel,
            Topic::Culture => LifeArea::Culture,
            Topic::Tech => LifeArea::Tech,
            Topic::Work => LifeArea::Work,
            Topic::Style => LifeArea::Fashion,
            Topic::Wellness => LifeArea::Wellness,
            Topic::Pets => LifeArea::Pets,
            Topic::Hobbies => LifeArea::Hobbies,
            Topic::Learning => LifeArea::Learning,
            Topic::Play => LifeArea::Kids,
            Topic::Who | Topic::Age | Topic::Recent | Topic::Wrapup => return None,
        })
    }

    /// The topic an interest of the taxonomy belongs to.
    pub(super) fn of_interest(id: &str, area: LifeArea) -> Topic {
        if matches!(id, "coffee" | "tea" | "wine" | "beer" | "spirits") {
            return Topic::Drinks;
        }
        match area {
            LifeArea::Hobbies => Topic::Hobbies,
            LifeArea::Sport => Topic::Sport,
            LifeArea::Outdoors => Topic::Outdoors,
            LifeArea::Home => Topic::Home,
            LifeArea::FoodDrink => Topic::Food,
            LifeArea::Travel => Topic::Travel,
            LifeArea::Culture => Topic::Culture,
            LifeArea::Tech => Topic::Tech,
            LifeArea::Work => Topic::Work,
            LifeArea::Fashion | LifeArea::Beauty => Topic::Style,
            LifeArea::Wellness => Topic::Wellness,
            LifeArea::Pets => Topic::Pets,
            LifeArea::Kids => Topic::Play,
            LifeArea::Learning => Topic::Learning,
        }
    }

    /// Which profile description an answer on this topic feeds.
    pub(super) fn target(self) -> Option<Target> {
        match self {
            Topic::Sport
            | Topic::Outdoors
            | Topic::Work
            | Topic::Pets
            | Topic::Wellness
            | Topic::Travel => Some(Target::Lifestyle),
            Topic::Home
            | Topic::Food
            | Topic::Drinks
            | Topic::Culture
            | Topic::Tech
            | Topic::Style
            | Topic::Hobbies
            | Topic::Learning
            | Topic::Play
            | Topic::Wrapup => Some(Target::Preferences),
            Topic::Recent => Some(Target::Recent),
            Topic::Who | Topic::Age => None,
        }
    }
}

/// The profile description a note belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Target {
    Lifestyle,
    Preferences,
    Recent,
}

/// A sentence for one of the profile's descriptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Note {
    pub(super) target: Target,
    pub(super) text: String,
}

/// What choosing an answer tells us. Texts are already in the session's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Effect {
    Interest(String),
    Theme(String),
    Has(String),
    Missing(String),
    Dislike(String),
    Relation(RelKind),
    Gender(Gender),
    Age(AgeBracket),
    /// The person is probably a child (e.g. "girl", "boy").
    YoungHint,
    /// The person is retired.
    Retired,
    /// Ask this follow-up next (if the budget allows).
    Next(String),
    /// Nothing to explore in this topic.
    Decline,
}

/// One suggested answer of the pending question, with its meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PendingOption {
    pub(super) full: String,
    pub(super) short: String,
    /// Extra words that reveal this option in a free-text answer.
    #[serde(default)]
    pub(super) keywords: Vec<String>,
    #[serde(default)]
    pub(super) effects: Vec<Effect>,
}

/// The question waiting for an answer, exactly as it was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Pending {
    pub(super) key: String,
    pub(super) topic: Topic,
    pub(super) text: String,
    /// Empty for a free-text question.
    #[serde(default)]
    pub(super) options: Vec<PendingOption>,
    /// Follow-up asked after any informative answer.
    #[serde(default)]
    pub(super) then: Option<String>,
}

/// A question already asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Asked {
    pub(super) key: String,
    pub(super) topic: Topic,
}
