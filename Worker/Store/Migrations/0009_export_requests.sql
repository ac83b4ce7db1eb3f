-- Requests for an automatic export, written by the stage that decides one is due (Deadlines: the
-- upload window closed, the last resubmission deadline passed) in the same transaction as its own
-- change (Store/ExportRequests.cs), and picked up by the Export stage (Export/ExportRequestService.cs),
-- which runs the export and closes the row. A request written just before a crash is still there on restart.
CREATE TABLE export_requests (
    id            INTEGER PRIMARY KEY,
    reason        TEXT NOT NULL,             -- why the export is due, for the log
    requested_by  TEXT NOT NULL,             -- the stage that asked (deadlines)
    requested_at  TEXT NOT NULL,             -- UTC, UtcTimestamp text
    done_at       TEXT,                      -- when the export stage ran it (null: pending)
    outcome       TEXT                       -- what the export did, or why it failed
);
CREATE INDEX ix_export_requests_pending ON export_requests(done_at);
