//! The embedded scorer (being written).
