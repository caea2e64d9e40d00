-- Issue 12: household links between customers (spouse, child, parent, dependant, guardian), for service only.
CREATE TABLE household_links (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id          INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    related_customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    relation             TEXT    NOT NULL,
    note                 TEXT    NULL,
    created_by_id        INTEGER NULL,
    created_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_household_links_customer_id_related_customer_id ON household_links (customer_id, related_customer_id);
CREATE INDEX ix_household_links_related_customer_id ON household_links (related_customer_id);
