ALTER TABLE products DROP COLUMN details;
