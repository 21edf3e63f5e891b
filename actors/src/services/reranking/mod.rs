//! The collecting and scoring service.

pub mod scorer;
