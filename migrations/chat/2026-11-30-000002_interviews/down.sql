DROP TABLE transcript_messages;
DROP TABLE interviews;
