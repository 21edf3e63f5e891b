//! The event decoder under arbitrary input: whatever arrives from the broker (any bytes, any
//! envelope, any payload under any catalog name), decoding answers an error or a value and
//! never panics. `PROPTEST_CASES` sets the cases per property (default 256).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use present_finder_actors::events::{EVENT_NAMES, Envelope, check_payload};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,24}".prop_map(Value::from),
        // Values that look like what the catalog holds.
        Just(json!("pl")),
        Just(json!("2026-12-07T10:00:00Z")),
        Just(json!("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(field_name(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Field names of the catalog's payloads, and others.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "profile",
            "keyThemes",
            "question",
            "potentialAnswers",
            "products",
            "gifts",
            "priceRange",
            "minPrice",
            "maxPrice",
            "occasion",
            "locale",
            "requestId",
            "wave",
            "reason",
            "stage",
            "done",
            "total",
            "marketplace",
            "queries",
            "facts",
            "seq",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z]{1,12}",
    ]
}

fn envelope(event_type: &str, version: u32, payload: Value) -> Value {
    json!({
        "id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "type": event_type,
        "version": version,
        "occurredAt": "2026-12-07T10:00:00Z",
        "chatId": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c",
        "causationId": null,
        "payload": payload,
    })
}

proptest! {
    // A failure prints its minimal input; nothing is written next to the sources.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_decode_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(envelope) = Envelope::from_bytes(&bytes) {
            let _ = check_payload(&envelope);
        }
    }

    #[test]
    fn any_payload_under_any_event_name_decodes_or_fails_cleanly(
        name in prop::sample::select(EVENT_NAMES.to_vec()),
        version in 0u32..4,
        payload in any_json(),
    ) {
        let bytes = serde_json::to_vec(&envelope(name, version, payload)).unwrap();
        let envelope = Envelope::from_bytes(&bytes);
        prop_assert!(envelope.is_ok(), "a well-formed envelope: {envelope:?}");
        let _ = check_payload(&envelope.unwrap());
    }

    #[test]
    fn any_envelope_shape_decodes_or_fails_cleanly(value in any_json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        if let Ok(envelope) = Envelope::from_bytes(&bytes) {
            let _ = check_payload(&envelope);
        }
    }
}

#[test]
fn an_unknown_event_name_is_an_error_naming_it() {
    let bytes = serde_json::to_vec(&envelope("NoSuchEvent", 1, json!({}))).unwrap();
    let envelope = Envelope::from_bytes(&bytes).unwrap();
    let error = check_payload(&envelope).unwrap_err();
    assert!(error.to_string().contains("NoSuchEvent"), "{error}");
}

#[test]
fn a_real_event_passes_the_check() {
    let event = present_finder_actors::events::ChatInappropriateRequestEvent {
        reason: "weapons".into(),
    };
    let envelope = Envelope::new(uuid::Uuid::now_v7(), &event);
    let bytes = envelope.to_bytes();
    assert!(check_payload(&Envelope::from_bytes(&bytes).unwrap()).is_ok());
}
