-- Every access token carries the generation of its account's sessions at its issue; a
-- request is served only while they still match. Signing out raises it: every access token
-- issued before ends at once, on every instance (refresh tokens not revoked get new ones).
ALTER TABLE users ADD COLUMN session_generation integer NOT NULL DEFAULT 0;
