-- Every e-mail is first a row here, committed in the same transaction as the change that caused it;
-- the sender delivers it later. The idempotency key makes a second enqueue of the same notice a
-- no-op, so a restart or a re-run job never sends anything twice.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT NOT NULL UNIQUE,   -- e.g. digest:{teacher}:{date}, expired:{submission}
    template         TEXT NOT NULL,          -- template name in templates/
    recipient        TEXT NOT NULL,          -- e-mail address
    recipient_name   TEXT NOT NULL DEFAULT '',
    data             TEXT NOT NULL,          -- JSON model the template renders
    message_id       TEXT NOT NULL UNIQUE,   -- stable Message-Id: the same message on every attempt
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    last_error       TEXT
);
CREATE INDEX ix_outbox_due ON outbox(state, next_attempt_at);
