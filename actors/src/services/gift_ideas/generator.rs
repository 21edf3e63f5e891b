//! The embedded idea generator (being written).
