-- Issue 13: complaints. One complaint record per case (the case keeps its lifecycle and SLA clocks); classification as
-- versioned data (nature from the seeds; JR/T 0169-2018 A channel / B business type / C cause; FCA DISP product group);
-- recodings with their reason; the decision that a case is not a complaint; recusal overrides.
CREATE TABLE complaint_taxonomies (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    number        INTEGER NOT NULL,
    published_on  TEXT    NOT NULL,
    citation      TEXT    NOT NULL
);
CREATE UNIQUE INDEX ix_complaint_taxonomies_number ON complaint_taxonomies (number);

CREATE TABLE complaint_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    taxonomy_id  INTEGER NOT NULL REFERENCES complaint_taxonomies (id) ON DELETE CASCADE,
    code_set     TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    name_en      TEXT    NOT NULL
);
CREATE UNIQUE INDEX ix_complaint_codes_taxonomy_id_code_set_code ON complaint_codes (taxonomy_id, code_set, code);

CREATE TABLE complaints (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id              INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    complainant_kind     TEXT    NOT NULL,
    representative_name  TEXT    NULL,
    proof_note           TEXT    NULL,
    what_happened        TEXT    NOT NULL,
    what_they_want       TEXT    NOT NULL,
    amount_in_dispute    TEXT    NULL,
    currency             TEXT    NOT NULL,
    product_id           INTEGER NULL REFERENCES products (id) ON DELETE RESTRICT,
    channel              TEXT    NOT NULL,
    received_at          INTEGER NOT NULL,
    regime               TEXT    NULL,
    regulatory_due_at    INTEGER       NULL,
    taxonomy_id          INTEGER NOT NULL REFERENCES complaint_taxonomies (id) ON DELETE RESTRICT,
    nature               TEXT    NOT NULL,
    jrt_channel          TEXT    NOT NULL,
    jrt_business         TEXT    NOT NULL,
    jrt_cause            TEXT    NOT NULL,
    fca_product_group    TEXT    NULL,
    subject_staff_id     INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT,
    seller_staff_id      INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT,
    root_cause           TEXT    NULL,
    outcome              TEXT    NULL,
    outcome_at           INTEGER NULL,
    outcome_by_id        INTEGER NULL,
    created_by_id        INTEGER NULL,
    version              INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_complaints_case_id ON complaints (case_id);
CREATE INDEX ix_complaints_received_at ON complaints (received_at);
CREATE INDEX ix_complaints_regulatory_due_at ON complaints (regulatory_due_at);
CREATE INDEX ix_complaints_product_id ON complaints (product_id);
CREATE INDEX ix_complaints_taxonomy_id ON complaints (taxonomy_id);
CREATE INDEX ix_complaints_subject_staff_id ON complaints (subject_staff_id);
CREATE INDEX ix_complaints_seller_staff_id ON complaints (seller_staff_id);

CREATE TABLE complaint_remedies (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id     INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL,
    amount           TEXT    NULL,
    currency         TEXT    NOT NULL,
    note             TEXT    NULL,
    status           TEXT    NOT NULL,
    approver_level   TEXT    NOT NULL,
    proposed_by_id   INTEGER NULL,
    proposed_at      INTEGER NOT NULL,
    approved_by_id   INTEGER NULL,
    approved_at      INTEGER NULL,
    version          INTEGER NOT NULL
);
CREATE INDEX ix_complaint_remedies_complaint_id ON complaint_remedies (complaint_id);

CREATE TABLE complaint_letters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id    INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    kind            TEXT    NOT NULL,
    language        TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    number          INTEGER NOT NULL,
    body            TEXT    NOT NULL,
    created_by_id   INTEGER NULL,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_complaint_letters_complaint_id_kind_language_number ON complaint_letters (complaint_id, kind, language, number);
CREATE INDEX ix_complaint_letters_case_id ON complaint_letters (case_id);

CREATE TABLE complaint_recodings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id   INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    from_codes     TEXT    NOT NULL,
    to_codes       TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    recoded_by_id  INTEGER NULL,
    recoded_at     INTEGER NOT NULL
);
CREATE INDEX ix_complaint_recodings_complaint_id ON complaint_recodings (complaint_id);

CREATE TABLE complaint_dismissals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    reason         TEXT    NOT NULL,
    decided_by_id  INTEGER NULL,
    decided_at     INTEGER NOT NULL
);
CREATE INDEX ix_complaint_dismissals_case_id ON complaint_dismissals (case_id);

CREATE TABLE complaint_recusal_overrides (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id       INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    staff_id           INTEGER NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    ground             TEXT    NOT NULL,
    reason             TEXT    NOT NULL,
    overridden_by_id   INTEGER NULL,
    overridden_at      INTEGER NOT NULL
);
CREATE INDEX ix_complaint_recusal_overrides_complaint_id ON complaint_recusal_overrides (complaint_id);
CREATE INDEX ix_complaint_recusal_overrides_staff_id ON complaint_recusal_overrides (staff_id);

-- Taxonomy version 1, shipped as data (administrators publish later versions; a complaint keeps the version it was coded in).
-- JR/T 0169-2018 《金融消费者投诉统计分类及编码 银行业金融机构》 (PBC, 2018-09-04): A = channel of the business complained
-- about, B = business type, C = cause; "other" is 99 in a two-digit class and 9 in a one-digit sub-class (A039). Nature from the seeds
-- (003 §5.2: 产品 / 服务 / 流程 / 政策). FCA DISP 1 Annex 1 (complaints return) product groups.
INSERT INTO complaint_taxonomies (number, published_on, citation) VALUES (1, '2026-01-01',
    'JR/T 0169-2018 金融消费者投诉统计分类及编码 银行业金融机构 (A 渠道 / B 业务类别 / C 原因; 其他 = 99/9); 种子文件 003 §5.2 (产品/服务/流程/政策); FCA DISP 1 Annex 1 product groups');
INSERT INTO complaint_codes (taxonomy_id, code_set, code, name, name_en)
SELECT t.id, v.column1, v.column2, v.column3, v.column4 FROM complaint_taxonomies t CROSS JOIN (VALUES
    ('Nature', 'PRODUCT', '产品', 'Product'),
    ('Nature', 'SERVICE', '服务', 'Service'),
    ('Nature', 'PROCESS', '流程', 'Process'),
    ('Nature', 'POLICY', '政策', 'Policy'),
    ('JrtChannel', 'A01', '营业现场', 'On the premises'),
    ('JrtChannel', 'A02', '自助机具', 'Self-service machines'),
    ('JrtChannel', 'A031', '电子渠道 — 网上银行', 'Electronic — online banking'),
    ('JrtChannel', 'A032', '电子渠道 — 电话银行', 'Electronic — telephone banking'),
    ('JrtChannel', 'A033', '电子渠道 — 移动客户端', 'Electronic — mobile app'),
    ('JrtChannel', 'A034', '电子渠道 — 网络公众平台', 'Electronic — social and public platforms'),
    ('JrtChannel', 'A035', '电子渠道 — 短信', 'Electronic — SMS'),
    ('JrtChannel', 'A039', '电子渠道 — 其他', 'Electronic — other'),
    ('JrtChannel', 'A04', '第三方渠道', 'Third-party channel'),
    ('JrtChannel', 'A05', '中、后台业务渠道', 'Middle and back office'),
    ('JrtChannel', 'A99', '其他渠道', 'Other channel'),
    ('JrtBusiness', 'B01', '人民币储蓄', 'RMB savings'),
    ('JrtBusiness', 'B02', '贷款', 'Loans'),
    ('JrtBusiness', 'B03', '银行卡', 'Bank cards'),
    ('JrtBusiness', 'B04', '支付结算', 'Payment and settlement'),
    ('JrtBusiness', 'B05', '人民币管理', 'RMB currency management'),
    ('JrtBusiness', 'B06', '个人金融信息', 'Personal financial information'),
    ('JrtBusiness', 'B99', '其他业务', 'Other business'),
    ('JrtCause', 'C01', '服务态度及服务质量', 'Service attitude and quality'),
    ('JrtCause', 'C02', '服务设施、设备、业务系统', 'Facilities, equipment and systems'),
    ('JrtCause', 'C03', '管理制度、业务规则与流程', 'Rules, business rules and processes'),
    ('JrtCause', 'C04', '营销方式和手段', 'Marketing methods'),
    ('JrtCause', 'C05', '信息披露', 'Disclosure'),
    ('JrtCause', 'C06', '产品收益', 'Product returns'),
    ('JrtCause', 'C07', '自主选择权', 'Freedom of choice'),
    ('JrtCause', 'C08', '合同条款', 'Contract terms'),
    ('JrtCause', 'C09', '消费者资金安全', 'Safety of customer funds'),
    ('JrtCause', 'C10', '消费者信息安全', 'Security of customer information'),
    ('JrtCause', 'C11', '定价收费', 'Pricing and charges'),
    ('JrtCause', 'C12', '债务催收', 'Debt collection'),
    ('JrtCause', 'C99', '其他原因', 'Other cause'),
    ('FcaProductGroup', 'BANKING', '银行与信用卡', 'Banking and credit cards'),
    ('FcaProductGroup', 'HOME', '住房融资', 'Home finance'),
    ('FcaProductGroup', 'INSURANCE', '保险与纯保障', 'Insurance and pure protection'),
    ('FcaProductGroup', 'PENSIONS', '养老金与退休收入', 'Decumulation and pensions'),
    ('FcaProductGroup', 'INVESTMENTS', '投资', 'Investments')
) v WHERE t.number = 1;
