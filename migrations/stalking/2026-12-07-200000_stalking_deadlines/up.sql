-- When the search stops waiting for a chat's profile analysis: STALKING_DEADLINE_S after its
-- interview ended. Profile reads still running then are cut short (by whichever replica runs
-- them), since their result would no longer be used.
CREATE TABLE stalking_deadlines (
    chat_id     uuid        PRIMARY KEY,
    deadline_at timestamptz NOT NULL
);
