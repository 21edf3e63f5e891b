//! Generators for the provider parsers' property tests: any JSON with the field names a
//! parser looks for, and reference fixtures with any one part replaced.

use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON value a few levels deep, with the field names the parsers look for.
pub(crate) fn any_json(names: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,16}".prop_map(Value::from),
        Just(json!("349,00 zł")),
        Just(json!("1e999")),
    ];
    leaf.prop_recursive(4, 40, 6, move |inner| {
        let name = prop_oneof![
            prop::sample::select(names).prop_map(str::to_owned),
            "[a-z_]{1,10}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            prop::collection::btree_map(name, inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value`.
fn pointers(value: &Value, at: String, into: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                pointers(field, format!("{at}/{key}"), into);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{index}"), into);
            }
        }
        _ => {}
    }
    into.push(at);
}

/// `fixture` with the part at one of its pointers replaced by any JSON.
pub(crate) fn mutated(
    fixture: &str,
    names: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let value: Value = serde_json::from_str(fixture).unwrap_or(Value::Null);
    let mut all = Vec::new();
    pointers(&value, String::new(), &mut all);
    (prop::sample::select(all), any_json(names)).prop_map(move |(pointer, replacement)| {
        let mut value = value.clone();
        match value.pointer_mut(&pointer) {
            Some(part) => *part = replacement,
            None => value = replacement,
        }
        value.to_string()
    })
}
