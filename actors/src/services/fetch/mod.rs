//! The marketplace search service.

pub mod catalog;
