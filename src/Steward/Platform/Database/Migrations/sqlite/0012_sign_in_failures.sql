-- Issue 9: failed sign-ins under a name that has no active account (see the PostgreSQL script of the same number).
CREATE TABLE sign_in_failures (
    name_key         TEXT     NOT NULL PRIMARY KEY,
    failed_sign_ins  INTEGER  NOT NULL,
    locked_until     INTEGER  NULL
);
