-- Issue 12: risk-tolerance questionnaires (versions), assessments and one-time links for the online questionnaire;
-- suitability rule sets (versions) and the decisions of suitability checks with their inputs, for replay.
-- See docs/decisions/0030-suitability-decisions.md.

CREATE TABLE risk_questionnaires (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    number           INTEGER NOT NULL,
    content_json     TEXT    NOT NULL,
    published_by_id  INTEGER NULL,
    published_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_risk_questionnaires_number ON risk_questionnaires (number);

CREATE TABLE risk_assessments (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id           INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    branch_id             INTEGER NOT NULL,
    questionnaire_number  INTEGER NOT NULL,
    answers_json          TEXT    NOT NULL,
    score                 INTEGER NOT NULL,
    score_level           TEXT    NOT NULL,
    level                 TEXT    NOT NULL,
    previous_level        TEXT    NOT NULL,
    channel               TEXT    NOT NULL,
    assisted_by_id        INTEGER NULL,
    customer_present      INTEGER NOT NULL,
    status                TEXT    NOT NULL,
    taken_at              INTEGER NOT NULL,
    confirmed_at          INTEGER NULL,
    valid_until           INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
CREATE INDEX ix_risk_assessments_customer_id_taken_at ON risk_assessments (customer_id, taken_at);

CREATE TABLE risk_assessment_links (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    token_hash     TEXT    NOT NULL,
    created_by_id  INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    assessment_id  INTEGER NULL
);
CREATE UNIQUE INDEX ix_risk_assessment_links_token_hash ON risk_assessment_links (token_hash);
CREATE INDEX ix_risk_assessment_links_customer_id ON risk_assessment_links (customer_id);

CREATE TABLE suitability_rule_sets (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    number         INTEGER NOT NULL,
    content_json   TEXT    NOT NULL,
    note           TEXT    NULL,
    created_by_id  INTEGER NULL,
    created_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_suitability_rule_sets_number ON suitability_rule_sets (number);

CREATE TABLE suitability_decisions (
    id                              INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id                     INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    branch_id                       INTEGER NOT NULL,
    product_id                      INTEGER NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    staff_id                        INTEGER NOT NULL,
    action                          TEXT    NOT NULL,
    amount                          TEXT    NULL,
    rule_set_number                 INTEGER NOT NULL,
    inputs_json                     TEXT    NOT NULL,
    outcome                         TEXT    NOT NULL,
    findings_json                   TEXT    NOT NULL,
    status                          TEXT    NOT NULL,
    needs_review                    INTEGER NOT NULL,
    cooling_off_hours               INTEGER NOT NULL,
    recording_reference             TEXT    NULL,
    warning_text                    TEXT    NULL,
    disclosure_title                TEXT    NULL,
    acknowledged_at                 INTEGER NULL,
    acknowledgment_recorded_by_id   INTEGER NULL,
    reviewer_id                     INTEGER NULL,
    reviewed_at                     INTEGER NULL,
    review_note                     TEXT    NULL,
    proceed_from                    INTEGER NULL,
    version                         INTEGER NOT NULL,
    created_at                      INTEGER NOT NULL,
    updated_at                      INTEGER NOT NULL
);
CREATE INDEX ix_suitability_decisions_customer_id_created_at ON suitability_decisions (customer_id, created_at);
CREATE INDEX ix_suitability_decisions_status_branch_id ON suitability_decisions (status, branch_id);
CREATE INDEX ix_suitability_decisions_product_id ON suitability_decisions (product_id);
