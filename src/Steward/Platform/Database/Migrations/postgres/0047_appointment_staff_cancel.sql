-- Counter staff cancel a booking for the customer (who telephoned, or whose visit the branch cannot take): who did it and
-- why are kept with the booking, and the customer is told the reason. A customer's own cancellation leaves both null.
ALTER TABLE queue_appointments ADD COLUMN cancelled_by_staff_id bigint NULL;
ALTER TABLE queue_appointments ADD COLUMN cancel_reason varchar(500) NULL;
