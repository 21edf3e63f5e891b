DROP TABLE results;
DROP TABLE products;
DROP TABLE wave_requests;
DROP TABLE waves;
