-- Issue 14, second slice (decision 0044): the waiting-time estimate made when a ticket is issued (its accuracy is measured
-- against the wait the events record), and the unguessable token of the ticket's public virtual-ticket page.
ALTER TABLE queue_tickets ADD COLUMN estimated_wait_minutes INTEGER NULL;
ALTER TABLE queue_tickets ADD COLUMN public_token TEXT NULL;
CREATE UNIQUE INDEX ix_queue_tickets_public_token ON queue_tickets (public_token);
