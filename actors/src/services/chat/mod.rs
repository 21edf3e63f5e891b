//! The interview service.

pub mod interviewer;
