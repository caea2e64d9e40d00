-- Issue 13: complaint letter templates as data (decision 0042; SQLite: instants UTC ticks). One row per kind, language and version; a version is never
-- edited (a new one is published), and a letter records the version it was rendered from (kind.language.vN). Version 1 of
-- each is the text Steward shipped in code before (acknowledgment.v1, final-response.v1).
CREATE TABLE complaint_letter_templates (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL,
    language         TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    body             TEXT    NOT NULL,
    note             TEXT    NULL,
    published_by_id  INTEGER NULL REFERENCES staff (id) ON DELETE RESTRICT,
    published_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_complaint_letter_templates_kind_language_version ON complaint_letter_templates (kind, language, version);

INSERT INTO complaint_letter_templates (kind, language, version, body, note, published_at) VALUES
('Acknowledgment', 'zh-CN', 1, '<p class="letter-meta">{{ institution }} · {{ branch }}<br>案件编号：{{ reference }}<br>日期：{{ today }}</p>
<p>尊敬的{{ complainant }}：</p>
<p>我们已于 {{ received_on }} 收到您的投诉，并已登记受理。您反映的情况：</p>
<blockquote>{{ what_happened }}</blockquote>
<p>您的诉求：{{ what_they_want }}</p>
{% if deadline != "" %}<p>我们将在 {{ deadline }} 前作出处理决定并告知您（{{ regime }}）。</p>{% endif %}
<p>如需补充材料或了解进展，请引用上述案件编号与我们联系。</p>
<p>{{ institution }}</p>', 'Shipped text (before templates were editable).', 639028224000000000),
('Acknowledgment', 'en', 1, '<p class="letter-meta">{{ institution }} · {{ branch }}<br>Case reference: {{ reference }}<br>Date: {{ today }}</p>
<p>Dear {{ complainant }},</p>
<p>We received your complaint on {{ received_on }} and have registered it. What you told us:</p>
<blockquote>{{ what_happened }}</blockquote>
<p>What you would like us to do: {{ what_they_want }}</p>
{% if deadline != "" %}<p>We will send you our decision by {{ deadline }} ({{ regime }}).</p>{% endif %}
<p>Please quote the case reference above if you send us more information or ask about progress.</p>
<p>{{ institution }}</p>', 'Shipped text (before templates were editable).', 639028224000000000),
('FinalResponse', 'zh-CN', 1, '<p class="letter-meta">{{ institution }} · {{ branch }}<br>案件编号：{{ reference }}<br>日期：{{ today }}</p>
<p>尊敬的{{ complainant }}：</p>
<p>关于您于 {{ received_on }} 提出的投诉，我们已完成调查，处理决定如下。</p>
<p>处理结论：<strong>{{ outcome }}</strong></p>
<p>原因：{{ root_cause }}</p>
{% if remedies != "" %}<p>补救措施：{{ remedies }}</p>{% endif %}
{% if regime_code == "UK-FCA-DISP" %}<p>如您对本答复不满意，您有权自本答复之日起六个月内将投诉提交英国金融申诉专员服务机构（Financial Ombudsman Service）。</p>
{% else %}<p>如您对本处理决定有异议，可以自收到本决定之日起 30 日内向本机构上一级机构申请核查；您也可以向银行业保险业消费纠纷调解组织申请调解（金融纠纷调解），或向金融监管部门反映。</p>{% endif %}
<p>{{ institution }}</p>', 'Shipped text (before templates were editable).', 639028224000000000),
('FinalResponse', 'en', 1, '<p class="letter-meta">{{ institution }} · {{ branch }}<br>Case reference: {{ reference }}<br>Date: {{ today }}</p>
<p>Dear {{ complainant }},</p>
<p>We have finished looking into the complaint you made on {{ received_on }}. This is our final response.</p>
<p>Our decision: <strong>{{ outcome }}</strong></p>
<p>Why: {{ root_cause }}</p>
{% if remedies != "" %}<p>What we will do: {{ remedies }}</p>{% endif %}
{% if regime_code == "UK-FCA-DISP" %}<p>If you are not happy with this final response, you have the right to refer your complaint to the Financial Ombudsman Service within six months of the date of this letter.</p>
{% else %}<p>If you disagree with this decision, you may ask our higher office to review it within 30 days of receiving it; you may also apply for mediation to a banking and insurance consumer dispute mediation organisation, or contact the financial regulator.</p>{% endif %}
<p>{{ institution }}</p>', 'Shipped text (before templates were editable).', 639028224000000000);
