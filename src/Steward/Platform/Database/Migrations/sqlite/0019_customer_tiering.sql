-- Issue 12 (tiering): the tier rules as data (one rule set: version, grace period before a downgrade, per tier the minimum
-- assets under management in CNY, products held and tenure in months, null = not required), each customer's standing
-- (below their tier since) and every tier change with its figures. See docs/decisions/0029-customer-tiering.md.
-- The default thresholds are illustrative of Chinese retail banking practice (seed 003 §3 客户分层 describes tiering by
-- life-cycle stage and gives no figures; 私人银行 from 600万 CNY of financial assets is a common entry level): an
-- institution sets its own on /Tiering/Rules.

CREATE TABLE customer_tier_rule_sets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    grace_days  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE customer_tier_thresholds (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_set_id        INTEGER NOT NULL REFERENCES customer_tier_rule_sets (id) ON DELETE CASCADE,
    tier               TEXT    NOT NULL,
    min_aum            TEXT    NOT NULL,
    min_products       INTEGER NULL,
    min_tenure_months  INTEGER NULL
);
CREATE UNIQUE INDEX ix_customer_tier_thresholds_rule_set_id_tier ON customer_tier_thresholds (rule_set_id, tier);

CREATE TABLE customer_tier_standings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    below_since  INTEGER NULL,
    reviewed_at  INTEGER NOT NULL,
    version      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_customer_tier_standings_customer_id ON customer_tier_standings (customer_id);

CREATE TABLE customer_tier_changes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    from_tier         TEXT    NOT NULL,
    to_tier           TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    aum               TEXT    NOT NULL,
    products_held     INTEGER NOT NULL,
    tenure_months     INTEGER NOT NULL,
    threshold_aum     TEXT    NOT NULL,
    rule_set_version  INTEGER NOT NULL,
    below_since       INTEGER NULL,
    changed_at        INTEGER NOT NULL
);
CREATE INDEX ix_customer_tier_changes_customer_id_changed_at ON customer_tier_changes (customer_id, changed_at);

-- Silver 5万, Gold 50万 and two products, Platinum 200万 and three, Private banking 600万 and three; 90 days' grace.
INSERT INTO customer_tier_rule_sets (id, grace_days, version, created_at, updated_at) VALUES (1, 90, 1, 639316800000000000, 639316800000000000);
INSERT INTO customer_tier_thresholds (rule_set_id, tier, min_aum, min_products, min_tenure_months) VALUES
    (1, 'Silver', '50000', 1, NULL),
    (1, 'Gold', '500000', 2, NULL),
    (1, 'Platinum', '2000000', 3, NULL),
    (1, 'Private', '6000000', 3, NULL);
