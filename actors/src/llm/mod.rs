//! The shared LLM transport: one OpenAI-compatible Chat Completions client (OpenAI, Gemini's
//! OpenAI-compatible endpoint, Ollama, vLLM) used by every service that asks a model.
//!
//! What is shared lives here: the configuration ([`LlmConfig`]), the client with its bound on
//! calls in flight and its retries ([`LlmClient`]), and the token accounting (per call from the
//! reply's `usage`, estimated when absent; per task in `/metrics`; per step through
//! [`metered`]). What is particular to a task — its prompts, tools and schemas, parsing into
//! the provider trait's result and the fallback to the embedded provider — lives in the
//! service's folder (`services/<service>/llm.rs`).

mod client;
mod config;
mod prompt;
mod usage;

pub use client::{
    LlmClient, Message, Reply, Request, ToolCall, ToolChoice, function_tool, json_schema_format,
};
pub use config::{LlmConfig, LlmModels};
pub use prompt::{clip, describe_budget, describe_recipient};
pub use usage::{SessionUsage, Usage, metered, record_fallback};

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
