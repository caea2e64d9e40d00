-- Issue 16, the first slice of quality control (decision 0046): scorecards as versioned data (sections and items as JSON, a
-- version never changed once published) and reviews of cases that name the version they were made with, with the score
-- computed when made, and the reviewed staff member's acceptance or dispute and its resolution.
CREATE TABLE qa_scorecards (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT    NOT NULL,
    number           INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    name_en          TEXT    NOT NULL,
    subject_kind     TEXT    NOT NULL,
    content_json     TEXT    NOT NULL,
    published_at     INTEGER NOT NULL,
    published_by_id  INTEGER NULL
);
CREATE UNIQUE INDEX ix_qa_scorecards_code_number ON qa_scorecards (code, number);

CREATE TABLE qa_reviews (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    scorecard_id        INTEGER NOT NULL REFERENCES qa_scorecards (id) ON DELETE RESTRICT,
    subject_kind        TEXT    NOT NULL,
    case_id             INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    staff_id            INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    branch_id           INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    team_id             INTEGER NULL,
    inspector_id        INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    created_at          INTEGER NOT NULL,
    answers_json        TEXT    NOT NULL,
    comment             TEXT    NULL,
    score               TEXT    NOT NULL,
    critical_failed     INTEGER NOT NULL,
    status              TEXT    NOT NULL,
    dispute_until       INTEGER NOT NULL,
    responded_at        INTEGER NULL,
    suggested_score     TEXT    NULL,
    dispute_comment     TEXT    NULL,
    resolved_by_id      INTEGER NULL,
    resolved_at         INTEGER NULL,
    resolution_comment  TEXT    NULL,
    final_score         TEXT    NOT NULL
);
CREATE INDEX ix_qa_reviews_case_id ON qa_reviews (case_id);
CREATE INDEX ix_qa_reviews_staff_id_created_at ON qa_reviews (staff_id, created_at);
CREATE INDEX ix_qa_reviews_team_id_status ON qa_reviews (team_id, status);
CREATE INDEX ix_qa_reviews_branch_id ON qa_reviews (branch_id);
CREATE INDEX ix_qa_reviews_inspector_id ON qa_reviews (inspector_id);
CREATE INDEX ix_qa_reviews_scorecard_id ON qa_reviews (scorecard_id);
