-- Indexes the benchmarks showed missing (issue 5; see the PostgreSQL script of the same number).
-- Case lists sort by CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id (EF Core's translation of
-- "deadline, cases without one last"): indexes with that expression let a page stop early.
CREATE INDEX ix_cases_assignee_id_due ON cases (assignee_id, (CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, id);
CREATE INDEX ix_cases_team_id_due ON cases (team_id, (CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, id);
CREATE INDEX ix_cases_status_due ON cases (status, (CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, id);
CREATE INDEX ix_cases_due ON cases ((CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, id);
-- Counts by team and status with the scope columns: a covering index (SQLite has no INCLUDE).
CREATE INDEX ix_cases_team_id_status_scope ON cases (team_id, status, branch_id, assignee_id);
