ALTER TABLE listings DROP COLUMN details;
