use async_trait::async_trait;

use super::interviewer::{
    EmbeddedInterviewer, InterviewContext, InterviewSettings, InterviewerState, Turn,
};
use crate::services::provider::ProviderError;

/// What an interviewer gets for one turn. `state` is the interviewer's own memory between
/// turns (opaque JSON kept in the chat database).
pub struct InterviewInput<'a> {
    pub context: InterviewContext<'a>,
    pub state: &'a mut serde_json::Value,
    /// Questions asked so far (the next one would be number `question_count + 1`).
    pub question_count: u32,
}

/// Asks the questions. Implemented by the embedded rule-based interviewer and by LLM ones.
#[async_trait]
pub trait Interviewer: Send + Sync {
    /// The first question.
    async fn start(&self, input: InterviewInput<'_>) -> Result<Turn, ProviderError>;
    /// The next turn after the giver's `answer`.
    async fn answer(&self, input: InterviewInput<'_>, answer: &str) -> Result<Turn, ProviderError>;
}

/// The rule-based interviewer: no keys, no network, deterministic.
pub struct EmbeddedInterviewerProvider {
    interviewer: EmbeddedInterviewer,
}

impl EmbeddedInterviewerProvider {
    pub fn new(max_questions: u32, min_questions: u32) -> Self {
        Self {
            interviewer: EmbeddedInterviewer::new(InterviewSettings {
                max_questions,
                min_questions,
            }),
        }
    }

    fn with_state(
        input: InterviewInput<'_>,
        turn: impl FnOnce(&InterviewContext<'_>, &mut InterviewerState) -> Turn,
    ) -> Result<Turn, ProviderError> {
        let mut state: InterviewerState =
            serde_json::from_value(input.state.take()).unwrap_or_default();
        let next = turn(&input.context, &mut state);
        *input.state = serde_json::to_value(&state).map_err(|e| ProviderError::Invalid {
            provider: "embedded interviewer",
            reason: e.to_string(),
        })?;
        Ok(next)
    }
}

#[async_trait]
impl Interviewer for EmbeddedInterviewerProvider {
    async fn start(&self, input: InterviewInput<'_>) -> Result<Turn, ProviderError> {
        Self::with_state(input, |context, state| {
            self.interviewer.start(context, state)
        })
    }

    async fn answer(&self, input: InterviewInput<'_>, answer: &str) -> Result<Turn, ProviderError> {
        Self::with_state(input, |context, state| {
            self.interviewer.answer(context, state, answer)
        })
    }
}
