ALTER TABLE gift_sessions
    DROP COLUMN refinement,
    DROP COLUMN round;
