-- Issue 15: satisfaction surveys (decision 0043). Versioned survey definitions (questions as JSON, the service events that
-- trigger them, delay and expiry); invitations about a service event (a case today) with the hash of the link's token,
-- the attribution to whoever served, or the contact policy's reason for sending none; one response per invitation with
-- the scores the analysis reads and the follow-up case a poor score opened; opt-outs.
CREATE TABLE survey_definitions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT    NOT NULL,
    number           INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    name_en          TEXT    NOT NULL,
    content_json     TEXT    NOT NULL,
    trigger_event    TEXT    NOT NULL,
    kinds            TEXT    NOT NULL,
    channels         TEXT    NOT NULL,
    delay_minutes    INTEGER NOT NULL,
    expiry_days      INTEGER NOT NULL,
    is_active        INTEGER NOT NULL,
    published_at     INTEGER NOT NULL,
    published_by_id  INTEGER NULL
);
CREATE UNIQUE INDEX ix_survey_definitions_code_number ON survey_definitions (code, number);

CREATE TABLE survey_invitations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    definition_id     INTEGER NOT NULL REFERENCES survey_definitions (id) ON DELETE RESTRICT,
    event_kind        TEXT    NOT NULL,
    event_id          INTEGER NOT NULL,
    customer_id       INTEGER NULL REFERENCES customers (id) ON DELETE CASCADE,
    recipient_key     TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    suppression       TEXT    NULL,
    delivery_channel  TEXT    NULL,
    token_hash        TEXT    NULL,
    created_at        INTEGER NOT NULL,
    send_at           INTEGER NOT NULL,
    expires_at        INTEGER NULL,
    response_id       INTEGER NULL,
    staff_id          INTEGER NULL,
    branch_id         INTEGER NOT NULL,
    team_id           INTEGER NULL,
    channel           TEXT    NULL,
    kind              TEXT    NULL,
    product_id        INTEGER NULL
);
CREATE UNIQUE INDEX ix_survey_invitations_token_hash ON survey_invitations (token_hash);
CREATE INDEX ix_survey_invitations_recipient_key_send_at ON survey_invitations (recipient_key, send_at);
CREATE INDEX ix_survey_invitations_event_kind_event_id ON survey_invitations (event_kind, event_id);
CREATE INDEX ix_survey_invitations_definition_id ON survey_invitations (definition_id);
CREATE INDEX ix_survey_invitations_customer_id ON survey_invitations (customer_id);

CREATE TABLE survey_responses (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    invitation_id       INTEGER NOT NULL REFERENCES survey_invitations (id) ON DELETE CASCADE,
    definition_id       INTEGER NOT NULL REFERENCES survey_definitions (id) ON DELETE RESTRICT,
    submitted_at        INTEGER NOT NULL,
    language            TEXT    NOT NULL,
    answers_json        TEXT    NOT NULL,
    csat                INTEGER NULL,
    nps                 INTEGER NULL,
    effort              INTEGER NULL,
    is_poor             INTEGER NOT NULL,
    event_kind          TEXT    NOT NULL,
    event_id            INTEGER NOT NULL,
    customer_id         INTEGER NULL,
    staff_id            INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT,
    branch_id           INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    team_id             INTEGER NULL,
    channel             TEXT    NULL,
    kind                TEXT    NULL,
    product_id          INTEGER NULL,
    follow_up_case_id   INTEGER NULL REFERENCES cases (id) ON DELETE RESTRICT,
    follow_up_owner_id  INTEGER NULL,
    follow_up_due_at    INTEGER NULL
);
CREATE UNIQUE INDEX ix_survey_responses_invitation_id ON survey_responses (invitation_id);
CREATE INDEX ix_survey_responses_branch_id_submitted_at ON survey_responses (branch_id, submitted_at);
CREATE INDEX ix_survey_responses_follow_up_case_id ON survey_responses (follow_up_case_id);
CREATE INDEX ix_survey_responses_definition_id ON survey_responses (definition_id);
CREATE INDEX ix_survey_responses_staff_id ON survey_responses (staff_id);

CREATE TABLE survey_opt_outs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_key   TEXT    NOT NULL,
    customer_id     INTEGER NULL,
    opted_out_at    INTEGER NOT NULL,
    invitation_id   INTEGER NULL
);
CREATE UNIQUE INDEX ix_survey_opt_outs_recipient_key ON survey_opt_outs (recipient_key);
