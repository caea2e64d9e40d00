-- Issue 12: a customer's further identity documents, and sealed scans of any of their documents.
CREATE TABLE customer_identity_documents (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id      INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    type             TEXT    NOT NULL,
    number_cipher    TEXT    NOT NULL,
    number_index     TEXT    NOT NULL,
    issuing_country  TEXT    NOT NULL,
    expires_on       TEXT    NULL,
    note             TEXT    NULL,
    created_by_id    INTEGER NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX ix_customer_identity_documents_customer_id ON customer_identity_documents (customer_id);
CREATE INDEX ix_customer_identity_documents_number_index ON customer_identity_documents (number_index);

CREATE TABLE customer_document_scans (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    document_id       INTEGER NULL REFERENCES customer_identity_documents (id) ON DELETE CASCADE,
    side              TEXT    NOT NULL,
    file_name         TEXT    NOT NULL,
    content_type      TEXT    NOT NULL,
    size              INTEGER NOT NULL,
    sha256            TEXT    NOT NULL,
    key_cipher        TEXT    NOT NULL,
    blob_id           INTEGER NOT NULL REFERENCES attachment_blobs (id) ON DELETE RESTRICT,
    uploaded_by_id    INTEGER NULL,
    uploaded_by_name  TEXT    NOT NULL,
    created_at        INTEGER NOT NULL
);
CREATE INDEX ix_customer_document_scans_customer_id ON customer_document_scans (customer_id);
CREATE INDEX ix_customer_document_scans_document_id ON customer_document_scans (document_id);
CREATE INDEX ix_customer_document_scans_blob_id ON customer_document_scans (blob_id);
