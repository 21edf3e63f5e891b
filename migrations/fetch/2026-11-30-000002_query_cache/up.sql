-- Identical marketplace queries within a short TTL are answered from here.
CREATE TABLE query_cache (
    provider   text        NOT NULL,
    query_key  text        NOT NULL,
    products   jsonb       NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (provider, query_key)
);

-- Every call made to a marketplace, for rate limiting and operations.
CREATE TABLE provider_calls (
    id          bigserial   PRIMARY KEY,
    provider    text        NOT NULL,
    request_id  uuid        NOT NULL,
    ok          boolean     NOT NULL,
    duration_ms integer     NOT NULL,
    error       text,
    called_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provider_calls_provider_time ON provider_calls (provider, called_at);
