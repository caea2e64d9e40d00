-- Issue 3 follow-ups: structured timeline details, and the log of revealed personal data.

-- A timeline event's details as a code and parameters (JSON object of strings), translated when shown;
-- reply and note events name their message. Older events keep their free-text detail.
ALTER TABLE case_events ADD COLUMN detail_code TEXT NULL;
ALTER TABLE case_events ADD COLUMN detail_parameters TEXT NULL;
ALTER TABLE case_events ADD COLUMN message_id INTEGER NULL;

-- Every time someone was shown personal data in full (the case API's /contact, the case page's reveal button).
-- Rows are audited (hash chain), so compliance finds them in the audit log as well as here.
CREATE TABLE personal_data_access (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at   INTEGER NOT NULL,
    staff_id      INTEGER NULL,
    staff_name    TEXT    NOT NULL,
    subject_type  TEXT    NOT NULL,
    subject_id    INTEGER NOT NULL,
    branch_id     INTEGER NULL,
    purpose       TEXT    NOT NULL
);
CREATE INDEX ix_personal_data_access_subject_type_subject_id ON personal_data_access (subject_type, subject_id);
CREATE INDEX ix_personal_data_access_staff_id ON personal_data_access (staff_id);
