// @generated automatically by Diesel CLI.

diesel::table! {
    provider_calls (id) {
        id -> Int8,
        provider -> Text,
        request_id -> Uuid,
        ok -> Bool,
        duration_ms -> Int4,
        error -> Nullable<Text>,
        called_at -> Timestamptz,
    }
}

diesel::table! {
    query_cache (provider, query_key) {
        provider -> Text,
        query_key -> Text,
        products -> Jsonb,
        fetched_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(provider_calls, query_cache,);
