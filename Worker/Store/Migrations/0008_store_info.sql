-- The store's own identity: when it was created (milestones due before then belong to an earlier
-- campaign and are not caught up) and a random id that tells this store from a copy or a stranger:
-- it goes into every e-mail's Message-Id and every review sheet (InstallationIdentity).
-- An existing store counts as created when its first migration ran.
CREATE TABLE store_info (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    store_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
INSERT INTO store_info (id, store_id, created_at)
SELECT 1, lower(hex(randomblob(16))), COALESCE((SELECT min(applied_at) FROM schema_migrations), @Now);
