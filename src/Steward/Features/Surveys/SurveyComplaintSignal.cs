namespace Steward.Features.Surveys;

/// <summary>
/// Whether a free-text answer meets the complaint definition of 《银行业保险业消费投诉处理管理办法》（2020）第二条: the consumer has
/// a dispute with the bank about a product or service <em>and asserts a claim</em> (主张其民事权益). Read as: the text names a
/// complaint outright (投诉, 举报, 12378, complain …), or it states dissatisfaction together with a claim (退款, 赔偿, 要求 …,
/// refund, compensation …). A heuristic that errs toward offering the intake: a person decides (decision 0054).
/// </summary>
public static class SurveyComplaintSignal
{
    private static readonly string[] Explicit = ["投诉", "举报", "12378", "监管部门", "银保监", "金融监管局", "complain", "ombudsman", "regulator"];

    private static readonly string[] Dissatisfied =
    [
        "不满", "太差", "很差", "差劲", "态度恶劣", "态度差", "乱收费", "多扣", "扣错", "误导", "欺骗", "被骗", "没人管", "不解决", "推诿", "失望", "生气",
        "unacceptable", "rude", "misled", "overcharged", "wrong fee", "terrible", "awful", "disappointed", "angry",
    ];

    private static readonly string[] Claim =
    [
        "退款", "退还", "退钱", "赔偿", "补偿", "要求", "给个说法", "讨个说法", "讨说法", "必须", "撤销", "追回",
        "refund", "compensat", "reimburse", "demand", "give me back", "want my money",
    ];

    public static bool MeetsComplaintDefinition(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.ToLowerInvariant();
        return Explicit.Any(w => t.Contains(w, StringComparison.Ordinal))
            || (Dissatisfied.Any(w => t.Contains(w, StringComparison.Ordinal)) && Claim.Any(w => t.Contains(w, StringComparison.Ordinal)));
    }
}
