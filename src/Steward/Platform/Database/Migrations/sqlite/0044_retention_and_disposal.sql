-- Issue 18, retention and disposal (decision 0052): retention rules per record class as data (period, the event that starts
-- it, the legal basis, the legal minimum set here and not editable in Steward), holds that suspend disposal, the disposition
-- review of records past retention (one row per record, with the tombstone once disposed of), the daily job's lease, and the
-- day a customer's relationship ended (which starts the AML period).
ALTER TABLE customers ADD COLUMN relationship_ended_on TEXT NULL;
CREATE INDEX ix_customers_relationship_ended_on ON customers (relationship_ended_on);

CREATE TABLE retention_rules (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    record_class   TEXT    NOT NULL,
    trigger_event  TEXT    NOT NULL,
    period_months  INTEGER NOT NULL,
    minimum_months INTEGER NOT NULL,
    legal_basis    TEXT    NOT NULL,
    legal_basis_en TEXT    NOT NULL,
    disposition    TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_retention_rules_record_class ON retention_rules (record_class);

CREATE TABLE retention_holds (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_type   TEXT    NOT NULL,
    subject_id     INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    placed_by_id   INTEGER NULL,
    placed_at      INTEGER NOT NULL,
    released_by_id INTEGER NULL,
    released_at    INTEGER NULL,
    release_reason TEXT    NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX ix_retention_holds_subject_type_subject_id ON retention_holds (subject_type, subject_id);

CREATE TABLE disposition_reviews (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    record_class     TEXT    NOT NULL,
    record_id        INTEGER NOT NULL,
    record_reference TEXT    NOT NULL,
    branch_id        INTEGER NULL,
    due_on           TEXT    NOT NULL,
    found_at         INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    decided_by_id    INTEGER NULL,
    decided_at       INTEGER NULL,
    reason           TEXT    NULL,
    deferred_until   TEXT    NULL,
    salt             TEXT    NULL,
    content_digest   TEXT    NULL,
    tombstone        TEXT    NULL,
    version          INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_disposition_reviews_record_class_record_id ON disposition_reviews (record_class, record_id);
CREATE INDEX ix_disposition_reviews_status ON disposition_reviews (status);

CREATE TABLE periodic_job_claims (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    job        TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    node       TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_periodic_job_claims_job_day ON periodic_job_claims (job, day);

-- The default rules (compliance may lengthen a period, never go below minimum_months).
INSERT INTO retention_rules (record_class, trigger_event, period_months, minimum_months, legal_basis, legal_basis_en, disposition, version, created_at, updated_at) VALUES
    ('CustomerFile', 'RelationshipClosed', 60, 60, '《金融机构客户尽职调查和客户身份资料及交易记录保存管理办法》（中国人民银行 国家金融监督管理总局 中国证监会令〔2022〕第1号）第四十四至四十六条：客户身份资料自业务关系结束后至少保存 5 年；期满后依《个人信息保护法》第十九条不再保留，匿名化（统计保留）。', 'PBoC/NFRA/CSRC Order [2022] No. 1 on customer due diligence and record keeping, Arts. 44–46: customer identity data kept at least 5 years after the business relationship ends; afterwards not kept (PIPL Art. 19), anonymised so statistics survive.', 'Anonymise', 1, 639316800000000000, 639316800000000000),
    ('TransactionRecord', 'Booked', 60, 60, '《金融机构客户尽职调查和客户身份资料及交易记录保存管理办法》（2022年第1号令）第四十四至四十六条：交易记录自交易记账之日起至少保存 5 年。', 'Order [2022] No. 1, Arts. 44–46: transaction records kept at least 5 years from booking.', 'Delete', 1, 639316800000000000, 639316800000000000),
    ('Case', 'CaseClosed', 36, 0, '《个人信息保护法》第十九条：保存期限应当为实现处理目的所必要的最短时间；机构制度：结案后 3 年（涉及投诉的案件另按投诉规则并受持有约束）。', 'PIPL Art. 19: kept for the shortest time the purpose needs; institution policy: 3 years after the case closes (cases with a complaint follow the complaint rule and its holds).', 'Anonymise', 1, 639316800000000000, 639316800000000000),
    ('Complaint', 'ComplaintClosed', 60, 0, '《银行业保险业消费投诉处理管理办法》（2020）要求建立投诉档案；《个人信息保护法》第十九条最短必要；机构制度：投诉归档后 5 年。', 'CBIRC consumer complaint handling measures (2020): complaint files kept; PIPL Art. 19 shortest necessary; institution policy: 5 years after the complaint is archived.', 'Anonymise', 1, 639316800000000000, 639316800000000000),
    ('SuitabilityDecision', 'ProductMatured', 60, 0, '《个人信息保护法》第十九条最短必要；机构制度：适当性记录保存至产品到期后 5 年（销售纠纷的举证期）。', 'PIPL Art. 19 shortest necessary; institution policy: suitability records kept 5 years after the product matures (evidence for sales disputes).', 'Anonymise', 1, 639316800000000000, 639316800000000000),
    ('RecordingReference', 'ProductMatured', 6, 6, '《银行业金融机构销售专区录音录像管理暂行规定》（2017）：录音录像至少保存至产品终止后 6 个月，发生纠纷的保存至纠纷解决（投诉自动持有）。', 'Recorded sales rules for banks (2017): recordings kept at least 6 months after the product ends, and until any dispute is closed (an open complaint holds them).', 'Delete', 1, 639316800000000000, 639316800000000000),
    ('QueueVisit', 'Created', 12, 0, '《个人信息保护法》第十九条：保存期限应当为实现处理目的所必要的最短时间；机构制度：取号记录 1 年。', 'PIPL Art. 19: kept for the shortest time the purpose needs; institution policy: queue visits 1 year.', 'Delete', 1, 639316800000000000, 639316800000000000),
    ('SurveyResponse', 'Created', 24, 0, '《个人信息保护法》第十九条最短必要；机构制度：满意度回复 2 年后匿名化（统计保留）。', 'PIPL Art. 19 shortest necessary; institution policy: survey responses anonymised after 2 years (statistics survive).', 'Anonymise', 1, 639316800000000000, 639316800000000000),
    ('AuditEntry', 'Created', 120, 6, '《网络安全法》第二十一条：网络日志留存不少于六个月；审计链不可删改（删除会破坏链），在 Steward 内不处置，仅归档。', 'Cybersecurity Law Art. 21: logs kept at least six months; the audit chain is never disposed of in Steward (removing entries would break it), only archived.', 'Keep', 1, 639316800000000000, 639316800000000000);
