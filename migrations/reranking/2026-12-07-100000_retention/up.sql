-- The retention sweeper deletes tombstones older than TOMBSTONE_RETENTION_DAYS, oldest
-- first, in small batches. (The inbox is already indexed by received_at.)
CREATE INDEX erased_chats_erased_at ON erased_chats (erased_at);
