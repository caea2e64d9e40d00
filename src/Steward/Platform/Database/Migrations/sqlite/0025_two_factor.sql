-- Issue 18: two-factor sign-in for staff (TOTP secrets encrypted, one-time recovery codes as SHA-256), and the roles that require it.
CREATE TABLE staff_two_factor (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id        INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    secret_cipher   TEXT    NOT NULL,
    enabled_at      INTEGER NULL,
    last_used_step  INTEGER NOT NULL,
    failed_codes    INTEGER NOT NULL,
    locked_until    INTEGER NULL,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_staff_two_factor_staff_id ON staff_two_factor (staff_id);

CREATE TABLE staff_recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id   INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    used_at    INTEGER NULL
);
CREATE INDEX ix_staff_recovery_codes_staff_id ON staff_recovery_codes (staff_id);

CREATE TABLE two_factor_requirements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    role       TEXT    NOT NULL,
    set_by_id  INTEGER NULL,
    set_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_two_factor_requirements_role ON two_factor_requirements (role);
