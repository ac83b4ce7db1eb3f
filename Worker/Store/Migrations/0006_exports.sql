-- Photos handed off to the national record: which approved submission went out under which file
-- name, with what hash. Repeated exports add rows only for what is new.
CREATE TABLE exported_photos (
    id             INTEGER PRIMARY KEY,
    student_id     INTEGER NOT NULL REFERENCES students(id),
    submission_id  INTEGER NOT NULL REFERENCES submissions(id),
    cohort         TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    export_dir     TEXT NOT NULL,
    exported_at    TEXT NOT NULL,
    UNIQUE (submission_id, export_dir)
);
CREATE INDEX ix_exported_student ON exported_photos(student_id);
