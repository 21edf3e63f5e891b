-- What the history list (GET /chats) reads, shaped so that it reads one row per chat and
-- sends it on as stored:
-- * how many gifts the chat's search stored, kept on the chat instead of counted over the
--   listings on every request (listings are stored once per chat, with its results, and are
--   deleted only with it);
-- * the reasoning summary as `json` (its text as written) rather than `jsonb`, which has to be
--   turned back into text on every read; nothing queries inside it.
ALTER TABLE chats ADD COLUMN gift_count integer NOT NULL DEFAULT 0;
UPDATE chats
SET gift_count = stored.gifts
FROM (SELECT chat_id, count(*) AS gifts FROM listings GROUP BY chat_id) AS stored
WHERE stored.chat_id = chats.chat_id;
ALTER TABLE chats ALTER COLUMN reasoning_summary TYPE json USING reasoning_summary::json;
