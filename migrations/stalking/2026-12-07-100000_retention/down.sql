DROP INDEX scrape_cache_expires_at;
DROP INDEX erased_chats_erased_at;
