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
pub use usage::{counter_total, metered, record_fallback};

pub use crate::vocabulary::{LlmTask, SessionUsage, Usage};
