-- Issue 12: the customer file (individual and corporate customers, identity document, contact and address, financial
-- profile, relationship manager, vulnerability flags) and KYC (status, verifier, review cycle, expiry and its
-- re-verification case). See docs/decisions/0026-customer-file-and-kyc.md. Existing customers become individuals with
-- KYC pending and a medium risk rating.

ALTER TABLE customers ADD COLUMN kind TEXT NOT NULL DEFAULT 'Individual';
ALTER TABLE customers ADD COLUMN birth_date TEXT NULL;
ALTER TABLE customers ADD COLUMN id_type TEXT NULL;
ALTER TABLE customers ADD COLUMN id_issuing_country TEXT NULL;
ALTER TABLE customers ADD COLUMN id_expires_on TEXT NULL;
ALTER TABLE customers ADD COLUMN address_cipher TEXT NULL;
ALTER TABLE customers ADD COLUMN occupation TEXT NULL;
ALTER TABLE customers ADD COLUMN income_band TEXT NULL;
ALTER TABLE customers ADD COLUMN declared_assets TEXT NULL;
ALTER TABLE customers ADD COLUMN source_of_funds TEXT NULL;
ALTER TABLE customers ADD COLUMN relationship_manager_id INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT;
ALTER TABLE customers ADD COLUMN has_disability INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN has_limited_capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN has_other_vulnerability INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN vulnerability_note TEXT NULL;
ALTER TABLE customers ADD COLUMN legal_representative_name TEXT NULL;
ALTER TABLE customers ADD COLUMN legal_representative_id_cipher TEXT NULL;
ALTER TABLE customers ADD COLUMN beneficial_owners_cipher TEXT NULL;
ALTER TABLE customers ADD COLUMN kyc_status TEXT NOT NULL DEFAULT 'Pending';
ALTER TABLE customers ADD COLUMN kyc_risk_rating TEXT NOT NULL DEFAULT 'Medium';
ALTER TABLE customers ADD COLUMN kyc_verified_by_id INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT;
ALTER TABLE customers ADD COLUMN kyc_verified_at INTEGER NULL;
ALTER TABLE customers ADD COLUMN kyc_review_due_on TEXT NULL;
ALTER TABLE customers ADD COLUMN kyc_expired_on TEXT NULL;
ALTER TABLE customers ADD COLUMN kyc_expiry_reason TEXT NULL;
ALTER TABLE customers ADD COLUMN kyc_rejection_reason TEXT NULL;
ALTER TABLE customers ADD COLUMN kyc_review_case_id INTEGER NULL;
UPDATE customers SET id_type = 'PrcResidentId', id_issuing_country = 'CN' WHERE id_number_cipher IS NOT NULL;
CREATE INDEX ix_customers_relationship_manager_id ON customers (relationship_manager_id);
CREATE INDEX ix_customers_kyc_verified_by_id ON customers (kyc_verified_by_id);
CREATE INDEX ix_customers_kyc_status_kyc_review_due_on ON customers (kyc_status, kyc_review_due_on);
CREATE INDEX ix_customers_kyc_status_id_expires_on ON customers (kyc_status, id_expires_on);
