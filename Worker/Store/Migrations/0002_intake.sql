-- Intake (issue 3). A submission may carry review flags raised before any inspection, e.g. the same
-- bytes delivered for two different students (one photo used for two people). The review stage
-- shows them; intake only raises them. Both submissions of such a pair get a row, each pointing at
-- the other.
CREATE TABLE submission_flags (
    id                     INTEGER PRIMARY KEY,
    submission_id          INTEGER NOT NULL REFERENCES submissions(id),
    code                   TEXT NOT NULL,
    related_submission_id  INTEGER REFERENCES submissions(id),
    message_zh             TEXT NOT NULL,
    message_en             TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    UNIQUE (submission_id, code, related_submission_id)
);
CREATE INDEX ix_submission_flags_submission ON submission_flags(submission_id);

-- Same-bytes lookups across students, and "received today" counts.
CREATE INDEX ix_submissions_sha256 ON submissions(sha256);
CREATE INDEX ix_submissions_received ON submissions(received_at);
