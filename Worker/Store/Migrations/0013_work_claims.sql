-- Claims on work that several nodes sharing one PostgreSQL store could otherwise do twice (an intake
-- file, a submission to inspect, a review sheet to import). A node inserts its claim before it starts
-- and deletes it when done; a claim past expires_at (its node was killed) may be taken over by another.
-- A SQLite store has one node and never claims; the table is there so both stores have one schema.
CREATE TABLE work_claims (
    kind        TEXT NOT NULL,             -- intake-file, inspection, review-import
    item        TEXT NOT NULL,             -- what is claimed: a file's path|size|mtime, a submission id
    owner       TEXT NOT NULL,             -- the node (Storage:NodeName, default host:pid)
    claimed_at  TEXT NOT NULL,             -- UTC, UtcTimestamp text
    expires_at  TEXT NOT NULL,             -- claimed_at + Storage:ClaimTimeout
    PRIMARY KEY (kind, item)
);
