//! The `inbox` and `outbox` tables, present in every database with the same shape (see the
//! `*_messaging` migrations), so one definition serves all six.

diesel::table! {
    inbox (event_id, consumer) {
        event_id -> Uuid,
        consumer -> Text,
        event_type -> Text,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    outbox (id) {
        id -> Uuid,
        event_type -> Text,
        envelope -> Jsonb,
        created_at -> Timestamptz,
    }
}
