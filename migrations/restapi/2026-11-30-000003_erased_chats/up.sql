-- Chats deleted by their owner (one by one or with the account). Only a SHA-256 digest of the
-- chat id is kept, never the id itself, so no row anywhere names the deleted chat; it keeps
-- the id from being used for a new chat, which the other services would ignore (they keep
-- the same tombstone and drop every later event of an erased chat).
CREATE TABLE erased_chats (
    chat_digest bytea       PRIMARY KEY,
    erased_at   timestamptz NOT NULL DEFAULT now()
);
