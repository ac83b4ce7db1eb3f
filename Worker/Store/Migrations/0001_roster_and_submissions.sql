-- Students as imported from the roster. Never deleted: a student missing from a newer roster is
-- flagged (in_roster = 0) so history and submissions stay.
CREATE TABLE students (
    id              INTEGER PRIMARY KEY,
    student_number  TEXT NOT NULL UNIQUE,
    national_id     TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    gender          TEXT NOT NULL,
    birth_date      TEXT NOT NULL,          -- yyyy-MM-dd
    grade           TEXT NOT NULL,
    major           TEXT NOT NULL,
    class_name      TEXT NOT NULL,
    school          TEXT NOT NULL,
    track           TEXT NOT NULL,
    teacher_name    TEXT NOT NULL,
    teacher_email   TEXT NOT NULL,
    eligible        INTEGER NOT NULL,
    cohort          TEXT,                   -- the configured cohort it matched, if eligible
    in_roster       INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ix_students_class ON students(class_name);
CREATE INDEX ix_students_teacher ON students(teacher_email);

CREATE TABLE roster_imports (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    row_count       INTEGER NOT NULL,
    added           INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    unchanged       INTEGER NOT NULL,
    flagged_missing INTEGER NOT NULL,
    not_eligible    INTEGER NOT NULL
);

-- One row per accepted upload of a student's photo. The state column is read only through the
-- status machine (StudentStatusMachine).
CREATE TABLE submissions (
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
    UNIQUE (student_id, sha256)
);
CREATE INDEX ix_submissions_student ON submissions(student_id, id);
CREATE INDEX ix_submissions_state ON submissions(state);

-- Who did what, when: roster changes, decisions, reviewer identities.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT
);
CREATE INDEX ix_audit_subject ON audit_log(subject);
