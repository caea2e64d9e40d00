-- Issue 15 (decision 0055): the reminder job releases an invitation's held reminder only while it is unanswered, by a
-- compare-and-set on the invitation row (reminder_sent_at set once, where response_id is null); and the analysis counts the
-- invitations sent per branch and period in the database (an index on branch and sending time, as responses have).
ALTER TABLE survey_invitations ADD COLUMN reminder_sent_at INTEGER NULL;
CREATE INDEX ix_survey_invitations_branch_id_send_at ON survey_invitations (branch_id, send_at);
