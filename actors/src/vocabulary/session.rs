use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The stages of one gift search, in order, as shown by the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Profiling,
    Interview,
    Ideas,
    Searching,
    Scoring,
    Done,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Profiling => "profiling",
            Stage::Interview => "interview",
            Stage::Ideas => "ideas",
            Stage::Searching => "searching",
            Stage::Scoring => "scoring",
            Stage::Done => "done",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Stage::Profiling,
            Stage::Interview,
            Stage::Ideas,
            Stage::Searching,
            Stage::Scoring,
            Stage::Done,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// The budget, in PLN. Either bound may be absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceRange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price: Option<f64>,
}

impl PriceRange {
    /// Whether a price fits the range; an unknown price fits (it cannot be excluded).
    pub fn admits(&self, price: Option<f64>) -> bool {
        let Some(price) = price else { return true };
        self.min_price.is_none_or(|min| price >= min)
            && self.max_price.is_none_or(|max| price <= max)
    }
}
