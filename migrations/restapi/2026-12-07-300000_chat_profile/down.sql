DROP INDEX chats_profile_id;
ALTER TABLE chats DROP COLUMN profile_id;
