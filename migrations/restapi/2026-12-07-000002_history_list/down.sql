ALTER TABLE chats ALTER COLUMN reasoning_summary TYPE jsonb USING reasoning_summary::jsonb;
ALTER TABLE chats DROP COLUMN gift_count;
