-- Service cases (issue 3), SQLite: instants are UTC ticks (INTEGER), booleans 0/1.

CREATE TABLE idempotency_keys (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    caller           TEXT    NOT NULL,
    scope            TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    request_hash     TEXT    NOT NULL,
    status_code      INTEGER NOT NULL,
    response_body    TEXT    NOT NULL,
    location         TEXT    NULL,
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_idempotency_keys_caller_scope_idempotency_key ON idempotency_keys (caller, scope, idempotency_key);
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    reference             TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    channel               TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    waiting               TEXT    NOT NULL,
    subject               TEXT    NOT NULL,
    description           TEXT    NOT NULL,
    customer_id           INTEGER NULL REFERENCES customers (id) ON DELETE RESTRICT,
    contact_name          TEXT    NULL,
    contact_phone_cipher  TEXT    NULL,
    contact_phone_index   TEXT    NULL,
    contact_email_cipher  TEXT    NULL,
    contact_email_index   TEXT    NULL,
    branch_id             INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    product_id            INTEGER NULL REFERENCES products (id) ON DELETE RESTRICT,
    priority              TEXT    NOT NULL,
    priority_overridden   INTEGER NOT NULL,
    team_id               INTEGER NULL REFERENCES teams (id) ON DELETE RESTRICT,
    assignee_id           INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT,
    tags                  TEXT    NOT NULL,
    due_at                INTEGER NULL,
    resolved_at           INTEGER NULL,
    closed_at             INTEGER NULL,
    cancel_reason         TEXT    NULL,
    merged_into_id        INTEGER NULL REFERENCES cases (id) ON DELETE RESTRICT,
    created_by_id         INTEGER NULL,
    version               INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_cases_reference ON cases (reference);
CREATE INDEX ix_cases_branch_id_status ON cases (branch_id, status);
CREATE INDEX ix_cases_team_id_status ON cases (team_id, status);
CREATE INDEX ix_cases_assignee_id ON cases (assignee_id);
CREATE INDEX ix_cases_due_at ON cases (due_at);
CREATE INDEX ix_cases_customer_id ON cases (customer_id);
CREATE INDEX ix_cases_product_id ON cases (product_id);
CREATE INDEX ix_cases_merged_into_id ON cases (merged_into_id);
CREATE INDEX ix_cases_contact_phone_index ON cases (contact_phone_index);
CREATE INDEX ix_cases_contact_email_index ON cases (contact_email_index);

CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    occurred_at  INTEGER NOT NULL,
    actor_id     INTEGER NULL,
    actor_name   TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    action       TEXT    NULL,
    from_status  TEXT    NULL,
    to_status    TEXT    NULL,
    reason       TEXT    NULL,
    detail       TEXT    NULL
);
CREATE INDEX ix_case_events_case_id_id ON case_events (case_id, id);

CREATE TABLE case_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    visibility   TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    author_id    INTEGER NULL,
    author_name  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX ix_case_messages_case_id_id ON case_messages (case_id, id);

CREATE TABLE attachment_blobs (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    data  BLOB    NOT NULL
);

CREATE TABLE case_attachments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id           INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    file_name         TEXT    NOT NULL,
    content_type      TEXT    NOT NULL,
    size              INTEGER NOT NULL,
    sha256            TEXT    NOT NULL,
    blob_id           INTEGER NOT NULL REFERENCES attachment_blobs (id) ON DELETE RESTRICT,
    uploaded_by_id    INTEGER NULL,
    uploaded_by_name  TEXT    NOT NULL,
    created_at        INTEGER NOT NULL
);
CREATE INDEX ix_case_attachments_case_id ON case_attachments (case_id);
CREATE INDEX ix_case_attachments_blob_id ON case_attachments (blob_id);

CREATE TABLE case_links (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    related_case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    created_by_id    INTEGER NULL,
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_case_links_case_id_related_case_id ON case_links (case_id, related_case_id);
CREATE INDEX ix_case_links_related_case_id ON case_links (related_case_id);

CREATE TABLE case_reference_counters (
    day         TEXT    NOT NULL PRIMARY KEY,
    last_value  INTEGER NOT NULL
);

CREATE TABLE case_priority_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    type       TEXT    NOT NULL,
    kind       TEXT    NULL,
    tier       TEXT    NULL,
    keyword    TEXT    NULL,
    priority   TEXT    NULL,
    steps      INTEGER NOT NULL,
    is_active  INTEGER NOT NULL,
    version    INTEGER NOT NULL
);
-- The default rules (an administrator changes them through PUT /api/v1/cases/priority-rules).
INSERT INTO case_priority_rules (type, kind, tier, keyword, priority, steps, is_active, version) VALUES
    ('KindMinimum', 'Complaint', NULL, NULL, 'High', 0, 1, 1),
    ('TierRaise', NULL, 'Platinum', NULL, NULL, 1, 1, 1),
    ('TierRaise', NULL, 'Private', NULL, NULL, 1, 1, 1),
    ('KeywordMinimum', NULL, NULL, '投诉', 'Urgent', 0, 1, 1),
    ('KeywordMinimum', NULL, NULL, '媒体', 'Urgent', 0, 1, 1),
    ('KeywordMinimum', NULL, NULL, '监管', 'Urgent', 0, 1, 1),
    ('KeywordMinimum', NULL, NULL, '诈骗', 'Urgent', 0, 1, 1),
    ('KeywordMinimum', NULL, NULL, 'fraud', 'Urgent', 0, 1, 1),
    ('KeywordMinimum', NULL, NULL, 'regulator', 'Urgent', 0, 1, 1);

CREATE TABLE case_team_settings (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id                 INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    kinds                   TEXT    NOT NULL,
    mode                    TEXT    NOT NULL,
    last_assigned_staff_id  INTEGER NULL,
    version                 INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_case_team_settings_team_id ON case_team_settings (team_id);

CREATE TABLE case_staff_duty (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    on_duty     INTEGER NOT NULL,
    changed_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_case_staff_duty_staff_id ON case_staff_duty (staff_id);

-- Full-text search: FTS5 over token text made by CaseSearchText (CJK bigrams and single
-- characters, lower-case Latin words). rowid is the case id. Not mapped in the EF model.
CREATE VIRTUAL TABLE case_search USING fts5 (tokens, tokenize = 'unicode61');
