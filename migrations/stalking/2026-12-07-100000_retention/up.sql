-- The retention sweeper deletes tombstones older than TOMBSTONE_RETENTION_DAYS, oldest
-- first, in small batches. (The inbox is already indexed by received_at.)
CREATE INDEX erased_chats_erased_at ON erased_chats (erased_at);

-- Expired scraped profiles are never read again: the sweeper deletes them.
CREATE INDEX scrape_cache_expires_at ON scrape_cache (expires_at);
