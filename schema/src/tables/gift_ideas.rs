// @generated automatically by Diesel CLI.

diesel::table! {
    gift_sessions (chat_id) {
        chat_id -> Uuid,
        status -> Text,
        stage -> Text,
        interview_status -> Text,
        stalking_status -> Text,
        locale -> Nullable<Text>,
        profile -> Nullable<Jsonb>,
        key_themes -> Nullable<Jsonb>,
        facts -> Jsonb,
        min_price -> Nullable<Float8>,
        max_price -> Nullable<Float8>,
        current_wave -> Int4,
        stalking_deadline_at -> Nullable<Timestamptz>,
        stage_deadline_at -> Nullable<Timestamptz>,
        session_deadline_at -> Nullable<Timestamptz>,
        finalize_requested -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        round -> Int4,
        refinement -> Nullable<Jsonb>,
    }
}

diesel::table! {
    idea_waves (wave_id) {
        wave_id -> Uuid,
        chat_id -> Uuid,
        wave -> Int4,
        ideas -> Jsonb,
        queries -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(gift_sessions, idea_waves,);
