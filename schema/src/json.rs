//! Values written to JSON columns.

use diesel::QueryResult;
use diesel::result::Error;
use serde::Serialize;

/// `value` as a JSON column holds it. A value that cannot be serialised fails the statement
/// (and its transaction) instead of storing `null` in its place.
pub fn to_column<T: Serialize + ?Sized>(value: &T) -> QueryResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| Error::SerializationError(Box::new(error)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::to_column;

    #[test]
    fn what_json_cannot_hold_is_an_error() {
        assert_eq!(to_column(&[1, 2]).ok(), Some(serde_json::json!([1, 2])));
        // JSON object keys are strings: a map with other keys cannot be written.
        let map: BTreeMap<Vec<u8>, u8> = BTreeMap::from([(vec![1], 1)]);
        assert!(to_column(&map).is_err());
    }
}
