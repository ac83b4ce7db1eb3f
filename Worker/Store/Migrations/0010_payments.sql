-- The payment platform's exports (import-payments, payments-inbox/), owned by the Payments stage
-- (Payments/PaymentRecords.cs). Other stages read them through Store/PaymentStanding.cs.
-- A payment names its student by student number and/or ID number as the export wrote them; it is
-- matched to a student when read, so a student added to the roster later is matched then, and a
-- payment for an unknown or ineligible student is kept aside (listed), never dropped.
CREATE TABLE payment_imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    encoding     TEXT NOT NULL,               -- 'xlsx', 'UTF-8', 'UTF-8 (BOM)', 'UTF-16', 'GB18030'
    imported_at  TEXT NOT NULL,               -- UTC
    actor        TEXT NOT NULL,               -- cli:<user> or payments-inbox
    row_count    INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    refunded     INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    ignored      INTEGER NOT NULL             -- not paid (pending, closed, failed) or repeated rows
);

-- One row per transaction id: importing the same export again finds every row already here.
CREATE TABLE payments (
    id               INTEGER PRIMARY KEY,
    transaction_id   TEXT NOT NULL UNIQUE,
    student_number   TEXT NOT NULL,            -- as in the export ('' when it had none)
    national_id      TEXT NOT NULL,            -- as in the export, upper-case X ('' when none); purged like the roster's
    payer_name       TEXT NOT NULL,
    amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),   -- 1 yuan = 100 fen, exact
    paid_at          TEXT NOT NULL,            -- UTC
    refunded_at      TEXT,                     -- UTC; null while not refunded
    refund_fen       INTEGER CHECK (refund_fen IS NULL OR (refund_fen > 0 AND refund_fen <= amount_fen)),
    import_id        INTEGER NOT NULL REFERENCES payment_imports(id),
    refund_import_id INTEGER REFERENCES payment_imports(id)
);
CREATE INDEX ix_payments_student_number ON payments(student_number);
CREATE INDEX ix_payments_national_id ON payments(national_id);
