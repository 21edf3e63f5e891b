-- Scraped social profiles, cached per URL until expires_at.
CREATE TABLE scrape_cache (
    url        text        PRIMARY KEY,
    network    text        NOT NULL,
    record     jsonb,
    error      text,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

-- One analysis per chat; its existence guarantees exactly one StalkingCompletedEvent.
CREATE TABLE analyses (
    chat_id      uuid        PRIMARY KEY,
    facts        jsonb       NOT NULL DEFAULT '[]',
    sources      jsonb       NOT NULL DEFAULT '[]',
    requested_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
);
