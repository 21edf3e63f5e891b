use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the giver may answer a question: pick one of four suggestions, or write freely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type")]
pub enum PotentialAnswers {
    #[serde(rename = "select")]
    Select { answers: Vec<SuggestedAnswer> },
    #[serde(rename = "long_free_text")]
    LongFreeText,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedAnswer {
    /// Sent back as the user's answer when the option is chosen.
    pub answer_full_sentence: String,
    /// The button label.
    pub answer_short_form: String,
}

impl SuggestedAnswer {
    pub fn new(full_sentence: impl Into<String>, short_form: impl Into<String>) -> Self {
        Self {
            answer_full_sentence: full_sentence.into(),
            answer_short_form: short_form.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Occasion {
    Birthday,
    // Imieniny: the feast day of the recipient's name.
    NameDay,
    Anniversary,
    // Christmas (Święta).
    Holiday,
    // Valentine's Day (Walentynki).
    Valentines,
    JustBecause,
}

impl Occasion {
    pub const ALL: [Occasion; 6] = [
        Occasion::Birthday,
        Occasion::NameDay,
        Occasion::Anniversary,
        Occasion::Holiday,
        Occasion::Valentines,
        Occasion::JustBecause,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::Birthday => "birthday",
            Occasion::NameDay => "name-day",
            Occasion::Anniversary => "anniversary",
            Occasion::Holiday => "holiday",
            Occasion::Valentines => "valentines",
            Occasion::JustBecause => "just-because",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Pl,
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Pl => "pl",
            Locale::En => "en",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pl" => Some(Locale::Pl),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}
