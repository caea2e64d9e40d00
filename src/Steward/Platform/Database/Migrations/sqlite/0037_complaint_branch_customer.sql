-- Issue 13, the compliance dashboard and the returns at 1 M complaints: the case's branch and customer copied onto its complaint
-- (a case's branch and customer never change after it is created), so counts by period, branch and customer read complaints alone
-- instead of joining the cases table each time (decision 0040, "Measured"). SQLite cannot add a NOT NULL column with a foreign key
-- to an existing table: branch_id is NOT NULL with a default the backfill replaces, without the reference.
ALTER TABLE complaints ADD COLUMN branch_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN customer_id INTEGER NULL REFERENCES customers (id) ON DELETE RESTRICT;
UPDATE complaints SET branch_id = (SELECT c.branch_id FROM cases c WHERE c.id = complaints.case_id),
                      customer_id = (SELECT c.customer_id FROM cases c WHERE c.id = complaints.case_id);
CREATE INDEX ix_complaints_received_at_branch ON complaints (received_at, branch_id, customer_id);
CREATE INDEX ix_complaints_outcome_at_branch ON complaints (outcome_at, branch_id) WHERE outcome_at IS NOT NULL;
CREATE INDEX ix_complaints_customer_id ON complaints (customer_id);
-- The open complaints (no outcome, not archived) by regime and deadline: the dashboard's first table.
CREATE INDEX ix_complaints_open ON complaints (regime, regulatory_due_at) WHERE outcome IS NULL AND archived_at IS NULL;
