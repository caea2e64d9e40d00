-- Issue 13, the compliance dashboard and the returns at 1 M complaints: the case's branch and customer copied onto its complaint
-- (a case's branch and customer never change after it is created), so counts by period, branch and customer read complaints alone
-- instead of joining the cases table each time (decision 0040, "Measured").
ALTER TABLE complaints ADD COLUMN branch_id bigint NULL REFERENCES branches (id) ON DELETE RESTRICT;
ALTER TABLE complaints ADD COLUMN customer_id bigint NULL REFERENCES customers (id) ON DELETE RESTRICT;
UPDATE complaints x SET branch_id = c.branch_id, customer_id = c.customer_id FROM cases c WHERE c.id = x.case_id;
ALTER TABLE complaints ALTER COLUMN branch_id SET NOT NULL;
CREATE INDEX ix_complaints_received_at_branch ON complaints (received_at, branch_id, customer_id);
CREATE INDEX ix_complaints_outcome_at_branch ON complaints (outcome_at, branch_id) WHERE outcome_at IS NOT NULL;
CREATE INDEX ix_complaints_customer_id ON complaints (customer_id);
-- The open complaints (no outcome, not archived) by regime and deadline: the dashboard's first table.
CREATE INDEX ix_complaints_open ON complaints (regime, regulatory_due_at) WHERE outcome IS NULL AND archived_at IS NULL;
