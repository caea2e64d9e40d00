-- Foundation (SQLite): instants are UTC ticks (INTEGER), decimals TEXT, booleans 0/1.
-- Foundation: organisation, staff and roles, audit chain, data-protection keys, customers, products.

CREATE TABLE institutions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    code        TEXT   NOT NULL,
    version     INTEGER      NOT NULL,
    created_at  INTEGER      NOT NULL,
    updated_at  INTEGER      NOT NULL
);

CREATE TABLE branches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT  NOT NULL,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    time_zone   TEXT  NOT NULL,
    address     TEXT NULL,
    is_active   INTEGER      NOT NULL,
    version     INTEGER      NOT NULL,
    created_at  INTEGER      NOT NULL,
    updated_at  INTEGER      NOT NULL
);
CREATE UNIQUE INDEX ix_branches_code ON branches (code);

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id   INTEGER       NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    is_active   INTEGER      NOT NULL,
    version     INTEGER      NOT NULL,
    created_at  INTEGER      NOT NULL,
    updated_at  INTEGER      NOT NULL
);
CREATE UNIQUE INDEX ix_teams_branch_id_name ON teams (branch_id, name);

CREATE TABLE staff (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT  NOT NULL,
    display_name     TEXT NOT NULL,
    email            TEXT NULL,
    password_hash    TEXT NOT NULL,
    security_stamp   TEXT  NOT NULL,
    failed_sign_ins  INTEGER      NOT NULL,
    locked_until     INTEGER      NULL,
    is_active        INTEGER      NOT NULL,
    home_branch_id   INTEGER       NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    team_id          INTEGER       NULL REFERENCES teams (id) ON DELETE SET NULL,
    culture          TEXT  NULL,
    last_sign_in_at  INTEGER      NULL,
    version          INTEGER      NOT NULL,
    created_at       INTEGER      NOT NULL,
    updated_at       INTEGER      NOT NULL
);
CREATE UNIQUE INDEX ix_staff_username ON staff (username);
CREATE INDEX ix_staff_home_branch_id ON staff (home_branch_id);
CREATE INDEX ix_staff_team_id ON staff (team_id);

CREATE TABLE staff_roles (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id  INTEGER      NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    role      TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_staff_roles_staff_id_role ON staff_roles (staff_id, role);

CREATE TABLE staff_branches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id   INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    branch_id  INTEGER NOT NULL REFERENCES branches (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_staff_branches_staff_id_branch_id ON staff_branches (staff_id, branch_id);
CREATE INDEX ix_staff_branches_branch_id ON staff_branches (branch_id);

CREATE TABLE audit_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    sequence       INTEGER        NOT NULL,
    occurred_at    INTEGER       NOT NULL,
    actor_id       INTEGER        NULL,
    actor_name     TEXT  NOT NULL,
    action         TEXT   NOT NULL,
    entity_type    TEXT  NOT NULL,
    entity_id      TEXT  NOT NULL,
    branch_id      INTEGER        NULL,
    changes        TEXT NOT NULL,
    previous_hash  TEXT   NOT NULL,
    hash           TEXT   NOT NULL
);
CREATE UNIQUE INDEX ix_audit_entries_sequence ON audit_entries (sequence);
CREATE INDEX ix_audit_entries_entity_type_entity_id ON audit_entries (entity_type, entity_id);
CREATE INDEX ix_audit_entries_occurred_at ON audit_entries (occurred_at);

CREATE TABLE audit_chain_head (
    id             INTEGER      PRIMARY KEY,
    last_sequence  INTEGER       NOT NULL,
    last_hash      TEXT  NOT NULL
);
INSERT INTO audit_chain_head (id, last_sequence, last_hash) VALUES (1, 0, '');

CREATE TABLE data_protection_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name  TEXT   NOT NULL,
    xml            TEXT NOT NULL
);

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    reference         TEXT  NOT NULL,
    name              TEXT NOT NULL,
    id_number_cipher  TEXT NULL,
    id_number_index   TEXT  NULL,
    phone_cipher      TEXT NULL,
    phone_index       TEXT  NULL,
    email_cipher      TEXT NULL,
    email_index       TEXT  NULL,
    tier              TEXT  NOT NULL,
    risk_tolerance    TEXT  NOT NULL,
    is_vulnerable     INTEGER      NOT NULL,
    home_branch_id    INTEGER       NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    version           INTEGER      NOT NULL,
    created_at        INTEGER      NOT NULL,
    updated_at        INTEGER      NOT NULL
);
CREATE UNIQUE INDEX ix_customers_reference ON customers (reference);
CREATE INDEX ix_customers_phone_index ON customers (phone_index);
CREATE INDEX ix_customers_id_number_index ON customers (id_number_index);
CREATE INDEX ix_customers_home_branch_id ON customers (home_branch_id);

CREATE TABLE products (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    code                     TEXT  NOT NULL,
    name                     TEXT NOT NULL,
    name_en                  TEXT NOT NULL,
    category                 TEXT  NOT NULL,
    risk_level               TEXT  NOT NULL,
    expected_return_percent  TEXT NULL,
    liquidity_days           INTEGER      NOT NULL,
    is_active                INTEGER      NOT NULL,
    version                  INTEGER      NOT NULL,
    created_at               INTEGER      NOT NULL,
    updated_at               INTEGER      NOT NULL
);
CREATE UNIQUE INDEX ix_products_code ON products (code);
