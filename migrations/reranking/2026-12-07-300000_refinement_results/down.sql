DELETE FROM results WHERE round > 0;
ALTER TABLE results DROP CONSTRAINT results_pkey;
ALTER TABLE results ADD PRIMARY KEY (chat_id);
ALTER TABLE results DROP COLUMN round;
