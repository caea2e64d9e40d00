-- Issue 12: the customer file (individual and corporate customers, identity document, contact and address, financial
-- profile, relationship manager, vulnerability flags) and KYC (status, verifier, review cycle, expiry and its
-- re-verification case). See docs/decisions/0026-customer-file-and-kyc.md. Existing customers become individuals with
-- KYC pending and a medium risk rating.

ALTER TABLE customers ADD COLUMN kind varchar(40) NOT NULL DEFAULT 'Individual';
ALTER TABLE customers ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE customers ADD COLUMN birth_date date NULL;
ALTER TABLE customers ADD COLUMN id_type varchar(40) NULL;
ALTER TABLE customers ADD COLUMN id_issuing_country varchar(2) NULL;
ALTER TABLE customers ADD COLUMN id_expires_on date NULL;
ALTER TABLE customers ADD COLUMN address_cipher varchar(1000) NULL;
ALTER TABLE customers ADD COLUMN occupation varchar(100) NULL;
ALTER TABLE customers ADD COLUMN income_band varchar(40) NULL;
ALTER TABLE customers ADD COLUMN declared_assets numeric(18,2) NULL;
ALTER TABLE customers ADD COLUMN source_of_funds varchar(200) NULL;
ALTER TABLE customers ADD COLUMN relationship_manager_id bigint NULL REFERENCES staff (id) ON DELETE RESTRICT;
ALTER TABLE customers ADD COLUMN has_disability boolean NOT NULL DEFAULT false;
ALTER TABLE customers ALTER COLUMN has_disability DROP DEFAULT;
ALTER TABLE customers ADD COLUMN has_limited_capacity boolean NOT NULL DEFAULT false;
ALTER TABLE customers ALTER COLUMN has_limited_capacity DROP DEFAULT;
ALTER TABLE customers ADD COLUMN has_other_vulnerability boolean NOT NULL DEFAULT false;
ALTER TABLE customers ALTER COLUMN has_other_vulnerability DROP DEFAULT;
ALTER TABLE customers ADD COLUMN vulnerability_note varchar(400) NULL;
ALTER TABLE customers ADD COLUMN legal_representative_name varchar(100) NULL;
ALTER TABLE customers ADD COLUMN legal_representative_id_cipher varchar(200) NULL;
ALTER TABLE customers ADD COLUMN beneficial_owners_cipher varchar(4000) NULL;
ALTER TABLE customers ADD COLUMN kyc_status varchar(40) NOT NULL DEFAULT 'Pending';
ALTER TABLE customers ALTER COLUMN kyc_status DROP DEFAULT;
ALTER TABLE customers ADD COLUMN kyc_risk_rating varchar(40) NOT NULL DEFAULT 'Medium';
ALTER TABLE customers ALTER COLUMN kyc_risk_rating DROP DEFAULT;
ALTER TABLE customers ADD COLUMN kyc_verified_by_id bigint NULL REFERENCES staff (id) ON DELETE RESTRICT;
ALTER TABLE customers ADD COLUMN kyc_verified_at timestamptz NULL;
ALTER TABLE customers ADD COLUMN kyc_review_due_on date NULL;
ALTER TABLE customers ADD COLUMN kyc_expired_on date NULL;
ALTER TABLE customers ADD COLUMN kyc_expiry_reason varchar(40) NULL;
ALTER TABLE customers ADD COLUMN kyc_rejection_reason varchar(400) NULL;
ALTER TABLE customers ADD COLUMN kyc_review_case_id bigint NULL;
UPDATE customers SET id_type = 'PrcResidentId', id_issuing_country = 'CN' WHERE id_number_cipher IS NOT NULL;
CREATE INDEX ix_customers_relationship_manager_id ON customers (relationship_manager_id);
CREATE INDEX ix_customers_kyc_verified_by_id ON customers (kyc_verified_by_id);
CREATE INDEX ix_customers_kyc_status_kyc_review_due_on ON customers (kyc_status, kyc_review_due_on);
CREATE INDEX ix_customers_kyc_status_id_expires_on ON customers (kyc_status, id_expires_on);
