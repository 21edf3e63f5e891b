CREATE TABLE users (
    id          uuid        PRIMARY KEY,
    email       text,
    google_sub  text        UNIQUE,
    name        text,
    given_name  text,
    family_name text,
    picture     text,
    role        text        NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    is_guest    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

-- Refresh tokens are stored as SHA-256 hashes; rotation links tokens of one login into a family
-- so that reuse of a rotated token can revoke the whole family.
CREATE TABLE refresh_tokens (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- OAuth authorization requests in flight: the `state` value and its PKCE verifier.
CREATE TABLE oauth_states (
    state         text        PRIMARY KEY,
    pkce_verifier text        NOT NULL,
    guest_user_id uuid        REFERENCES users (id) ON DELETE CASCADE,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chats (
    chat_id                uuid        PRIMARY KEY,
    user_id                uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chat_name              text        NOT NULL,
    occasion               text        NOT NULL,
    locale                 text        NOT NULL DEFAULT 'pl',
    status                 text        NOT NULL DEFAULT 'interview'
                                       CHECK (status IN ('interview', 'searching', 'ready', 'failed')),
    is_interview_completed boolean     NOT NULL DEFAULT false,
    reasoning_summary      jsonb,
    last_ui_event_seq      bigint      NOT NULL DEFAULT 0,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chats_user_created ON chats (user_id, created_at DESC);

CREATE TABLE messages (
    id               uuid        PRIMARY KEY,
    chat_id          uuid        NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
    role             text        NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content          text        NOT NULL,
    proposed_answers jsonb,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX messages_chat_created ON messages (chat_id, created_at);

-- Every user-facing update of a chat, numbered per chat, kept for SSE replay (Last-Event-ID).
CREATE TABLE ui_events (
    chat_id    uuid        NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    event_name text        NOT NULL,
    data       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, seq)
);

CREATE TABLE listings (
    id               uuid             PRIMARY KEY,
    chat_id          uuid             NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
    rank             integer          NOT NULL,
    image            text,
    title            text             NOT NULL,
    description      text             NOT NULL,
    link             text             NOT NULL,
    price_value      double precision,
    price_label      text,
    price_currency   text,
    price_negotiable boolean          NOT NULL DEFAULT false,
    category         text,
    provider         text             NOT NULL,
    score            double precision NOT NULL,
    reasoning        text             NOT NULL,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (chat_id, rank)
);

CREATE TABLE favorites (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    listing_id uuid        NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, listing_id)
);
CREATE INDEX favorites_listing ON favorites (listing_id);

CREATE TABLE user_profiles (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chat_id     uuid,
    person_name text        NOT NULL,
    profile     jsonb       NOT NULL,
    key_themes  jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, person_name)
);

CREATE TABLE feedback (
    id         uuid        PRIMARY KEY,
    chat_id    uuid        NOT NULL UNIQUE REFERENCES chats (chat_id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating     smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_created ON feedback (created_at DESC);
