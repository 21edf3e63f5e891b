-- One result per refinement round (0: the search itself), not one per chat.
ALTER TABLE results ADD COLUMN round integer NOT NULL DEFAULT 0;
ALTER TABLE results DROP CONSTRAINT results_pkey;
ALTER TABLE results ADD PRIMARY KEY (chat_id, round);
