DROP TABLE stalking_deadlines;
