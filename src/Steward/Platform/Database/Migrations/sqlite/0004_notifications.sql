-- In-app notifications and the outbox of messages to deliver outside Steward (SQLite: instants are UTC ticks).

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    text_zh     TEXT    NOT NULL,
    text_en     TEXT    NOT NULL,
    link        TEXT    NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER NULL
);
CREATE INDEX ix_notifications_staff_id_read_at_id ON notifications (staff_id, read_at, id);

CREATE TABLE outbox_messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    channel          TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    attempts         INTEGER NOT NULL,
    delivered_at     INTEGER NULL,
    failed_at        INTEGER NULL,
    last_error       TEXT    NULL,
    locked_until     INTEGER NULL,
    locked_by        TEXT    NULL
);
CREATE INDEX ix_outbox_messages_due ON outbox_messages (delivered_at, failed_at, next_attempt_at);
