use schemars::{SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};

use super::catalog::for_each_event_schema;

/// The machine-readable catalog: a JSON Schema document describing the envelope and, for
/// every event, its name, version and payload schema. Checked in as `docs/events.schema.json`.
pub fn catalog_schema() -> Value {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let envelope = generator.subschema_for::<super::Envelope>();
    let mut events = Map::new();
    for_each_event_schema(&mut generator, |name, version, schema| {
        events.insert(
            name.to_owned(),
            json!({ "version": version, "routingKey": name, "payload": schema }),
        );
    });
    let definitions: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://present-finder.app/events.schema.json",
        "title": "Present Finder event catalog",
        "description": "Every event exchanged by the Present Finder services. Each message on the wire is an envelope whose `type` names one of `events` and whose `payload` matches that event's schema.",
        "envelope": envelope,
        "events": events,
        "$defs": definitions,
    })
}
