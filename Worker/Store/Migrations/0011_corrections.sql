-- Data corrections sent back by class teachers in their roster workbook (Worker/Corrections, which
-- owns these tables). A correction never changes students: the admin applies it by importing a
-- corrected roster, and the corrections stage marks it applied when the roster shows the new value.

-- The secret the teacher workbooks' row keys and teacher seals are made with (one row, made on first use).
CREATE TABLE correction_secret (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    secret  TEXT NOT NULL                    -- 64 hex digits
);

-- One returned workbook: which teacher it was sent to, and what became of it.
CREATE TABLE correction_imports (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    teacher_email   TEXT NOT NULL,           -- '' when the workbook could not be trusted
    teacher_name    TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    receipt_file    TEXT,
    summary         TEXT
);
CREATE INDEX ix_correction_imports_sha ON correction_imports(sha256);

-- One accepted correction of one detail of one student.
CREATE TABLE corrections (
    id              INTEGER PRIMARY KEY,
    import_id       INTEGER NOT NULL REFERENCES correction_imports(id),
    student_id      INTEGER NOT NULL REFERENCES students(id),
    field           TEXT NOT NULL CHECK (field IN ('name', 'gender', 'student_number', 'national_id', 'birth_date', 'grade', 'major')),
    old_value       TEXT NOT NULL,           -- on record when the correction arrived
    new_value       TEXT NOT NULL,           -- normalised as the roster would store it
    note            TEXT NOT NULL DEFAULT '',
    teacher_email   TEXT NOT NULL,
    teacher_name    TEXT NOT NULL,
    sheet_row       INTEGER NOT NULL,
    received_at     TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'superseded')),
    status_at       TEXT NOT NULL
);
CREATE INDEX ix_corrections_student ON corrections(student_id, field);
CREATE INDEX ix_corrections_status ON corrections(status);
