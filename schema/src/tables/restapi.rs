// @generated automatically by Diesel CLI.

diesel::table! {
    chats (chat_id) {
        chat_id -> Uuid,
        user_id -> Uuid,
        chat_name -> Text,
        occasion -> Text,
        locale -> Text,
        status -> Text,
        is_interview_completed -> Bool,
        reasoning_summary -> Nullable<Json>,
        last_ui_event_seq -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        progress_percent -> Int2,
        gift_count -> Int4,
        profile_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    favorites (user_id, listing_id) {
        user_id -> Uuid,
        listing_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    feedback (id) {
        id -> Uuid,
        chat_id -> Uuid,
        user_id -> Uuid,
        rating -> Int2,
        comment -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    listings (id) {
        id -> Uuid,
        chat_id -> Uuid,
        rank -> Int4,
        image -> Nullable<Text>,
        title -> Text,
        description -> Text,
        link -> Text,
        price_value -> Nullable<Float8>,
        price_label -> Nullable<Text>,
        price_currency -> Nullable<Text>,
        price_negotiable -> Bool,
        category -> Nullable<Text>,
        provider -> Text,
        score -> Float8,
        reasoning -> Text,
        created_at -> Timestamptz,
        details -> Nullable<Jsonb>,
    }
}

diesel::table! {
    messages (id) {
        id -> Uuid,
        chat_id -> Uuid,
        role -> Text,
        content -> Text,
        proposed_answers -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    oauth_states (state) {
        state -> Text,
        pkce_verifier -> Text,
        guest_user_id -> Nullable<Uuid>,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        rotated_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    ui_events (chat_id, seq) {
        chat_id -> Uuid,
        seq -> Int8,
        event_name -> Text,
        data -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    user_profiles (id) {
        id -> Uuid,
        user_id -> Uuid,
        chat_id -> Nullable<Uuid>,
        person_name -> Text,
        profile -> Jsonb,
        key_themes -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Nullable<Text>,
        google_sub -> Nullable<Text>,
        name -> Nullable<Text>,
        given_name -> Nullable<Text>,
        family_name -> Nullable<Text>,
        picture -> Nullable<Text>,
        role -> Text,
        is_guest -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        session_generation -> Int4,
        last_seen_at -> Timestamptz,
    }
}

diesel::joinable!(chats -> users (user_id));
diesel::joinable!(favorites -> listings (listing_id));
diesel::joinable!(favorites -> users (user_id));
diesel::joinable!(feedback -> chats (chat_id));
diesel::joinable!(feedback -> users (user_id));
diesel::joinable!(listings -> chats (chat_id));
diesel::joinable!(messages -> chats (chat_id));
diesel::joinable!(oauth_states -> users (guest_user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(ui_events -> chats (chat_id));
diesel::joinable!(user_profiles -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    chats,
    favorites,
    feedback,
    listings,
    messages,
    oauth_states,
    refresh_tokens,
    ui_events,
    user_profiles,
    users,
);
