-- Studio review (issue 6). Sheets sent to the studio, the files it sent back, and the studio's
-- decisions. A submission has at most one studio decision: the first stands, and a later sheet
-- saying otherwise is reported as a conflict rather than applied.
CREATE TABLE review_sheets (
    id                   INTEGER PRIMARY KEY,
    file_name            TEXT NOT NULL,            -- in review/outbox/
    created_at           TEXT NOT NULL,
    written_at           TEXT,                     -- null until the file is complete on disk
    trigger              TEXT NOT NULL,            -- 'export-review' (on demand) or 'schedule'
    pending_count        INTEGER NOT NULL DEFAULT 0,
    auto_rejected_count  INTEGER NOT NULL DEFAULT 0
);

-- Which submissions a sheet listed, so the schedule exports again only when something new awaits review.
CREATE TABLE review_sheet_rows (
    sheet_id       INTEGER NOT NULL REFERENCES review_sheets(id),
    submission_id  INTEGER NOT NULL REFERENCES submissions(id),
    part           TEXT NOT NULL CHECK (part IN ('pending', 'auto_rejected')),
    PRIMARY KEY (sheet_id, submission_id)
);

CREATE TABLE review_imports (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,                   -- as received
    sha256        TEXT NOT NULL,                   -- of the file's bytes
    sheet_id      INTEGER,                         -- the exported sheet it says it came from, if any
    reviewer      TEXT NOT NULL,
    source        TEXT NOT NULL,                   -- 'review-inbox' or 'cli:<user>'
    imported_at   TEXT NOT NULL,
    receipt_file  TEXT,                            -- in review/processed/, once written
    summary       TEXT
);

CREATE TABLE review_decisions (
    id              INTEGER PRIMARY KEY,
    submission_id   INTEGER NOT NULL UNIQUE REFERENCES submissions(id),
    decision        TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    previous_state  TEXT NOT NULL,                 -- awaiting_review, or rejected for an automatic rejection overturned/confirmed
    reasons_zh      TEXT,
    reasons_en      TEXT,
    note            TEXT,
    reviewer        TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    import_id       INTEGER NOT NULL REFERENCES review_imports(id),
    sheet_row       TEXT NOT NULL                  -- "<sheet name>!<row>" in that file
);
