-- Issue 14: branch queues — service types and counters per branch, tickets and their period states as events.
CREATE TABLE queue_service_types (
    id                              INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id                       INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    name                            TEXT    NOT NULL,
    name_en                         TEXT    NOT NULL,
    prefix                          TEXT    NOT NULL,
    target_wait_minutes             INTEGER NOT NULL,
    required_qualification_type_id  INTEGER NULL REFERENCES qualification_types (id) ON DELETE RESTRICT,
    sort_order                      INTEGER NOT NULL,
    is_active                       INTEGER NOT NULL,
    version                         INTEGER NOT NULL,
    created_at                      INTEGER NOT NULL,
    updated_at                      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_queue_service_types_branch_id_prefix ON queue_service_types (branch_id, prefix);
CREATE INDEX ix_queue_service_types_required_qualification_type_id ON queue_service_types (required_qualification_type_id);

CREATE TABLE queue_counters (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id            INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    number               INTEGER NOT NULL,
    name                 TEXT    NOT NULL,
    name_en              TEXT    NOT NULL,
    service_type_ids     TEXT    NOT NULL,
    is_priority_counter  INTEGER NOT NULL,
    is_wealth_zone       INTEGER NOT NULL,
    is_active            INTEGER NOT NULL,
    staff_id             INTEGER NULL REFERENCES staff (id) ON DELETE SET NULL,
    staff_since          INTEGER NULL,
    version              INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_queue_counters_branch_id_number ON queue_counters (branch_id, number);
CREATE UNIQUE INDEX ix_queue_counters_staff_id ON queue_counters (staff_id);

CREATE TABLE queue_tickets (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id               INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    service_type_id         INTEGER NOT NULL REFERENCES queue_service_types (id) ON DELETE RESTRICT,
    issued_service_type_id  INTEGER NOT NULL REFERENCES queue_service_types (id) ON DELETE RESTRICT,
    business_date           TEXT    NOT NULL,
    sequence                INTEGER NOT NULL,
    number                  TEXT    NOT NULL,
    priority                TEXT    NOT NULL,
    customer_id             INTEGER NULL REFERENCES customers (id) ON DELETE RESTRICT,
    status                  TEXT    NOT NULL,
    issued_at               INTEGER NOT NULL,
    waiting_since           INTEGER NOT NULL,
    counter_id              INTEGER NULL REFERENCES queue_counters (id) ON DELETE RESTRICT,
    staff_id                INTEGER NULL,
    call_count              INTEGER NOT NULL,
    called_at               INTEGER NULL,
    overtaken_count         INTEGER NOT NULL,
    outcome                 TEXT    NULL,
    ended_at                INTEGER NULL,
    version                 INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_queue_tickets_issued_service_type_id_business_date_sequence ON queue_tickets (issued_service_type_id, business_date, sequence);
CREATE INDEX ix_queue_tickets_branch_id_status_service_type_id ON queue_tickets (branch_id, status, service_type_id);
CREATE INDEX ix_queue_tickets_service_type_id ON queue_tickets (service_type_id);
CREATE INDEX ix_queue_tickets_counter_id ON queue_tickets (counter_id);
CREATE INDEX ix_queue_tickets_customer_id ON queue_tickets (customer_id);

CREATE TABLE queue_ticket_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id        INTEGER NOT NULL REFERENCES queue_tickets (id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL,
    at               INTEGER NOT NULL,
    counter_id       INTEGER NULL,
    staff_id         INTEGER NULL,
    service_type_id  INTEGER NOT NULL,
    outcome          TEXT    NULL
);
CREATE INDEX ix_queue_ticket_events_ticket_id_at ON queue_ticket_events (ticket_id, at);

CREATE TABLE queue_day_sequences (
    service_type_id  INTEGER NOT NULL REFERENCES queue_service_types (id) ON DELETE CASCADE,
    business_date    TEXT    NOT NULL,
    last_sequence    INTEGER NOT NULL,
    PRIMARY KEY (service_type_id, business_date)
);

CREATE TABLE queue_branch_states (
    branch_id      INTEGER NOT NULL PRIMARY KEY REFERENCES branches (id) ON DELETE CASCADE,
    call_sequence  INTEGER NOT NULL
);
