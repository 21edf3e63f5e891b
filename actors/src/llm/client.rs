//! One OpenAI-compatible Chat Completions client for every task.
//!
//! The request is built from `openai-api-rs`'s types (`ChatCompletionRequest`,
//! `ChatCompletionMessage`), but sent and read here with `reqwest`, for three reasons:
//! * the crate's client hides the HTTP status and headers, so a 429's `Retry-After` and the
//!   difference between a 5xx (worth retrying) and a 400 (not) would be lost;
//! * its `ChatCompletionResponse` requires `usage` and knows only five `finish_reason`s,
//!   while compatible servers (Ollama, vLLM, proxies) omit the one and add to the other — a
//!   reply is read here leniently, and tokens are estimated when `usage` is missing;
//! * its tool schema type (`FunctionParameters`) cannot express `enum`, `anyOf` or
//!   `additionalProperties`, which strict tools need, so tools and `tool_choice` are added
//!   to the serialised request as plain JSON.

use std::sync::Arc;
use std::time::Duration;

use openai_api_rs::v1::chat_completion::chat_completion::ChatCompletionRequest;
use openai_api_rs::v1::chat_completion::{ChatCompletionMessage, Content, MessageRole};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::usage::{record_call, record_error, register_metrics};
use super::{LlmConfig, LlmTask, Usage};
use crate::broker::RetryPolicy;
use crate::services::provider::{Attempts, ProviderError};

/// One message of a conversation (the crate's type).
pub type Message = ChatCompletionMessage;

/// Which tool the model must call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolChoice {
    /// No tools: a plain or structured (`response_format`) answer.
    None,
    /// One of the tools, the model chooses.
    Required,
    /// This tool.
    Only(&'static str),
}

/// One call to the model.
#[derive(Debug, Clone)]
pub struct Request {
    pub task: LlmTask,
    pub messages: Vec<Message>,
    /// Function tools as JSON: `{"type":"function","function":{name, description, strict,
    /// parameters}}`.
    pub tools: Vec<Value>,
    pub tool_choice: ToolChoice,
    /// `{"type":"json_schema", ...}` for structured output.
    pub response_format: Option<Value>,
    pub max_tokens: i64,
}

impl Request {
    pub fn new(task: LlmTask, messages: Vec<Message>, max_tokens: i64) -> Self {
        Self {
            task,
            messages,
            tools: Vec::new(),
            tool_choice: ToolChoice::None,
            response_format: None,
            max_tokens,
        }
    }

    pub fn system(text: impl Into<String>) -> Message {
        message(MessageRole::system, text.into())
    }

    pub fn user(text: impl Into<String>) -> Message {
        message(MessageRole::user, text.into())
    }

    pub fn assistant(text: impl Into<String>) -> Message {
        message(MessageRole::assistant, text.into())
    }
}

fn message(role: MessageRole, text: String) -> Message {
    ChatCompletionMessage {
        role,
        content: Content::Text(text),
        name: None,
        tool_calls: None,
        tool_call_id: None,
    }
}

/// A function tool in strict mode (every property required, no others allowed).
pub fn function_tool(name: &str, description: &str, parameters: Value) -> Value {
    json!({
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "strict": true,
            "parameters": parameters,
        }
    })
}

/// A strict JSON-schema `response_format`.
pub fn json_schema_format(name: &str, schema: Value) -> Value {
    json!({
        "type": "json_schema",
        "json_schema": {"name": name, "strict": true, "schema": schema}
    })
}

/// A tool the model called.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub name: String,
    /// As sent: usually a JSON-encoded string, an object on some compatible servers.
    pub arguments: Value,
}

impl ToolCall {
    /// The arguments read as `T`.
    pub fn parse<T: DeserializeOwned>(&self, provider: &'static str) -> Result<T, ProviderError> {
        let parsed = match &self.arguments {
            Value::String(text) => serde_json::from_str(text),
            other => serde_json::from_value(other.clone()),
        };
        parsed.map_err(|error| ProviderError::Invalid {
            provider,
            reason: format!("arguments of {}: {error}", self.name),
        })
    }
}

/// What the model answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub content: Option<String>,
    pub tool_calls: Vec<ToolCall>,
    pub finish_reason: Option<String>,
    pub usage: Usage,
}

impl Reply {
    /// A finished reply whose content is `content` (for tests of the readers).
    #[cfg(test)]
    pub(crate) fn with_json(content: serde_json::Value) -> Self {
        Reply {
            content: Some(content.to_string()),
            tool_calls: Vec::new(),
            finish_reason: Some("stop".into()),
            usage: Usage::default(),
        }
    }

    /// The content read as `T` (structured output).
    pub fn parse_content<T: DeserializeOwned>(
        &self,
        provider: &'static str,
    ) -> Result<T, ProviderError> {
        let content = self.content.as_deref().unwrap_or_default();
        serde_json::from_str(strip_fences(content)).map_err(|error| ProviderError::Invalid {
            provider,
            reason: format!("the answer is not the JSON asked for: {error}"),
        })
    }
}

/// Some models wrap JSON in a Markdown code fence even when asked for JSON only.
fn strip_fences(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(inner) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let inner = inner.strip_prefix("json").unwrap_or(inner);
    inner.strip_suffix("```").unwrap_or(inner).trim()
}

/// The Chat Completions client, shared by every task of the process.
pub struct LlmClient {
    http: reqwest::Client,
    endpoint: String,
    api_key: String,
    config: LlmConfig,
    /// Calls in flight at most (`LLM_MAX_CONCURRENCY`); a call waits for a slot within its
    /// attempt's time limit.
    permits: Semaphore,
    attempts: Attempts,
}

impl std::fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl LlmClient {
    pub fn new(config: LlmConfig) -> Result<Arc<Self>, ProviderError> {
        register_metrics();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|error| ProviderError::Unavailable {
                provider: "the LLM",
                reason: format!("no HTTP client: {error}"),
            })?;
        let attempts = Attempts {
            retries: config.retries,
            timeout: config.timeout,
            backoff: RetryPolicy {
                base: Duration::from_millis(250),
                max: Duration::from_secs(5),
            },
        };
        Ok(Arc::new(Self {
            http,
            endpoint: config.endpoint(),
            api_key: config.api_key.clone(),
            permits: Semaphore::new(config.max_concurrency.max(1)),
            attempts,
            config,
        }))
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// The request body, as sent.
    pub fn body(&self, request: &Request) -> Result<Value, ProviderError> {
        let mut completion = ChatCompletionRequest::new(
            self.config.models.for_task(request.task).to_owned(),
            request.messages.clone(),
        );
        completion.max_tokens = Some(request.max_tokens);
        completion.response_format = request.response_format.clone();
        if !request.tools.is_empty() {
            completion.parallel_tool_calls = Some(false);
        }
        let mut body =
            serde_json::to_value(&completion).map_err(|error| ProviderError::Invalid {
                provider: request.task.provider(),
                reason: format!("request not serialised: {error}"),
            })?;
        if let Value::Object(fields) = &mut body {
            if !request.tools.is_empty() {
                fields.insert("tools".into(), Value::Array(request.tools.clone()));
            }
            let choice = match request.tool_choice {
                ToolChoice::None => None,
                ToolChoice::Required => Some(json!("required")),
                ToolChoice::Only(name) => {
                    Some(json!({"type": "function", "function": {"name": name}}))
                }
            };
            if let Some(choice) = choice.filter(|_| !request.tools.is_empty()) {
                fields.insert("tool_choice".into(), choice);
            }
        }
        Ok(body)
    }

    /// One completion, with retries on 429 (honouring `Retry-After`), 5xx and timeouts.
    pub async fn complete(&self, request: &Request) -> Result<Reply, ProviderError> {
        let body = self.body(request)?;
        let prompt_chars = body.to_string().chars().count();
        let task = request.task;
        self.attempts
            .run(task.provider(), |_| self.attempt(task, &body, prompt_chars))
            .await
    }

    /// A completion read by `read`; an answer `read` refuses (malformed JSON, a schema or
    /// rule broken, no tool called) is asked for once more, then the error is returned for
    /// the caller's fallback.
    pub async fn ask<T>(
        &self,
        request: &Request,
        read: impl Fn(&Reply) -> Result<T, ProviderError>,
    ) -> Result<T, ProviderError> {
        let mut rejected = None;
        for _ in 0..2 {
            let reply = self.complete(request).await?;
            match read(&reply) {
                Ok(value) => return Ok(value),
                Err(error @ ProviderError::Invalid { .. }) => {
                    log::warn!("{error}; asking once more");
                    rejected = Some(error);
                }
                Err(error) => return Err(error),
            }
        }
        Err(rejected.unwrap_or(ProviderError::Invalid {
            provider: request.task.provider(),
            reason: "no usable answer".into(),
        }))
    }

    async fn attempt(
        &self,
        task: LlmTask,
        body: &Value,
        prompt_chars: usize,
    ) -> Result<Reply, ProviderError> {
        match self.send(task, body, prompt_chars).await {
            Ok((reply, problem)) => {
                record_call(task, &reply.usage);
                match problem {
                    Some(reason) => Err(ProviderError::Invalid {
                        provider: task.provider(),
                        reason,
                    }),
                    None => Ok(reply),
                }
            }
            Err(error) => {
                record_error(task);
                Err(error)
            }
        }
    }

    async fn send(
        &self,
        task: LlmTask,
        body: &Value,
        prompt_chars: usize,
    ) -> Result<(Reply, Option<String>), ProviderError> {
        let provider = task.provider();
        let unavailable = |reason: String| ProviderError::Unavailable { provider, reason };
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| unavailable("the client is closed".into()))?;
        let response = self
            .http
            .post(&self.endpoint)
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await
            .map_err(|error| unavailable(error.without_url().to_string()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response
            .text()
            .await
            .map_err(|error| unavailable(error.without_url().to_string()))?;
        if !status.is_success() {
            // A spent quota answers 429 too, but waiting does not help.
            if status == reqwest::StatusCode::TOO_MANY_REQUESTS
                && text.contains("insufficient_quota")
            {
                return Err(ProviderError::Invalid {
                    provider,
                    reason: "the account's quota is spent".into(),
                });
            }
            return Err(ProviderError::from_status(
                provider, status, &headers, &text,
            ));
        }
        read_reply(provider, &text, prompt_chars)
    }
}

/// The parts of a response this client uses, every one optional.
#[derive(Deserialize, Default)]
#[serde(default)]
struct WireResponse {
    choices: Vec<WireChoice>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireChoice {
    message: WireMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireMessage {
    content: Option<String>,
    refusal: Option<String>,
    tool_calls: Option<Vec<WireToolCall>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireToolCall {
    function: WireFunction,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireFunction {
    name: String,
    arguments: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
}

/// Tokens estimated from characters (about four per token in English and Polish prose).
fn estimate(chars: usize) -> u64 {
    (chars as u64).div_ceil(4)
}

/// The reply, and what makes it unusable if something does.
fn read_reply(
    provider: &'static str,
    text: &str,
    prompt_chars: usize,
) -> Result<(Reply, Option<String>), ProviderError> {
    let invalid = |reason: String| ProviderError::Invalid { provider, reason };
    let wire: WireResponse = serde_json::from_str(text)
        .map_err(|error| invalid(format!("the response is not JSON: {error}")))?;
    let choice = wire
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| invalid("no choice in the response".into()))?;
    let tool_calls: Vec<ToolCall> = choice
        .message
        .tool_calls
        .unwrap_or_default()
        .into_iter()
        .map(|call| ToolCall {
            name: call.function.name,
            arguments: call.function.arguments,
        })
        .collect();
    let completion_chars = choice.message.content.as_deref().map_or(0, str::len)
        + tool_calls
            .iter()
            .map(|call| call.name.len() + call.arguments.to_string().len())
            .sum::<usize>();
    let reported = wire.usage.unwrap_or_default();
    let usage = Usage {
        calls: 1,
        prompt_tokens: reported
            .prompt_tokens
            .unwrap_or_else(|| estimate(prompt_chars)),
        completion_tokens: reported
            .completion_tokens
            .unwrap_or_else(|| estimate(completion_chars)),
        estimated: reported.prompt_tokens.is_none() || reported.completion_tokens.is_none(),
        fallbacks: 0,
    };
    let reply = Reply {
        content: choice.message.content.clone(),
        tool_calls,
        finish_reason: choice.finish_reason,
        usage,
    };
    // Counted (the tokens were spent), but not usable: a refusal, a cut-off or a filtered
    // answer.
    let refusal = choice.message.refusal.filter(|r| !r.trim().is_empty());
    let problem = match (refusal, reply.finish_reason.as_deref()) {
        (Some(refusal), _) => Some(format!("the model refused: {refusal}")),
        (None, Some("length")) => Some("the answer was cut off (length)".to_owned()),
        (None, Some("content_filter")) => Some("the answer was filtered".to_owned()),
        // `stop`, `tool_calls`, none, or anything a compatible server made up.
        _ => None,
    };
    Ok((reply, problem))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{read_reply, strip_fences};
    use crate::services::provider::ProviderError;

    #[test]
    fn a_reply_without_usage_is_estimated_and_arguments_may_be_strings_or_objects() {
        let text = json!({
            "choices": [{
                "message": {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "ask_question", "arguments": "{\"question\":\"Ile lat?\"}"}},
                    {"function": {"name": "other", "arguments": {"a": 1}}}
                ]},
                "finish_reason": "something_new"
            }]
        })
        .to_string();
        let (reply, problem) = read_reply("p", &text, 400).unwrap();
        assert_eq!(problem, None);
        assert!(reply.usage.estimated);
        assert_eq!(reply.usage.prompt_tokens, 100);
        assert!(reply.usage.completion_tokens > 0);
        let first: serde_json::Value = reply.tool_calls[0].parse("p").unwrap();
        assert_eq!(first["question"], "Ile lat?");
        let second: serde_json::Value = reply.tool_calls[1].parse("p").unwrap();
        assert_eq!(second["a"], 1);
    }

    #[test]
    fn reported_usage_is_kept_and_cut_off_or_refused_answers_are_unusable() {
        let ok = json!({"choices": [{"message": {"content": "{}"}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}});
        let (reply, _) = read_reply("p", &ok.to_string(), 10_000).unwrap();
        assert_eq!(
            (reply.usage.prompt_tokens, reply.usage.completion_tokens),
            (12, 3)
        );
        assert!(!reply.usage.estimated);
        let cut =
            json!({"choices": [{"message": {"content": "{\"a\":"}, "finish_reason": "length"}]});
        let (_, problem) = read_reply("p", &cut.to_string(), 1).unwrap();
        assert!(problem.unwrap().contains("cut off"));
        let refused = json!({"choices": [{"message": {"content": null, "refusal": "no"}, "finish_reason": "stop"}]});
        let (_, problem) = read_reply("p", &refused.to_string(), 1).unwrap();
        assert!(problem.unwrap().contains("refused"));
        assert!(matches!(
            read_reply("p", "<html>", 1),
            Err(ProviderError::Invalid { .. })
        ));
        assert!(read_reply("p", "{\"choices\": []}", 1).is_err());
    }

    #[test]
    fn code_fences_around_json_are_removed() {
        assert_eq!(strip_fences("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_fences(" {\"a\":1} "), "{\"a\":1}");
    }
}
