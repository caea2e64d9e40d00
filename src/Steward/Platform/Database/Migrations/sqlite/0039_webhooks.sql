-- Issue 17, signed outbound webhooks (decision 0047): endpoints administrators register (the secret encrypted like personal
-- data), each event's body written once, one delivery per event and endpoint written in the transaction of the change that
-- raised the event, and every attempt of a delivery with its answer or error.
CREATE TABLE webhook_endpoints (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    url                   TEXT    NOT NULL,
    description           TEXT    NOT NULL,
    event_types           TEXT    NOT NULL,
    secret_cipher         TEXT    NOT NULL,
    owner_id              INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    paused_at             INTEGER NULL,
    pause_reason          TEXT    NULL,
    consecutive_failures  INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
CREATE INDEX ix_webhook_endpoints_owner_id ON webhook_endpoints (owner_id);

CREATE TABLE webhook_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id    TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    payload      TEXT    NOT NULL
);
CREATE UNIQUE INDEX ix_webhook_events_public_id ON webhook_events (public_id);

CREATE TABLE webhook_deliveries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id       INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id          INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE RESTRICT,
    replay_of_id      INTEGER NULL,
    status            TEXT    NOT NULL,
    attempts          INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    next_attempt_at   INTEGER NOT NULL,
    completed_at      INTEGER NULL,
    last_status_code  INTEGER NULL,
    last_error        TEXT    NULL,
    locked_until      INTEGER NULL,
    locked_by         TEXT    NULL
);
CREATE INDEX ix_webhook_deliveries_status_next_attempt_at ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_endpoint_id_id ON webhook_deliveries (endpoint_id, id);
CREATE INDEX ix_webhook_deliveries_event_id ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id  INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,
    status_code  INTEGER NULL,
    error        TEXT    NULL
);
CREATE INDEX ix_webhook_attempts_delivery_id ON webhook_attempts (delivery_id);
