-- The automatic inspection's result per submission, and the reasons a submission was rejected (by the
-- inspection or by the studio), in words students and teachers read.
ALTER TABLE submissions ADD COLUMN verdict TEXT;        -- accept / review / reject, null until inspected
ALTER TABLE submissions ADD COLUMN reasons_zh TEXT;     -- why it was rejected, for people (Chinese)
ALTER TABLE submissions ADD COLUMN reasons_en TEXT;     -- the same in English
ALTER TABLE submissions ADD COLUMN evidence_file TEXT;  -- annotated image, relative to the data directory
ALTER TABLE submissions ADD COLUMN decided_by TEXT;     -- who approved or rejected it: a reviewer's name, or 'inspection'

CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    submission_id  INTEGER NOT NULL REFERENCES submissions(id),
    code           TEXT NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('reject', 'review', 'info')),
    value          TEXT NOT NULL,
    limit_text     TEXT NOT NULL,
    message_zh     TEXT NOT NULL,
    message_en     TEXT NOT NULL
);
CREATE INDEX ix_findings_submission ON findings(submission_id);
