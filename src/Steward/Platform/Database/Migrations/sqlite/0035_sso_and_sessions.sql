-- Issue 18: single sign-on (the identity provider's groups mapped to roles and branches) and staff sessions (list, revoke).
CREATE TABLE sso_group_mappings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    "group"        TEXT    NOT NULL,
    role           TEXT    NULL,
    branch_id      INTEGER NULL REFERENCES branches (id) ON DELETE CASCADE,
    created_by_id  INTEGER NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX ix_sso_group_mappings_group ON sso_group_mappings ("group");
CREATE INDEX ix_sso_group_mappings_branch_id ON sso_group_mappings (branch_id);

CREATE TABLE staff_sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id        INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    key             TEXT    NOT NULL,
    method          TEXT    NOT NULL,
    user_agent      TEXT    NULL,
    remote_address  TEXT    NULL,
    started_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    revoked_at      INTEGER NULL,
    revoked_by_id   INTEGER NULL
);
CREATE UNIQUE INDEX ix_staff_sessions_key ON staff_sessions (key);
CREATE INDEX ix_staff_sessions_staff_id_id ON staff_sessions (staff_id, id);
