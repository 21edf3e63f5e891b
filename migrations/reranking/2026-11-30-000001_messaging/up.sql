-- Inbox: every consumed event id, recorded in the same transaction as the state change it caused,
-- so a redelivered event is acknowledged without a second effect.
CREATE TABLE inbox (
    event_id    uuid        NOT NULL,
    consumer    text        NOT NULL,
    event_type  text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);
CREATE INDEX inbox_received_at ON inbox (received_at);

-- Outbox: events produced by a state change, written in the producer's transaction and
-- published by the relay, so a crash between commit and publish loses nothing.
CREATE TABLE outbox (
    id         uuid        PRIMARY KEY,
    event_type text        NOT NULL,
    envelope   jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX outbox_created_at ON outbox (created_at);
