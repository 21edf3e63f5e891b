DROP TABLE provider_calls;
DROP TABLE query_cache;
