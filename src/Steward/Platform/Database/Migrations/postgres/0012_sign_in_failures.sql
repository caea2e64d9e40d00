-- Issue 9: failed sign-ins under a name that has no active account (unknown or disabled) are counted and
-- locked like a real account's, so that the answers do not tell which usernames exist. The name is kept only
-- as a keyed hash (HMAC-SHA256, hex). See docs/decisions/0004-sign-in-and-tokens.md.
CREATE TABLE sign_in_failures (
    name_key         varchar(64)  PRIMARY KEY,
    failed_sign_ins  integer      NOT NULL,
    locked_until     timestamptz  NULL
);
