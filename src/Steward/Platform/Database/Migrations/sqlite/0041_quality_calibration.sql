-- Issue 16, the calibration slice of quality control (decision 0049): batches of cases that several inspectors score against
-- one scorecard version to measure their agreement (Cohen's / Fleiss' kappa). Their scores are kept apart from qa_reviews so
-- that they never count toward staff results, open no dispute and no rectification.
CREATE TABLE qa_calibrations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    scorecard_id    INTEGER NOT NULL REFERENCES qa_scorecards (id) ON DELETE RESTRICT,
    case_ids        TEXT    NOT NULL,
    inspector_ids   TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    created_by_id   INTEGER NULL,
    created_at      INTEGER NOT NULL,
    closed_by_id    INTEGER NULL,
    closed_at       INTEGER NULL,
    kappa           TEXT    NULL,
    kappa_threshold TEXT    NULL,
    drift           INTEGER NOT NULL
);
CREATE INDEX ix_qa_calibrations_scorecard_id ON qa_calibrations (scorecard_id);

CREATE TABLE qa_calibration_reviews (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    calibration_id  INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE RESTRICT,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    inspector_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    created_at      INTEGER NOT NULL,
    answers_json    TEXT    NOT NULL,
    comment         TEXT    NULL,
    score           TEXT    NOT NULL,
    critical_failed INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_qa_calibration_reviews_calibration_id_case_id_inspector_id ON qa_calibration_reviews (calibration_id, case_id, inspector_id);
CREATE INDEX ix_qa_calibration_reviews_case_id ON qa_calibration_reviews (case_id);
CREATE INDEX ix_qa_calibration_reviews_inspector_id ON qa_calibration_reviews (inspector_id);
