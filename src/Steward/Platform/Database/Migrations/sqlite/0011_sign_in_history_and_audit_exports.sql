-- Issue 10: sign-ins leave the business audit log for their own history; audit exports are recorded; the log is
-- searched by actor (see the PostgreSQL script of the same number).

-- Every sign-in attempt. staff_id and username only when the name belongs to an account (a name that matches none
-- is not kept: people type their password into the username field).
CREATE TABLE sign_in_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at     INTEGER NOT NULL,
    staff_id        INTEGER NULL,
    username        TEXT    NULL,
    outcome         TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    remote_address  TEXT    NULL
);
CREATE INDEX ix_sign_in_history_occurred_at ON sign_in_history (occurred_at);
CREATE INDEX ix_sign_in_history_staff_id_id ON sign_in_history (staff_id, id);

-- Who exported which entries of the audit log, when, in which format. Rows are audited (hash chain).
CREATE TABLE audit_exports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at    INTEGER NOT NULL,
    staff_id       INTEGER NULL,
    staff_name     TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    filter         TEXT    NOT NULL,
    entries        INTEGER NOT NULL,
    last_sequence  INTEGER NOT NULL
);

-- Browsing by person walks one actor's entries newest first.
CREATE INDEX ix_audit_entries_actor_id_sequence ON audit_entries (actor_id, sequence);
