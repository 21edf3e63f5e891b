//! The gift-search saga.
