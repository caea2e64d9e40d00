namespace Steward.Features.Complaints;

/// <summary>
/// The letter templates Steward ships (Liquid, rendered by Fluid with HTML encoding of every value). A template's code
/// names its version (<c>acknowledgment.v1</c>); a stored letter records the code it was rendered from, so a later
/// template change never alters a letter already sent. Editable templates are a later step.
/// </summary>
/// <remarks>
/// The final response states the complainant's next steps per regime: under PRC rules (CBIRC 2020 No. 3) a review by the
/// institution's higher office on an objection to the decision, mediation by a banking and insurance consumer dispute
/// mediation organisation (金融纠纷调解) and the regulator; under FCA DISP 1.6.2R(1)(f) and DISP 1 Annex 3R the right to
/// refer to the Financial Ombudsman Service within six months of the final response.
/// </remarks>
public static class ComplaintLetterTemplates
{
    public const string AcknowledgmentCode = "acknowledgment.v1";
    public const string FinalResponseCode = "final-response.v1";

    public static string For(ComplaintLetterKind kind, string language) => (kind, language == "en") switch
    {
        (ComplaintLetterKind.Acknowledgment, false) => AcknowledgmentZh,
        (ComplaintLetterKind.Acknowledgment, true) => AcknowledgmentEn,
        (ComplaintLetterKind.FinalResponse, false) => FinalResponseZh,
        (ComplaintLetterKind.FinalResponse, true) => FinalResponseEn,
    };

    public static string CodeOf(ComplaintLetterKind kind) => kind == ComplaintLetterKind.Acknowledgment ? AcknowledgmentCode : FinalResponseCode;

    private const string AcknowledgmentZh = """
        <p class="letter-meta">{{ institution }} · {{ branch }}<br>案件编号：{{ reference }}<br>日期：{{ today }}</p>
        <p>尊敬的{{ complainant }}：</p>
        <p>我们已于 {{ received_on }} 收到您的投诉，并已登记受理。您反映的情况：</p>
        <blockquote>{{ what_happened }}</blockquote>
        <p>您的诉求：{{ what_they_want }}</p>
        {% if deadline != "" %}<p>我们将在 {{ deadline }} 前作出处理决定并告知您（{{ regime }}）。</p>{% endif %}
        <p>如需补充材料或了解进展，请引用上述案件编号与我们联系。</p>
        <p>{{ institution }}</p>
        """;

    private const string AcknowledgmentEn = """
        <p class="letter-meta">{{ institution }} · {{ branch }}<br>Case reference: {{ reference }}<br>Date: {{ today }}</p>
        <p>Dear {{ complainant }},</p>
        <p>We received your complaint on {{ received_on }} and have registered it. What you told us:</p>
        <blockquote>{{ what_happened }}</blockquote>
        <p>What you would like us to do: {{ what_they_want }}</p>
        {% if deadline != "" %}<p>We will send you our decision by {{ deadline }} ({{ regime }}).</p>{% endif %}
        <p>Please quote the case reference above if you send us more information or ask about progress.</p>
        <p>{{ institution }}</p>
        """;

    private const string FinalResponseZh = """
        <p class="letter-meta">{{ institution }} · {{ branch }}<br>案件编号：{{ reference }}<br>日期：{{ today }}</p>
        <p>尊敬的{{ complainant }}：</p>
        <p>关于您于 {{ received_on }} 提出的投诉，我们已完成调查，处理决定如下。</p>
        <p>处理结论：<strong>{{ outcome }}</strong></p>
        <p>原因：{{ root_cause }}</p>
        {% if remedies != "" %}<p>补救措施：{{ remedies }}</p>{% endif %}
        {% if regime_code == "UK-FCA-DISP" %}<p>如您对本答复不满意，您有权自本答复之日起六个月内将投诉提交英国金融申诉专员服务机构（Financial Ombudsman Service）。</p>
        {% else %}<p>如您对本处理决定有异议，可以自收到本决定之日起 30 日内向本机构上一级机构申请核查；您也可以向银行业保险业消费纠纷调解组织申请调解（金融纠纷调解），或向金融监管部门反映。</p>{% endif %}
        <p>{{ institution }}</p>
        """;

    private const string FinalResponseEn = """
        <p class="letter-meta">{{ institution }} · {{ branch }}<br>Case reference: {{ reference }}<br>Date: {{ today }}</p>
        <p>Dear {{ complainant }},</p>
        <p>We have finished looking into the complaint you made on {{ received_on }}. This is our final response.</p>
        <p>Our decision: <strong>{{ outcome }}</strong></p>
        <p>Why: {{ root_cause }}</p>
        {% if remedies != "" %}<p>What we will do: {{ remedies }}</p>{% endif %}
        {% if regime_code == "UK-FCA-DISP" %}<p>If you are not happy with this final response, you have the right to refer your complaint to the Financial Ombudsman Service within six months of the date of this letter.</p>
        {% else %}<p>If you disagree with this decision, you may ask our higher office to review it within 30 days of receiving it; you may also apply for mediation to a banking and insurance consumer dispute mediation organisation, or contact the financial regulator.</p>{% endif %}
        <p>{{ institution }}</p>
        """;
}
