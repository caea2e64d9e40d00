-- Issue 16, the second slice of quality control (decision 0048): sampling plans as data (random percentage, a guaranteed
-- minimum per staff member, targeted rules; daily, weekly or monthly), their seeded draws and the cases sampled (a case is in
-- at most one sample ever; removed items stay with their reason), and rectifications (整改) opened by a failed review, closed
-- by the staff member's evidence and a passing re-check review.
CREATE TABLE qa_sampling_plans (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT    NOT NULL,
    cycle               TEXT    NOT NULL,
    random_percent      TEXT    NOT NULL,
    minimum_per_staff   INTEGER NOT NULL,
    targeted_per_staff  INTEGER NOT NULL,
    rules               TEXT    NOT NULL,
    branch_ids          TEXT    NOT NULL,
    pass_threshold      TEXT    NOT NULL,
    time_zone           TEXT    NOT NULL,
    is_active           INTEGER NOT NULL,
    created_by_id       INTEGER NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE qa_sample_draws (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES qa_sampling_plans (id) ON DELETE RESTRICT,
    period_start  INTEGER NOT NULL,
    period_end    INTEGER NOT NULL,
    seed          INTEGER NOT NULL,
    drawn_at      INTEGER NOT NULL,
    drawn_by_id   INTEGER NULL,
    pool_size     INTEGER NOT NULL,
    item_count    INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_qa_sample_draws_plan_id_period_start ON qa_sample_draws (plan_id, period_start);

CREATE TABLE qa_rectifications (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id          INTEGER NOT NULL REFERENCES qa_reviews (id) ON DELETE RESTRICT,
    case_id            INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    staff_id           INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    team_id            INTEGER NULL,
    branch_id          INTEGER NOT NULL,
    reason             TEXT    NOT NULL,
    failed_items       TEXT    NOT NULL,
    score              TEXT    NOT NULL,
    threshold          TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    opened_at          INTEGER NOT NULL,
    due_at             INTEGER NOT NULL,
    training_needed    INTEGER NOT NULL,
    evidence           TEXT    NULL,
    evidence_at        INTEGER NULL,
    recheck_review_id  INTEGER NULL,
    failed_rechecks    INTEGER NOT NULL,
    closed_by_id       INTEGER NULL,
    closed_at          INTEGER NULL
);
CREATE UNIQUE INDEX ix_qa_rectifications_review_id ON qa_rectifications (review_id);
CREATE INDEX ix_qa_rectifications_staff_id_opened_at ON qa_rectifications (staff_id, opened_at);
CREATE INDEX ix_qa_rectifications_team_id_status ON qa_rectifications (team_id, status);
CREATE INDEX ix_qa_rectifications_case_id ON qa_rectifications (case_id);

CREATE TABLE qa_sample_items (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    draw_id            INTEGER NULL REFERENCES qa_sample_draws (id) ON DELETE RESTRICT,
    rectification_id   INTEGER NULL REFERENCES qa_rectifications (id) ON DELETE RESTRICT,
    case_id            INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    staff_id           INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    reason             TEXT    NOT NULL,
    rule               TEXT    NULL,
    status             TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    review_id          INTEGER NULL,
    removed_reason     TEXT    NULL,
    removed_by_id      INTEGER NULL,
    removed_at         INTEGER NULL
);
CREATE UNIQUE INDEX ix_qa_sample_items_case_id ON qa_sample_items (case_id);
CREATE INDEX ix_qa_sample_items_draw_id ON qa_sample_items (draw_id);
CREATE INDEX ix_qa_sample_items_status_staff_id ON qa_sample_items (status, staff_id);
CREATE INDEX ix_qa_sample_items_rectification_id ON qa_sample_items (rectification_id);
CREATE INDEX ix_qa_sample_items_staff_id ON qa_sample_items (staff_id);
