-- The gift-search saga: one row per chat, with the deadlines the sweeper acts on.
CREATE TABLE gift_sessions (
    chat_id             uuid             PRIMARY KEY,
    status              text             NOT NULL DEFAULT 'collecting'
                                         CHECK (status IN ('collecting', 'generating', 'completed', 'failed')),
    stage               text             NOT NULL DEFAULT 'interview',
    interview_status    text             NOT NULL DEFAULT 'pending'
                                         CHECK (interview_status IN ('pending', 'completed', 'inappropriate')),
    stalking_status     text             NOT NULL DEFAULT 'pending'
                                         CHECK (stalking_status IN ('pending', 'completed', 'skipped')),
    locale              text,
    profile             jsonb,
    key_themes          jsonb,
    facts               jsonb            NOT NULL DEFAULT '[]',
    min_price           double precision,
    max_price           double precision,
    current_wave        integer          NOT NULL DEFAULT 0,
    stalking_deadline_at timestamptz,
    stage_deadline_at   timestamptz,
    session_deadline_at timestamptz,
    finalize_requested  boolean          NOT NULL DEFAULT false,
    created_at          timestamptz      NOT NULL DEFAULT now(),
    updated_at          timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX gift_sessions_open_deadlines ON gift_sessions (LEAST(stalking_deadline_at, stage_deadline_at, session_deadline_at))
    WHERE status IN ('collecting', 'generating');

-- Every generation wave: the ideas and the search queries sent to each marketplace.
CREATE TABLE idea_waves (
    wave_id    uuid        PRIMARY KEY,
    chat_id    uuid        NOT NULL,
    wave       integer     NOT NULL,
    ideas      jsonb       NOT NULL DEFAULT '[]',
    queries    jsonb       NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (chat_id, wave)
);
