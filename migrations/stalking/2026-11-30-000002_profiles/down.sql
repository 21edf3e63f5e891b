DROP TABLE analyses;
DROP TABLE scrape_cache;
