// @generated automatically by Diesel CLI.

diesel::table! {
    interviews (chat_id) {
        chat_id -> Uuid,
        occasion -> Text,
        locale -> Text,
        phase -> Text,
        question_count -> Int4,
        pending_message_id -> Nullable<Uuid>,
        interviewer_state -> Jsonb,
        saved_profile -> Nullable<Jsonb>,
        saved_profile_name -> Nullable<Text>,
        saved_key_themes -> Jsonb,
        profile -> Nullable<Jsonb>,
        key_themes -> Nullable<Jsonb>,
        save_profile -> Nullable<Bool>,
        profile_name -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    transcript_messages (id) {
        id -> Uuid,
        chat_id -> Uuid,
        seq -> Int4,
        role -> Text,
        content -> Text,
        potential_answers -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(transcript_messages -> interviews (chat_id));

diesel::allow_tables_to_appear_in_same_query!(interviews, transcript_messages,);
