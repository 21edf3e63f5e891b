-- Chats erased at their owner's request (chat or account deletion). Only a SHA-256 digest of
-- the chat id is kept, never the id itself, so no row anywhere names the erased chat; the
-- tombstone makes late events of the chat acknowledged without effect (nothing is recreated)
-- and keeps the id from being reused.
CREATE TABLE erased_chats (
    chat_digest bytea       PRIMARY KEY,
    erased_at   timestamptz NOT NULL DEFAULT now()
);
