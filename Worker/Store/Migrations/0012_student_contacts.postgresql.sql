-- PostgreSQL's form of 0012_student_contacts.sql (the Migrator runs this one instead on PostgreSQL).
-- Same columns and table as there; the one difference: PostgreSQL drops the UNIQUE (student_id, sha256)
-- constraint in place, where SQLite has to rebuild submissions. Ids and every reference stay as they are.
ALTER TABLE students ADD COLUMN student_email TEXT;
ALTER TABLE students ADD COLUMN phone TEXT;

-- The drop folder's last-seen time (see 0012_student_contacts.sql).
CREATE TABLE service_heartbeat (
    name       TEXT PRIMARY KEY,           -- 'drop-folder'
    last_seen  TEXT NOT NULL               -- UTC, UtcTimestamp text
);

-- A student may send an older photo again after a newer one: UNIQUE (student_id, sha256) goes
-- (PostgreSQL's own name for the constraint 0001 declared without one).
ALTER TABLE submissions DROP CONSTRAINT submissions_student_id_sha256_key;
CREATE INDEX ix_submissions_student_sha256 ON submissions(student_id, sha256);
