-- Deadlines hand-off: a deciding stage (inspection, studio review, intake) inserts a row here in its
-- own transaction (DeadlineRows helps); the deadlines stage schedules a Quartz trigger for every
-- pending row and, when it fires, re-reads the store and acts only if the condition still holds.
-- The rows are the truth; Quartz is a durable alarm clock re-derived from them on every start.
CREATE TABLE deadlines (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('review_sla_warning', 'review_sla_escalation', 'resubmission')),
    submission_id  INTEGER NOT NULL REFERENCES submissions(id),
    due_at         TEXT NOT NULL,            -- UTC, UtcTimestamp text
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'cancelled')),
    created_at     TEXT NOT NULL,
    closed_at      TEXT,                     -- when it became done or cancelled
    outcome        TEXT,                     -- what the job did, or why it was cancelled
    UNIQUE (kind, submission_id)             -- one deadline of each kind per submission: re-adding is a no-op
);
CREATE INDEX ix_deadlines_pending ON deadlines(state, due_at);
CREATE INDEX ix_deadlines_submission ON deadlines(submission_id);

-- Campaign milestones as last planned from config, so a restart neither re-fires a milestone that
-- already ran nor misses that the admin moved its date (a changed plan re-arms it).
CREATE TABLE milestones (
    name      TEXT PRIMARY KEY,              -- preparation-start, window-open, daily-digest, final-reminder, window-close
    due_at    TEXT NOT NULL,                 -- UTC instant of the (first) firing
    plan      TEXT NOT NULL,                 -- what the trigger was built from; a different plan means re-plan
    fired_at  TEXT,                          -- last firing acted on for this plan (null: not yet)
    outcome   TEXT
);
