//! The embedded fact extractor (being written).
