-- Issue 12: customer holdings imported from the core banking system (one row per customer and product), the imports
-- (recognised again by the SHA-256 of the file) and the rows each import refused. See docs/decisions/0027-holdings-import.md.

CREATE TABLE holding_imports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name       TEXT    NOT NULL,
    sha256          TEXT    NOT NULL,
    format          TEXT    NOT NULL,
    rows_read       INTEGER NOT NULL,
    rows_accepted   INTEGER NOT NULL,
    rows_rejected   INTEGER NOT NULL,
    imported_by_id  INTEGER NULL,
    imported_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_holding_imports_sha256 ON holding_imports (sha256);
CREATE INDEX ix_holding_imports_imported_at ON holding_imports (imported_at);

CREATE TABLE holding_import_rejections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id   INTEGER NOT NULL REFERENCES holding_imports (id) ON DELETE CASCADE,
    row_number  INTEGER NOT NULL,
    field       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    value       TEXT    NULL
);
CREATE INDEX ix_holding_import_rejections_import_id_row_number ON holding_import_rejections (import_id, row_number);

CREATE TABLE holdings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id   INTEGER NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    balance      TEXT    NOT NULL,
    currency     TEXT    NOT NULL,
    as_of        TEXT    NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES holding_imports (id) ON DELETE RESTRICT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_holdings_customer_id_product_id ON holdings (customer_id, product_id);
CREATE INDEX ix_holdings_product_id ON holdings (product_id);
CREATE INDEX ix_holdings_import_id ON holdings (import_id);
