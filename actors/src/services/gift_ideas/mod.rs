//! The idea and search-query service.

pub mod generator;
