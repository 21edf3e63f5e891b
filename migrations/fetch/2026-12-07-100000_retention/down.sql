DROP INDEX provider_calls_called_at;
DROP INDEX query_cache_expires_at;
