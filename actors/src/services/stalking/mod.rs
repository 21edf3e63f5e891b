//! The profile-reading service.

pub mod extractor;
