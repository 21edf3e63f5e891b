DROP TABLE idea_waves;
DROP TABLE gift_sessions;
