//! The gift-search saga: one session per chat, opened by whichever first event arrives. It
//! starts generation when the interview is complete and the profile analysis is complete or
//! past its deadline, owns the deadlines of every stage, and makes sure each session ends in
//! results (possibly partial) or a failure the user can act on. No session may hang.

mod refinement;
mod repository;
mod saga;
mod service;
mod texts;

pub use saga::{Input, Output, Session, SessionStatus, Timing};
pub use service::{GiftService, start};
