-- Issue 15 (decision 0055): the reminder job releases an invitation's held reminder only while it is unanswered, by a
-- compare-and-set on the invitation row (reminder_sent_at set once, where response_id is null); and the analysis counts in
-- the database: the invitations sent per branch and period, the score triples of the responses per branch and period, each
-- from an index that covers the query (SQLite has no INCLUDE: the covered columns follow the key).
ALTER TABLE survey_invitations ADD COLUMN reminder_sent_at INTEGER NULL;
CREATE INDEX ix_survey_invitations_branch_id_send_at ON survey_invitations (branch_id, send_at, status);
DROP INDEX ix_survey_responses_branch_id_submitted_at;
CREATE INDEX ix_survey_responses_branch_id_submitted_at ON survey_responses (branch_id, submitted_at, csat, nps, effort);
