-- Case lists and search at scale (issue 5; see the PostgreSQL script of the same number).
-- Lists sorted newest first continue below the cursor's id: these indexes walk a team's, an assignee's or a status's
-- cases backwards from there. (The full-text changes of the PostgreSQL script concern its tsvector storage; FTS5 is unchanged.)
CREATE INDEX ix_cases_team_id_id ON cases (team_id, id);
CREATE INDEX ix_cases_assignee_id_id ON cases (assignee_id, id);
CREATE INDEX ix_cases_status_id ON cases (status, id);
