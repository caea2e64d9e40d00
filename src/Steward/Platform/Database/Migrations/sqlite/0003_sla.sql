-- SLA (SQLite): instants are UTC ticks (INTEGER), dates TEXT yyyy-MM-dd, booleans 0/1.
-- SLA: business calendars as data, branch calendars, service standards (versioned) and their rules,
-- the institution's SLA settings (regulatory preset in force). Presets are seeded at start-up (SlaSeeder).

CREATE TABLE sla_calendars (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT  NOT NULL,
    time_zone     TEXT   NOT NULL,
    weekly_hours  TEXT NOT NULL,
    is_default    INTEGER       NOT NULL,
    version       INTEGER       NOT NULL,
    created_at    INTEGER   NOT NULL,
    updated_at    INTEGER   NOT NULL
);
CREATE UNIQUE INDEX ix_sla_calendars_name ON sla_calendars (name);

CREATE TABLE sla_calendar_days (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id  INTEGER       NOT NULL REFERENCES sla_calendars (id) ON DELETE CASCADE,
    date         TEXT         NOT NULL,
    kind         TEXT  NOT NULL,
    works_like   TEXT  NULL,
    name         TEXT NULL
);
CREATE UNIQUE INDEX ix_sla_calendar_days_calendar_id_date ON sla_calendar_days (calendar_id, date);

CREATE TABLE sla_branch_calendars (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id    INTEGER      NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    calendar_id  INTEGER      NOT NULL REFERENCES sla_calendars (id) ON DELETE RESTRICT,
    version      INTEGER     NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_sla_branch_calendars_branch_id ON sla_branch_calendars (branch_id);
CREATE INDEX ix_sla_branch_calendars_calendar_id ON sla_branch_calendars (calendar_id);

CREATE TABLE sla_standards (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT  NOT NULL,
    name          TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    kind          TEXT  NOT NULL,
    jurisdiction  TEXT   NULL,
    version       INTEGER      NOT NULL,
    created_at    INTEGER  NOT NULL,
    updated_at    INTEGER  NOT NULL
);
CREATE UNIQUE INDEX ix_sla_standards_code ON sla_standards (code);

CREATE TABLE sla_standard_versions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    standard_id     INTEGER        NOT NULL REFERENCES sla_standards (id) ON DELETE CASCADE,
    number          INTEGER       NOT NULL,
    effective_from  INTEGER   NOT NULL,
    citation        TEXT NOT NULL,
    rules_zh        TEXT NOT NULL,
    rules_en        TEXT NOT NULL,
    change_note     TEXT  NULL,
    created_by      TEXT  NOT NULL,
    created_at      INTEGER   NOT NULL,
    updated_at      INTEGER   NOT NULL
);
CREATE UNIQUE INDEX ix_sla_standard_versions_standard_id_number ON sla_standard_versions (standard_id, number);

CREATE TABLE sla_rules (
    id                            INTEGER PRIMARY KEY AUTOINCREMENT,
    standard_version_id           INTEGER       NOT NULL REFERENCES sla_standard_versions (id) ON DELETE CASCADE,
    case_kind                     TEXT  NULL,
    priority                      TEXT  NULL,
    customer_tier                 TEXT  NULL,
    channel                       TEXT  NULL,
    target_type                   TEXT  NOT NULL,
    amount                        INTEGER      NOT NULL,
    unit                          TEXT  NOT NULL,
    roll_forward                  INTEGER      NOT NULL,
    warning_percent1              INTEGER      NOT NULL,
    warning_percent2              INTEGER      NOT NULL,
    pause_reasons                 TEXT NOT NULL,
    max_extension                 INTEGER      NULL,
    extension_needs_approval      INTEGER      NOT NULL,
    extension_notice_to_customer  INTEGER      NOT NULL,
    note                          TEXT NULL
);
CREATE INDEX ix_sla_rules_standard_version_id ON sla_rules (standard_version_id);

CREATE TABLE sla_settings (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    scope                   TEXT NOT NULL,
    regulatory_standard_id  INTEGER      NULL REFERENCES sla_standards (id) ON DELETE RESTRICT,
    version                 INTEGER     NOT NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_sla_settings_scope ON sla_settings (scope);
