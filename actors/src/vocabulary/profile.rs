use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the giver told us about the person the gift is for. The field names are the
/// predecessor's wire names (camelCase outside, snake_case inside `possessions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecipientProfile {
    pub personal_info_description: PersonalInfo,
    #[serde(default)]
    pub lifestyle_description: Option<String>,
    #[serde(default)]
    pub preferences_description: Option<String>,
    #[serde(default)]
    pub recent_life_description: Option<String>,
    #[serde(default)]
    pub possessions: Possessions,
    /// Things the recipient dislikes; products matching them are penalised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dislikes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonalInfo {
    #[serde(default)]
    pub relationship: Option<String>,
    #[serde(default)]
    pub occasion: Option<String>,
    #[serde(default)]
    pub age_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Possessions {
    #[serde(default)]
    pub what_already_has: Vec<String>,
    #[serde(default)]
    pub what_is_missing: Vec<String>,
}
