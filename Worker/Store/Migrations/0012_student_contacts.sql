-- Students told directly (issue 16): the roster's optional student e-mail and phone. NULL when the
-- roster has no such column or the cell is empty; the phone is shown only in the teacher's roster.
ALTER TABLE students ADD COLUMN student_email TEXT;
ALTER TABLE students ADD COLUMN phone TEXT;

-- The drop folder's last-seen time: while the service runs, intake writes here after every full scan
-- of inbox/. A file found at the next start arrived after the last scan that did not see it, so its
-- modification time is believed only as far back as this (a copy keeping an old time, cp -p, must
-- not make it early).
CREATE TABLE service_heartbeat (
    name       TEXT PRIMARY KEY,           -- 'drop-folder'
    last_seen  TEXT NOT NULL               -- UTC, UtcTimestamp text
);

-- A student may send an older photo again after a newer one: it becomes the current submission
-- again, as a new row with the same bytes. UNIQUE (student_id, sha256) forbade that; SQLite cannot
-- drop a table constraint, so the table is rebuilt without it (the migrator runs this script with
-- foreign keys off and checks them all before it commits). Same columns, same order, same ids.
CREATE TABLE submissions_new (
    id                INTEGER PRIMARY KEY,
    student_id        INTEGER NOT NULL REFERENCES students(id),
    attempt           INTEGER NOT NULL,
    sha256            TEXT NOT NULL,
    original_name     TEXT NOT NULL,
    size_bytes        INTEGER NOT NULL,
    received_at       TEXT NOT NULL,
    window_stamp      TEXT NOT NULL CHECK (window_stamp IN ('early', 'in_window', 'late')),
    state             TEXT NOT NULL,
    state_changed_at  TEXT NOT NULL,
    resubmit_deadline TEXT,
    verdict           TEXT,
    reasons_zh        TEXT,
    reasons_en        TEXT,
    evidence_file     TEXT,
    decided_by        TEXT
);
INSERT INTO submissions_new (id, student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state,
                             state_changed_at, resubmit_deadline, verdict, reasons_zh, reasons_en, evidence_file, decided_by)
SELECT id, student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state,
       state_changed_at, resubmit_deadline, verdict, reasons_zh, reasons_en, evidence_file, decided_by
FROM submissions;
DROP TABLE submissions;
ALTER TABLE submissions_new RENAME TO submissions;
CREATE INDEX ix_submissions_student ON submissions(student_id, id);
CREATE INDEX ix_submissions_state ON submissions(state);
CREATE INDEX ix_submissions_sha256 ON submissions(sha256);
CREATE INDEX ix_submissions_received ON submissions(received_at);
CREATE INDEX ix_submissions_student_sha256 ON submissions(student_id, sha256);
