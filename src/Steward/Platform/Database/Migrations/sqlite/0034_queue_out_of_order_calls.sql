-- Issue 14 (decision 0044): a ticket called before its turn, with the reason the counter gave; an audited row.
CREATE TABLE queue_out_of_order_calls (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id        INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    ticket_id        INTEGER NOT NULL REFERENCES queue_tickets (id) ON DELETE CASCADE,
    counter_id       INTEGER NOT NULL REFERENCES queue_counters (id) ON DELETE RESTRICT,
    staff_id         INTEGER NOT NULL,
    at               INTEGER NOT NULL,
    reason           TEXT    NOT NULL,
    next_in_order    TEXT    NULL,
    passed_over      INTEGER NOT NULL
);
CREATE INDEX ix_queue_out_of_order_calls_ticket_id ON queue_out_of_order_calls (ticket_id);
CREATE INDEX ix_queue_out_of_order_calls_branch_id_at ON queue_out_of_order_calls (branch_id, at);
CREATE INDEX ix_queue_out_of_order_calls_counter_id ON queue_out_of_order_calls (counter_id);
