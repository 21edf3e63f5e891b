-- The retention sweeper deletes tombstones older than TOMBSTONE_RETENTION_DAYS, oldest
-- first, in small batches. (The inbox is already indexed by received_at.)
CREATE INDEX erased_chats_erased_at ON erased_chats (erased_at);

-- The last time the account was used (sign-in, token refresh; touched at most once an hour).
-- Guests unused for GUEST_TTL_DAYS are deleted with all their data; existing accounts
-- count from now.
ALTER TABLE users ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX users_guest_last_seen ON users (last_seen_at) WHERE is_guest AND google_sub IS NULL;
