-- This installation's identity, generated once when the store is created: it goes into every
-- e-mail's Message-Id (so two colleges' messages never share one) and into every review sheet (so
-- a sheet exported by another data directory or another campaign is refused on import).
CREATE TABLE installation (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    installation_id  TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
INSERT INTO installation (id, installation_id, created_at)
VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
