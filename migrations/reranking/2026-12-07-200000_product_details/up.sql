-- What a marketplace says of a product beyond the essentials (its own offer id, seller,
-- location, condition, rating), as the product's JSON has it; null when it says nothing.
ALTER TABLE products ADD COLUMN details jsonb;
