-- Issue 13, the complaint's process between intake and archive (SQLite: instants UTC ticks, dates TEXT yyyy-MM-dd, booleans 0/1):
-- the initial assessment (in scope? regulatory impact? legal impact → a legal task), investigation and legal tasks with an
-- owner and a due date, the customer's response to the final decision (accepted, or disputed → a review within the window),
-- the reviews (the decision that was reopened) and the archive.
ALTER TABLE complaints ADD COLUMN in_scope INTEGER NULL;
ALTER TABLE complaints ADD COLUMN regulatory_impact INTEGER NULL;
ALTER TABLE complaints ADD COLUMN legal_impact INTEGER NULL;
ALTER TABLE complaints ADD COLUMN assessment_note TEXT NULL;
ALTER TABLE complaints ADD COLUMN assessed_at INTEGER NULL;
ALTER TABLE complaints ADD COLUMN assessed_by_id INTEGER NULL;
ALTER TABLE complaints ADD COLUMN customer_response TEXT NULL;
ALTER TABLE complaints ADD COLUMN customer_response_note TEXT NULL;
ALTER TABLE complaints ADD COLUMN customer_response_at INTEGER NULL;
ALTER TABLE complaints ADD COLUMN archived_at INTEGER NULL;
ALTER TABLE complaints ADD COLUMN archived_by_id INTEGER NULL;

CREATE TABLE complaint_tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id   INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    owner_id       INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    due_on         TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    result         TEXT    NULL,
    done_at        INTEGER NULL,
    done_by_id     INTEGER NULL,
    created_by_id  INTEGER NULL,
    created_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX ix_complaint_tasks_complaint_id ON complaint_tasks (complaint_id);
CREATE INDEX ix_complaint_tasks_owner_id_status ON complaint_tasks (owner_id, status);

CREATE TABLE complaint_reviews (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id        INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    previous_outcome    TEXT    NOT NULL,
    previous_root_cause TEXT    NULL,
    previous_outcome_at INTEGER NOT NULL,
    reason              TEXT    NOT NULL,
    opened_by_id        INTEGER NULL,
    opened_at           INTEGER NOT NULL
);
CREATE INDEX ix_complaint_reviews_complaint_id ON complaint_reviews (complaint_id);
