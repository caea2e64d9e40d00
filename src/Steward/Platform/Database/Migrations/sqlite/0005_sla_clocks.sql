-- SLA clocks on cases (SQLite: instants are UTC ticks, booleans 0/1) (issue 4 part 2): one clock per target type and layer, its pauses and target changes,
-- the alerts the sweep raised (unique per clock, cycle and level) and extension requests.

CREATE TABLE case_sla_clocks (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id                     INTEGER        NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    target_type                 TEXT   NOT NULL,
    layer                       TEXT   NOT NULL,
    cycle                       INTEGER       NOT NULL,
    standard_id                 INTEGER        NOT NULL,
    standard_code               TEXT   NOT NULL,
    standard_version_id         INTEGER        NOT NULL,
    standard_version_number     INTEGER       NOT NULL,
    rule_id                     INTEGER        NOT NULL,
    rule_match                  TEXT  NOT NULL,
    initial_amount              INTEGER       NOT NULL,
    initial_unit                TEXT   NOT NULL,
    initial_roll_forward        INTEGER       NOT NULL,
    amount                      INTEGER       NOT NULL,
    unit                        TEXT   NOT NULL,
    roll_forward                INTEGER       NOT NULL,
    rule_amount                 INTEGER       NOT NULL,
    max_extension               INTEGER       NULL,
    extension_needs_approval    INTEGER       NOT NULL,
    extension_notice_to_customer INTEGER      NOT NULL,
    warning_percent1            INTEGER       NOT NULL,
    warning_percent2            INTEGER       NOT NULL,
    pause_reasons               TEXT  NOT NULL,
    started_at                  INTEGER   NOT NULL,
    due_at                      INTEGER   NULL,
    warning1at                  INTEGER   NULL,
    warning2at                  INTEGER   NULL,
    next_alert_at               INTEGER   NULL,
    status                      TEXT   NOT NULL,
    met_at                      INTEGER   NULL,
    breached_at                 INTEGER   NULL,
    cancelled_at                INTEGER   NULL,
    calendar_id                 INTEGER        NULL,
    restart_reason              TEXT NULL,
    restarted_at                INTEGER   NULL,
    version                     INTEGER       NOT NULL,
    created_at                  INTEGER   NOT NULL,
    updated_at                  INTEGER   NOT NULL
);
CREATE UNIQUE INDEX ix_case_sla_clocks_case_id_target_type_layer ON case_sla_clocks (case_id, target_type, layer);
CREATE INDEX ix_case_sla_clocks_status_next_alert_at ON case_sla_clocks (status, next_alert_at);
CREATE INDEX ix_case_sla_clocks_status_due_at ON case_sla_clocks (status, due_at);

CREATE TABLE case_sla_pauses (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    clock_id  INTEGER      NOT NULL REFERENCES case_sla_clocks (id) ON DELETE CASCADE,
    cycle     INTEGER     NOT NULL,
    from_at   INTEGER NOT NULL,
    to_at     INTEGER NULL,
    reason    TEXT NOT NULL
);
CREATE INDEX ix_case_sla_pauses_clock_id ON case_sla_pauses (clock_id);

CREATE TABLE case_sla_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    clock_id      INTEGER      NOT NULL REFERENCES case_sla_clocks (id) ON DELETE CASCADE,
    cycle         INTEGER     NOT NULL,
    at            INTEGER NOT NULL,
    cause         TEXT NOT NULL,
    amount        INTEGER     NOT NULL,
    unit          TEXT NOT NULL,
    roll_forward  INTEGER     NOT NULL,
    rule_id       INTEGER      NULL,
    extension_id  INTEGER      NULL
);
CREATE INDEX ix_case_sla_changes_clock_id ON case_sla_changes (clock_id);

CREATE TABLE case_sla_alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    clock_id    INTEGER        NOT NULL REFERENCES case_sla_clocks (id) ON DELETE CASCADE,
    case_id     INTEGER        NOT NULL,
    cycle       INTEGER       NOT NULL,
    level       TEXT   NOT NULL,
    due_at      INTEGER   NOT NULL,
    raised_at   INTEGER   NOT NULL,
    recipients  TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_case_sla_alerts_clock_id_cycle_level ON case_sla_alerts (clock_id, cycle, level);
CREATE INDEX ix_case_sla_alerts_case_id ON case_sla_alerts (case_id);

CREATE TABLE case_sla_extensions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id            INTEGER        NOT NULL,
    clock_id           INTEGER        NOT NULL REFERENCES case_sla_clocks (id) ON DELETE CASCADE,
    new_amount         INTEGER       NOT NULL,
    old_amount         INTEGER       NOT NULL,
    reason             TEXT NOT NULL,
    status             TEXT   NOT NULL,
    requested_by_id    INTEGER        NULL REFERENCES staff (id) ON DELETE RESTRICT,
    requested_by_name  TEXT  NOT NULL,
    requested_at       INTEGER   NOT NULL,
    decided_by_id      INTEGER        NULL REFERENCES staff (id) ON DELETE RESTRICT,
    decided_by_name    TEXT  NULL,
    decided_at         INTEGER   NULL,
    decision_note      TEXT NULL,
    version            INTEGER       NOT NULL,
    created_at         INTEGER   NOT NULL,
    updated_at         INTEGER   NOT NULL
);
CREATE INDEX ix_case_sla_extensions_case_id ON case_sla_extensions (case_id);
