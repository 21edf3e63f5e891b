//! The interview service: one question at a time, the transcript kept server-side, a hard
//! cap on questions, then the save-profile sub-dialog. State lives in the chat database. The
//! interviewer is asked with no connection held (within `INTERVIEW_TIMEOUT_S`, else the
//! embedded interviewer asks that turn); each turn is then stored under the interview's row
//! lock, only if the interview is still where it was when the turn was asked, so replicas and
//! redeliveries cannot reorder or repeat it.

mod dialog;
pub mod interviewer;
mod llm;
mod provider;
mod repository;
mod service;

pub use llm::{LlmInterviewer, interview_usage};
pub use provider::{EmbeddedInterviewerProvider, InterviewInput, Interviewer};
pub use service::{ChatService, start};
