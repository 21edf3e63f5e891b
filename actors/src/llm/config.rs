use std::time::Duration;

use super::LlmTask;

/// The model asked for each task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmModels {
    pub interview: String,
    /// Should be vision-capable (profile pictures may come with the text).
    pub facts: String,
    pub ideas: String,
    pub scoring: String,
}

impl LlmModels {
    pub fn for_task(&self, task: LlmTask) -> &str {
        match task {
            LlmTask::Interview => &self.interview,
            LlmTask::Facts => &self.facts,
            LlmTask::Ideas => &self.ideas,
            LlmTask::Scoring => &self.scoring,
        }
    }
}

impl Default for LlmModels {
    fn default() -> Self {
        let model = LlmConfig::DEFAULT_MODEL.to_owned();
        Self {
            interview: model.clone(),
            facts: model.clone(),
            ideas: model.clone(),
            scoring: model,
        }
    }
}

/// How to reach the model (`OPENAI_*`, `LLM_*` variables).
#[derive(Clone)]
pub struct LlmConfig {
    pub api_key: String,
    /// The API root, e.g. `https://api.openai.com/v1`; requests go to
    /// `<base_url>/chat/completions`.
    pub base_url: String,
    pub models: LlmModels,
    /// Per attempt, waiting for a free slot included.
    pub timeout: Duration,
    /// Calls in flight at most, across every task of the process.
    pub max_concurrency: usize,
    /// Products of one wave the model scores at most (the embedded scorer pre-filters).
    pub scoring_max: usize,
    /// More attempts after the first on 429, 5xx and timeouts.
    pub retries: u32,
}

impl LlmConfig {
    pub const DEFAULT_MODEL: &'static str = "gpt-4o-mini";

    pub fn new(api_key: impl Into<String>, base_url: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            base_url: base_url.into(),
            models: LlmModels::default(),
            timeout: Duration::from_secs(20),
            max_concurrency: 64,
            scoring_max: 60,
            retries: 2,
        }
    }

    /// `<base_url>/chat/completions`, whether or not the base URL ends with a slash.
    pub fn endpoint(&self) -> String {
        format!("{}/chat/completions", self.base_url.trim_end_matches('/'))
    }
}

/// The API key stays out of logs.
impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("models", &self.models)
            .field("timeout", &self.timeout)
            .field("max_concurrency", &self.max_concurrency)
            .field("scoring_max", &self.scoring_max)
            .field("retries", &self.retries)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::LlmConfig;

    #[test]
    fn debug_output_hides_the_key_and_the_endpoint_ignores_a_trailing_slash() {
        let config = LlmConfig::new("sk-secret-123", "http://127.0.0.1:9/v1/");
        let shown = format!("{config:?}");
        assert!(!shown.contains("sk-secret-123"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert_eq!(config.endpoint(), "http://127.0.0.1:9/v1/chat/completions");
    }
}
