ALTER TABLE chats DROP COLUMN progress_percent;
