DROP INDEX users_guest_last_seen;
ALTER TABLE users DROP COLUMN last_seen_at;
DROP INDEX erased_chats_erased_at;
