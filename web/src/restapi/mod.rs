//! The restapi service: owns the restapi database (users, chats, messages, listings, saved
//! profiles, ui events). Its commands start searches and take answers; its consumer persists
//! the pipeline's user-facing events and records them as numbered ui events for SSE.

pub mod commands;
mod consumer;
pub mod listing;
pub mod queries;
pub mod ui;

pub use consumer::{RestapiService, start};
