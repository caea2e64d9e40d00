-- Issue 15, surveys completed (decision 0054): the one reminder of an invitation (due, sent), the follow-up's improvement-plan
-- target, the complaint signal, the root cause and whether the customer's issue was resolved (required to close the
-- follow-up), the promoter's thank-you, and the outer loop's improvement proposals against a service standard.
ALTER TABLE survey_invitations ADD COLUMN reminder_at INTEGER NULL;
ALTER TABLE survey_invitations ADD COLUMN reminder_message_id INTEGER NULL REFERENCES outbox_messages (id) ON DELETE SET NULL;
CREATE INDEX ix_survey_invitations_reminder_message_id ON survey_invitations (reminder_message_id);

ALTER TABLE survey_responses ADD COLUMN plan_due_at INTEGER NULL;
ALTER TABLE survey_responses ADD COLUMN complaint_suspected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE survey_responses ADD COLUMN root_cause TEXT NULL;
ALTER TABLE survey_responses ADD COLUMN issue_resolved INTEGER NULL;
ALTER TABLE survey_responses ADD COLUMN follow_up_recorded_at INTEGER NULL;
ALTER TABLE survey_responses ADD COLUMN follow_up_recorded_by_id INTEGER NULL;
ALTER TABLE survey_responses ADD COLUMN thanked_at INTEGER NULL;

CREATE TABLE survey_improvements (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id      INTEGER NULL REFERENCES branches (id) ON DELETE RESTRICT,
    segment        TEXT    NULL,
    title          TEXT    NOT NULL,
    proposal       TEXT    NOT NULL,
    standard_kind  TEXT    NOT NULL,
    standard_ref   TEXT    NOT NULL,
    owner_id       INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    due_on         TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    created_by_id  INTEGER NULL,
    done_at        INTEGER NULL,
    done_note      TEXT    NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX ix_survey_improvements_status_due_on ON survey_improvements (status, due_on);
CREATE INDEX ix_survey_improvements_branch_id ON survey_improvements (branch_id);
CREATE INDEX ix_survey_improvements_owner_id ON survey_improvements (owner_id);
