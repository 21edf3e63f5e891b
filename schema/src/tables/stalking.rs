// @generated automatically by Diesel CLI.

diesel::table! {
    analyses (chat_id) {
        chat_id -> Uuid,
        facts -> Jsonb,
        sources -> Jsonb,
        requested_at -> Timestamptz,
        completed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    scrape_cache (url) {
        url -> Text,
        network -> Text,
        record -> Nullable<Jsonb>,
        error -> Nullable<Text>,
        fetched_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    stalking_deadlines (chat_id) {
        chat_id -> Uuid,
        deadline_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(analyses, scrape_cache, stalking_deadlines,);
