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

    /// Runs `turn` on the state of `input`, read as the embedded interviewer's own. No state
    /// (`null`, before the first question) starts afresh, and so does an object of another
    /// interviewer's (unknown fields are ignored: the embedded interviewer may stand in for
    /// another one); anything else that does not read back is an error, never a silent
    /// restart of the interview.
    fn with_state(
        input: InterviewInput<'_>,
        turn: impl FnOnce(&InterviewContext<'_>, &mut InterviewerState) -> Turn,
    ) -> Result<Turn, ProviderError> {
        let mut state: InterviewerState = match input.state.take() {
            serde_json::Value::Null => InterviewerState::default(),
            stored => {
                serde_json::from_value(stored).map_err(|e| ProviderError::UnreadableState {
                    provider: "embedded interviewer",
                    reason: e.to_string(),
                })?
            }
        };
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use serde_json::{Value, json};

    use super::*;
    use crate::vocabulary::{Locale, Occasion};

    async fn first_question(state: &mut Value) -> Result<Turn, ProviderError> {
        let interviewer = EmbeddedInterviewerProvider::new(8, 3);
        let input = InterviewInput {
            context: InterviewContext {
                occasion: Occasion::Birthday,
                locale: Locale::En,
                saved_profile: None,
                saved_key_themes: &[],
            },
            state,
            question_count: 0,
        };
        interviewer.start(input).await
    }

    #[actix_rt::test]
    async fn no_state_or_another_interviewers_state_starts_afresh() {
        for stored in [Value::Null, json!({}), json!({"transcript": ["elsewhere"]})] {
            let mut state = stored.clone();
            let turn = first_question(&mut state).await.unwrap();
            assert!(matches!(turn, Turn::Ask(_)), "{stored}: {turn:?}");
            assert_eq!(state["started"], true, "{stored}: {state}");
        }
    }

    #[actix_rt::test]
    async fn state_that_does_not_read_back_is_an_error_not_a_restart() {
        for stored in [
            json!("garbage"),
            json!([1, 2]),
            json!({"asked": "not a list"}),
        ] {
            let mut state = stored.clone();
            match first_question(&mut state).await {
                Err(ProviderError::UnreadableState { provider, reason }) => {
                    assert_eq!(provider, "embedded interviewer");
                    assert!(!reason.is_empty());
                }
                other => panic!("{stored}: {other:?}"),
            }
            assert!(
                !ProviderError::UnreadableState {
                    provider: "x",
                    reason: String::new()
                }
                .is_retryable()
            );
        }
    }
}
