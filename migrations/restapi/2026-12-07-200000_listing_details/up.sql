-- The product details a marketplace gave (its own offer id, seller, location, condition,
-- rating), as the gift's JSON has them; null when it gave none.
ALTER TABLE listings ADD COLUMN details jsonb;
