//! The interview service: one question at a time, the transcript kept server-side, a hard
//! cap on questions, then the save-profile sub-dialog. State lives in the chat database; each
//! answer is serialised per chat by a row lock, so replicas and redeliveries cannot reorder it.

mod dialog;
pub mod interviewer;
mod provider;
mod repository;
mod service;

pub use provider::{EmbeddedInterviewerProvider, InterviewInput, Interviewer};
pub use service::{ChatService, start};
