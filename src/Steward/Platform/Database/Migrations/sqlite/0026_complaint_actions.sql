-- Issue 13: service recovery and root cause (溯源整改). Corrective actions of an upheld or partly upheld complaint, each
-- with an owner, a due day (local to the case's branch), a status to closure and its evidence; and the recurrences found
-- when an outcome is recorded (the same JR/T 0169 cause upheld again on the same product or in the same branch, decision 0037).
CREATE TABLE complaint_actions (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id            INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    title                   TEXT    NOT NULL,
    description             TEXT    NULL,
    owner_id                INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    due_on                  TEXT    NOT NULL,
    status                  TEXT    NOT NULL,
    cancel_reason           TEXT    NULL,
    evidence_note           TEXT    NULL,
    evidence_attachment_id  INTEGER NULL REFERENCES case_attachments (id) ON DELETE RESTRICT,
    closed_at               INTEGER NULL,
    closed_by_id            INTEGER NULL,
    created_by_id           INTEGER NULL,
    version                 INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE INDEX ix_complaint_actions_complaint_id ON complaint_actions (complaint_id);
CREATE INDEX ix_complaint_actions_status_due_on ON complaint_actions (status, due_on);
CREATE INDEX ix_complaint_actions_owner_id ON complaint_actions (owner_id);
CREATE INDEX ix_complaint_actions_evidence_attachment_id ON complaint_actions (evidence_attachment_id);

CREATE TABLE complaint_recurrences (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id           INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    earlier_complaint_id   INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    jrt_cause              TEXT    NOT NULL,
    same_product           INTEGER NOT NULL,
    same_branch            INTEGER NOT NULL,
    detected_at            INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_complaint_recurrences_complaint_id_earlier_complaint_id ON complaint_recurrences (complaint_id, earlier_complaint_id);
CREATE INDEX ix_complaint_recurrences_earlier_complaint_id ON complaint_recurrences (earlier_complaint_id);
