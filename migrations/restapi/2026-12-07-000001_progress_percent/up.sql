-- The highest progress (percent) recorded for the chat: progress arrives from several services
-- and may come out of order; one that would move the bar backwards is not recorded.
ALTER TABLE chats
    ADD COLUMN progress_percent smallint NOT NULL DEFAULT 0
        CHECK (progress_percent BETWEEN 0 AND 100);
