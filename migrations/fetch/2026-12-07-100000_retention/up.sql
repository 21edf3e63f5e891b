-- The retention sweeper deletes expired cached answers and old call log rows, oldest first,
-- in small batches.
CREATE INDEX query_cache_expires_at ON query_cache (expires_at);
CREATE INDEX provider_calls_called_at ON provider_calls (called_at);
