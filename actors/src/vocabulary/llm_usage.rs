//! What the LLM steps of a session cost: the tasks a model is asked to do and their token
//! usage, as events carry it and the session's summary shows it. Plain data; the accounting
//! itself is the LLM client's (`crate::llm`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a model is asked to do; each task has its own model and its own counters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LlmTask {
    Interview,
    Facts,
    Ideas,
    Scoring,
}

impl LlmTask {
    pub const ALL: [LlmTask; 4] = [
        LlmTask::Interview,
        LlmTask::Facts,
        LlmTask::Ideas,
        LlmTask::Scoring,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LlmTask::Interview => "interview",
            LlmTask::Facts => "facts",
            LlmTask::Ideas => "ideas",
            LlmTask::Scoring => "scoring",
        }
    }

    /// The provider name errors and logs use.
    pub fn provider(self) -> &'static str {
        match self {
            LlmTask::Interview => "the LLM interviewer",
            LlmTask::Facts => "the LLM fact extractor",
            LlmTask::Ideas => "the LLM idea generator",
            LlmTask::Scoring => "the LLM scorer",
        }
    }
}

/// What one call, one step or one session cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Usage {
    /// Calls answered (failed attempts are not counted).
    pub calls: u32,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Some of the tokens are estimates (characters / 4): the server reported no `usage`.
    pub estimated: bool,
    /// Times the embedded provider stood in for the model.
    pub fallbacks: u32,
}

impl Usage {
    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens + self.completion_tokens
    }

    pub fn add(&mut self, other: &Usage) {
        self.calls += other.calls;
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
        self.estimated |= other.estimated;
        self.fallbacks += other.fallbacks;
    }

    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }
}

/// What a session's LLM calls cost, step by step: the `llmUsage` of its reasoning summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionUsage {
    pub steps: std::collections::BTreeMap<LlmTask, Usage>,
    pub total: Usage,
    /// The steps the embedded provider did (some or all of) instead of the model.
    pub fell_back: Vec<LlmTask>,
}

impl SessionUsage {
    pub fn add(&mut self, step: LlmTask, usage: &Usage) {
        self.steps.entry(step).or_default().add(usage);
        self.total.add(usage);
        if usage.fallbacks > 0 && !self.fell_back.contains(&step) {
            self.fell_back.push(step);
            self.fell_back.sort();
        }
    }
}
