-- Case lists and search at scale (issue 5; docs/decisions/0013-case-lists-counts-and-search-order.md).
--
-- Lists sorted newest first (sort=newest, and every search) continue below the cursor's id: with these indexes a
-- list of a team, an assignee (or the unassigned queue) or a status walks its own entries backwards from the cursor
-- instead of the whole primary key (a status filter at 1 M cases: 452 ms -> under 1 ms).
CREATE INDEX ix_cases_team_id_id ON cases (team_id, id);
CREATE INDEX ix_cases_assignee_id_id ON cases (assignee_id, id);
CREATE INDEX ix_cases_status_id ON cases (status, id);

-- Full-text rows. A search fetches the rows of its matches (a bitmap scan of the GIN index, then the heap) or walks
-- cases by id and checks each row's document. Both read heap pages of case_search: keep the heap small by storing
-- the token text and the document out of line (every row is over the 128-byte target), so that the heap is about
-- 70 bytes a row and stays in memory. Positions are never used (queries are AND of words, no phrases, no ranking), so
-- the document is stripped of them: a third smaller, so cheaper to read per probe.
-- Rewrites case_search once (minutes per million cases; an ACCESS EXCLUSIVE lock meanwhile).
ALTER TABLE case_search SET (toast_tuple_target = 128);
ALTER TABLE case_search ALTER COLUMN tokens SET STORAGE EXTERNAL;
ALTER TABLE case_search DROP COLUMN document;
ALTER TABLE case_search ADD COLUMN document tsvector GENERATED ALWAYS AS (strip(to_tsvector('simple', tokens))) STORED;
ALTER TABLE case_search ALTER COLUMN document SET STORAGE EXTERNAL;
CREATE INDEX ix_case_search_document ON case_search USING gin (document);
