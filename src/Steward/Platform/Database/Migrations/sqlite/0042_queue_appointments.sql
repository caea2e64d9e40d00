-- Issue 14 (decision 0050): appointments. Slots are computed from the branch calendar, not stored; a booking is a row.
-- A service type may set its own slot length and places per slot (null: the Queues options' defaults).
ALTER TABLE queue_service_types ADD COLUMN appointment_slot_minutes INTEGER NULL;
ALTER TABLE queue_service_types ADD COLUMN appointment_capacity INTEGER NULL;

CREATE TABLE queue_appointments (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id           INTEGER       NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    service_type_id     INTEGER       NOT NULL REFERENCES queue_service_types (id) ON DELETE RESTRICT,
    reference           TEXT  NOT NULL,
    token_hash          TEXT  NOT NULL,
    customer_name       TEXT NOT NULL,
    phone_cipher        TEXT NULL,
    phone_index         TEXT  NULL,
    customer_id         INTEGER       NULL REFERENCES customers (id) ON DELETE RESTRICT,
    language            TEXT  NOT NULL,
    business_date       TEXT         NOT NULL,
    slot_start          INTEGER  NOT NULL,
    slot_end            INTEGER  NOT NULL,
    status              TEXT  NOT NULL,
    booked_by_staff_id  INTEGER       NULL,
    reminder_sent_at    INTEGER  NULL,
    checked_in_at       INTEGER  NULL,
    cancelled_at        INTEGER  NULL,
    no_show_at          INTEGER  NULL,
    ticket_id           INTEGER       NULL REFERENCES queue_tickets (id) ON DELETE SET NULL,
    version             INTEGER      NOT NULL,
    created_at          INTEGER  NOT NULL,
    updated_at          INTEGER  NOT NULL
);
CREATE UNIQUE INDEX ix_queue_appointments_reference ON queue_appointments (reference);
CREATE UNIQUE INDEX ix_queue_appointments_token_hash ON queue_appointments (token_hash);
CREATE INDEX ix_queue_appointments_service_type_id_slot_start ON queue_appointments (service_type_id, slot_start);
CREATE INDEX ix_queue_appointments_branch_id_business_date ON queue_appointments (branch_id, business_date);
CREATE INDEX ix_queue_appointments_status_slot_start ON queue_appointments (status, slot_start);
CREATE INDEX ix_queue_appointments_phone_index ON queue_appointments (phone_index);
CREATE INDEX ix_queue_appointments_customer_id ON queue_appointments (customer_id);
CREATE INDEX ix_queue_appointments_ticket_id ON queue_appointments (ticket_id);

-- One row per slot that has been booked (its start in Unix seconds): a booking takes this row's lock (an upsert) before it counts the places, so two
-- bookings racing for the last place are one at a time on both databases.
CREATE TABLE queue_appointment_slot_locks (
    service_type_id  INTEGER      NOT NULL REFERENCES queue_service_types (id) ON DELETE CASCADE,
    slot_unix        INTEGER     NOT NULL,
    bookings         INTEGER     NOT NULL,
    PRIMARY KEY (service_type_id, slot_unix)
);

-- The ticket an appointment became at check-in.
ALTER TABLE queue_tickets ADD COLUMN appointment_id INTEGER NULL;
CREATE INDEX ix_queue_tickets_appointment_id ON queue_tickets (appointment_id);
