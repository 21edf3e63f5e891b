-- "More like this / not this" rounds after the results, and what they asked for.
ALTER TABLE gift_sessions
    ADD COLUMN round integer NOT NULL DEFAULT 0,
    ADD COLUMN refinement jsonb;
