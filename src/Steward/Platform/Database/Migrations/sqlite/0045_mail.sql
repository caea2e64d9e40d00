-- Issue 17, e-mail in and out (decision 0053): mailboxes of branches and teams (IMAP to read, SMTP to send; passwords encrypted
-- with the personal-data key ring), every message read recorded once per (mailbox, UIDVALIDITY, UID) in the transaction that
-- acts on it, addresses that bounced, and on the outbox what an e-mail needs to thread: its case, its Message-ID, what it answers.
CREATE TABLE mailboxes (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    address               TEXT    NOT NULL,
    display_name          TEXT    NOT NULL,
    branch_id             INTEGER NOT NULL REFERENCES branches (id) ON DELETE RESTRICT,
    team_id               INTEGER NULL REFERENCES teams (id) ON DELETE RESTRICT,
    imap_host             TEXT    NOT NULL,
    imap_port             INTEGER NOT NULL,
    imap_security         TEXT    NOT NULL,
    imap_user             TEXT    NOT NULL,
    imap_password_cipher  TEXT    NOT NULL,
    folder                TEXT    NOT NULL,
    smtp_host             TEXT    NOT NULL,
    smtp_port             INTEGER NOT NULL,
    smtp_security         TEXT    NOT NULL,
    smtp_user             TEXT    NOT NULL,
    smtp_password_cipher  TEXT    NULL,
    enabled               INTEGER NOT NULL,
    last_poll_at          INTEGER NULL,
    last_poll_status      TEXT    NULL,
    last_poll_error       TEXT    NULL,
    created_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_mailboxes_address ON mailboxes (address);
CREATE INDEX ix_mailboxes_branch_id ON mailboxes (branch_id);
CREATE INDEX ix_mailboxes_team_id ON mailboxes (team_id);

CREATE TABLE mail_inbound (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox_id       INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid_validity     INTEGER NOT NULL,
    uid              INTEGER NOT NULL,
    message_id       TEXT    NULL,
    outcome          TEXT    NOT NULL,
    case_id          INTEGER NULL REFERENCES cases (id) ON DELETE SET NULL,
    case_message_id  INTEGER NULL,
    sender_cipher    TEXT    NULL,
    sender_index     TEXT    NULL,
    subject          TEXT    NULL,
    html_body        TEXT    NULL,
    reason           TEXT    NULL,
    size             INTEGER NOT NULL,
    received_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_mail_inbound_mailbox_id_uid_validity_uid ON mail_inbound (mailbox_id, uid_validity, uid);
CREATE INDEX ix_mail_inbound_message_id ON mail_inbound (message_id);
CREATE INDEX ix_mail_inbound_case_id ON mail_inbound (case_id);

CREATE TABLE mail_bounced_addresses (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    address_index     TEXT    NOT NULL,
    address_cipher    TEXT    NOT NULL,
    bounces           INTEGER NOT NULL,
    first_bounced_at  INTEGER NOT NULL,
    last_bounced_at   INTEGER NOT NULL,
    last_reason       TEXT    NULL
);
CREATE UNIQUE INDEX ix_mail_bounced_addresses_address_index ON mail_bounced_addresses (address_index);

ALTER TABLE outbox_messages ADD COLUMN case_id INTEGER NULL;
ALTER TABLE outbox_messages ADD COLUMN message_id TEXT NULL;
ALTER TABLE outbox_messages ADD COLUMN in_reply_to TEXT NULL;
ALTER TABLE outbox_messages ADD COLUMN "references" TEXT NULL;
ALTER TABLE outbox_messages ADD COLUMN auto_submitted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_outbox_messages_message_id ON outbox_messages (message_id);
