-- The saved recipient profile a search started from: its earlier searches' favourites and
-- good ratings count as likes when the user refines the results.
ALTER TABLE chats ADD COLUMN profile_id uuid;
CREATE INDEX chats_profile_id ON chats (profile_id) WHERE profile_id IS NOT NULL;
