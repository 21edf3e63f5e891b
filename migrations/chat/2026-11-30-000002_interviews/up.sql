-- One interview per chat. `phase` drives the state machine; answers are serialised per chat
-- by locking this row, so ordering holds across replicas whatever the delivery order.
CREATE TABLE interviews (
    chat_id            uuid        PRIMARY KEY,
    occasion           text        NOT NULL,
    locale             text        NOT NULL,
    phase              text        NOT NULL DEFAULT 'interview'
                                   CHECK (phase IN ('interview', 'ask_save_profile', 'ask_profile_name', 'completed', 'aborted')),
    question_count     integer     NOT NULL DEFAULT 0,
    pending_message_id uuid,
    interviewer_state  jsonb       NOT NULL DEFAULT '{}',
    saved_profile      jsonb,
    saved_profile_name text,
    saved_key_themes   jsonb       NOT NULL DEFAULT '[]',
    profile            jsonb,
    key_themes         jsonb,
    save_profile       boolean,
    profile_name       text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- The server-side transcript: the only history the interviewer ever sees.
CREATE TABLE transcript_messages (
    id                uuid        PRIMARY KEY,
    chat_id           uuid        NOT NULL REFERENCES interviews (chat_id) ON DELETE CASCADE,
    seq               integer     NOT NULL,
    role              text        NOT NULL CHECK (role IN ('user', 'assistant')),
    content           text        NOT NULL,
    potential_answers jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (chat_id, seq)
);
