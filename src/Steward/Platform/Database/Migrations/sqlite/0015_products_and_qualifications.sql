-- Issue 12: the product catalogue (both risk ratings, documents, status, risk raises) and the staff qualification
-- registry (types as data, certificates, expiry reminders). See docs/decisions/0025-products-and-qualifications.md.

CREATE TABLE qualification_types (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    family      TEXT    NOT NULL,
    level       INTEGER NULL,
    is_active   INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_qualification_types_code ON qualification_types (code);

-- The qualification types every institution starts with (editable data; a suitability rule names a type by its code).
-- Insurance sales levels follow 《保险销售行为管理办法》 (NFRA 2023 No. 2; sellers and products graded): a seller of a higher level may sell
-- the products of a lower one.
INSERT INTO qualification_types (code, name, name_en, family, level, is_active, version, created_at, updated_at) VALUES
    ('FUND', '基金从业资格', 'Fund qualification', 'fund', NULL, 1, 1, 639316800000000000, 639316800000000000),
    ('SECURITIES', '证券从业资格', 'Securities qualification', 'securities', NULL, 1, 1, 639316800000000000, 639316800000000000),
    ('BANKING-WM', '银行从业资格（个人理财）', 'Banking qualification — wealth management', 'banking-wm', NULL, 1, 1, 639316800000000000, 639316800000000000),
    ('INSURANCE-1', '保险销售从业人员（一级）', 'Insurance sales, level 1', 'insurance-sales', 1, 1, 1, 639316800000000000, 639316800000000000),
    ('INSURANCE-2', '保险销售从业人员（二级）', 'Insurance sales, level 2', 'insurance-sales', 2, 1, 1, 639316800000000000, 639316800000000000),
    ('INSURANCE-3', '保险销售从业人员（三级）', 'Insurance sales, level 3', 'insurance-sales', 3, 1, 1, 639316800000000000, 639316800000000000),
    ('INSURANCE-4', '保险销售从业人员（四级）', 'Insurance sales, level 4', 'insurance-sales', 4, 1, 1, 639316800000000000, 639316800000000000);

-- The issuer's and the distributor's rating; risk_level stays the effective one (the higher of the two).
ALTER TABLE products ADD COLUMN issuer_risk_level TEXT NOT NULL DEFAULT 'R1';
ALTER TABLE products ADD COLUMN distributor_risk_level TEXT NOT NULL DEFAULT 'R1';
UPDATE products SET issuer_risk_level = risk_level, distributor_risk_level = risk_level;
ALTER TABLE products RENAME COLUMN expected_return_percent TO expected_return_min_percent;
ALTER TABLE products ADD COLUMN expected_return_max_percent TEXT NULL;
UPDATE products SET expected_return_max_percent = expected_return_min_percent;
ALTER TABLE products ADD COLUMN term_days INTEGER NULL;
ALTER TABLE products ADD COLUMN minimum_amount TEXT NULL;
ALTER TABLE products ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE products ADD COLUMN recorded_sales_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN required_qualification_type_id INTEGER NULL REFERENCES qualification_types (id) ON DELETE RESTRICT;
ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'OnSale';
ALTER TABLE products ADD COLUMN status_reason TEXT NULL;
ALTER TABLE products ADD COLUMN status_changed_at INTEGER NULL;
UPDATE products SET status = CASE WHEN is_active = 1 THEN 'OnSale' ELSE 'Withdrawn' END;
ALTER TABLE products DROP COLUMN is_active;
UPDATE products SET category = 'BankCard' WHERE category = 'Card';
CREATE INDEX ix_products_required_qualification_type_id ON products (required_qualification_type_id);
CREATE INDEX ix_products_category_risk_level_status ON products (category, risk_level, status);

-- Terms, risk disclosure and other documents: a link, or a file whose bytes are in attachment_blobs.
CREATE TABLE product_documents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id     INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    title_en       TEXT    NOT NULL,
    url            TEXT    NULL,
    file_name      TEXT    NULL,
    content_type   TEXT    NULL,
    size           INTEGER NULL,
    sha256         TEXT    NULL,
    blob_id        INTEGER NULL REFERENCES attachment_blobs (id) ON DELETE RESTRICT,
    added_by_id    INTEGER NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX ix_product_documents_product_id ON product_documents (product_id);
CREATE INDEX ix_product_documents_blob_id ON product_documents (blob_id);

-- Every raise of a product's effective risk level; the holdings slice lists the holders it leaves uncovered.
CREATE TABLE product_risk_changes (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id              INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    previous_level          TEXT    NOT NULL,
    new_level               TEXT    NOT NULL,
    issuer_risk_level       TEXT    NOT NULL,
    distributor_risk_level  TEXT    NOT NULL,
    changed_by_id           INTEGER NULL,
    changed_at              INTEGER NOT NULL
);
CREATE INDEX ix_product_risk_changes_product_id ON product_risk_changes (product_id);

CREATE TABLE staff_qualifications (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id                INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    qualification_type_id   INTEGER NOT NULL REFERENCES qualification_types (id) ON DELETE RESTRICT,
    certificate_number      TEXT    NOT NULL,
    issued_on               TEXT    NOT NULL,
    expires_on              TEXT    NULL,
    evidence_reference      TEXT    NULL,
    evidence_file_name      TEXT    NULL,
    evidence_content_type   TEXT    NULL,
    evidence_size           INTEGER NULL,
    evidence_sha256         TEXT    NULL,
    evidence_blob_id        INTEGER NULL REFERENCES attachment_blobs (id) ON DELETE RESTRICT,
    version                 INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_staff_qualifications_qualification_type_id_certificate_number ON staff_qualifications (qualification_type_id, certificate_number);
CREATE INDEX ix_staff_qualifications_staff_id ON staff_qualifications (staff_id);
CREATE INDEX ix_staff_qualifications_expires_on ON staff_qualifications (expires_on);
CREATE INDEX ix_staff_qualifications_evidence_blob_id ON staff_qualifications (evidence_blob_id);

-- One reminder per certificate, expiry date and threshold (90/60/30/7 days); the unique key makes it once across nodes.
CREATE TABLE qualification_reminders (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_qualification_id  INTEGER NOT NULL REFERENCES staff_qualifications (id) ON DELETE CASCADE,
    expires_on              TEXT    NOT NULL,
    days_before             INTEGER NOT NULL,
    raised_at               INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_qualification_reminders_staff_qualification_id_expires_on_days_before ON qualification_reminders (staff_qualification_id, expires_on, days_before);
