// @generated automatically by Diesel CLI.

diesel::table! {
    products (id) {
        id -> Uuid,
        chat_id -> Uuid,
        wave_id -> Uuid,
        request_id -> Uuid,
        provider -> Text,
        title -> Text,
        description -> Text,
        link -> Text,
        image -> Nullable<Text>,
        price_value -> Nullable<Float8>,
        price_label -> Nullable<Text>,
        price_currency -> Nullable<Text>,
        price_negotiable -> Bool,
        category -> Nullable<Text>,
        score -> Nullable<Float8>,
        reasoning -> Nullable<Text>,
        created_at -> Timestamptz,
        details -> Nullable<Jsonb>,
    }
}

diesel::table! {
    results (chat_id, round) {
        chat_id -> Uuid,
        wave_id -> Uuid,
        partial -> Bool,
        gift_count -> Int4,
        emitted_at -> Timestamptz,
        round -> Int4,
    }
}

diesel::table! {
    wave_requests (request_id) {
        request_id -> Uuid,
        wave_id -> Uuid,
        provider -> Nullable<Text>,
        expected -> Bool,
        received_at -> Nullable<Timestamptz>,
        success -> Nullable<Bool>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    waves (wave_id) {
        wave_id -> Uuid,
        chat_id -> Uuid,
        wave -> Int4,
        context -> Jsonb,
        status -> Text,
        deadline_at -> Timestamptz,
        created_at -> Timestamptz,
        finalized_at -> Nullable<Timestamptz>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(products, results, wave_requests, waves,);
