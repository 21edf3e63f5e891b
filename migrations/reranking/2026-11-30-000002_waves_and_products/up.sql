-- A wave is complete when every expected fetch request has answered; it is counted by the set of
-- request ids, never by a counter, so duplicates, reordering and late arrivals cannot break it.
CREATE TABLE waves (
    wave_id      uuid        PRIMARY KEY,
    chat_id      uuid        NOT NULL,
    wave         integer     NOT NULL,
    context      jsonb       NOT NULL,
    status       text        NOT NULL DEFAULT 'collecting' CHECK (status IN ('collecting', 'finalized')),
    deadline_at  timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finalized_at timestamptz,
    UNIQUE (chat_id, wave)
);
CREATE INDEX waves_collecting_deadline ON waves (deadline_at) WHERE status = 'collecting';

-- Fetch requests of a wave. A row may be created by the answer before the wave announcement
-- arrives (expected = false until then).
CREATE TABLE wave_requests (
    request_id  uuid        PRIMARY KEY,
    wave_id     uuid        NOT NULL,
    provider    text,
    expected    boolean     NOT NULL DEFAULT false,
    received_at timestamptz,
    success     boolean,
    error       text
);
CREATE INDEX wave_requests_wave ON wave_requests (wave_id);

CREATE TABLE products (
    id               uuid             PRIMARY KEY,
    chat_id          uuid             NOT NULL,
    wave_id          uuid             NOT NULL,
    request_id       uuid             NOT NULL,
    provider         text             NOT NULL,
    title            text             NOT NULL,
    description      text             NOT NULL,
    link             text             NOT NULL,
    image            text,
    price_value      double precision,
    price_label      text,
    price_currency   text,
    price_negotiable boolean          NOT NULL DEFAULT false,
    category         text,
    score            double precision,
    reasoning        text,
    created_at       timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX products_chat ON products (chat_id);
CREATE INDEX products_wave ON products (wave_id);

-- The one result of a chat's search: GiftReadyEvent is emitted exactly once per chat.
CREATE TABLE results (
    chat_id    uuid        PRIMARY KEY,
    wave_id    uuid        NOT NULL,
    partial    boolean     NOT NULL,
    gift_count integer     NOT NULL,
    emitted_at timestamptz NOT NULL DEFAULT now()
);
