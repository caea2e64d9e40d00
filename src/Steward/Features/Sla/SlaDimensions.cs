using Steward.Features.Customers;
using Steward.Features.Sla.Clocks;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla;

/// <summary>What a target measures.</summary>
public enum SlaTargetType
{
    /// <summary>From receipt to the first reply to the customer.</summary>
    FirstResponse,

    /// <summary>From a customer's message to the next reply.</summary>
    NextResponse,

    /// <summary>From receipt to an improvement / handling plan (003 §2.2.3 "72 小时内提出改进方案").</summary>
    Plan,

    /// <summary>From receipt to the decision / resolution communicated to the customer.</summary>
    Resolution,
}

/// <summary>
/// The case dimensions a rule can match, as strings. The cases feature defines them as enums with these exact
/// names; SLA stores strings and validates against these lists so that it does not depend on that feature.
/// </summary>
public static class SlaDimensions
{
    public static readonly IReadOnlyList<string> CaseKinds = ["Consultation", "BusinessHandling", "Complaint", "Suggestion", "Praise"];

    public static readonly IReadOnlyList<string> Channels = ["Counter", "Phone", "Email", "WebForm", "MobileApp", "OnlineChat", "Letter"];

    public static readonly IReadOnlyList<string> Priorities = ["Low", "Normal", "High", "Urgent"];

    public static readonly IReadOnlyList<string> CustomerTiers = Enum.GetNames<CustomerTier>();

    public const string Complaint = "Complaint";

    /// <summary>
    /// The resource key that names <paramref name="value"/> of a dimension (<c>CaseKind</c>, <c>Priority</c>,
    /// <c>CustomerTier</c>, <c>Channel</c>, or the query names <c>kind</c>, <c>priority</c>, <c>tier</c>, <c>channel</c>)
    /// in the reader's language: <c>case.kind.Complaint</c>, <c>customer.tier.Gold</c>.
    /// </summary>
    public static string LabelKey(string dimension, string value) => dimension.ToLowerInvariant() switch
    {
        "casekind" or "kind" => "case.kind." + value,
        "priority" => "case.priority." + value,
        "customertier" or "tier" => "customer.tier." + value,
        "channel" => "case.channel." + value,
        _ => value,
    };

    /// <summary>
    /// A rule's match as <see cref="StandardResolver.Describe"/> writes it ("Complaint / * / Gold / *") in the reader's
    /// words; <paramref name="text"/> gives a string-table key's text in their language, or null. The audit log reads
    /// stored matches the same way (<see cref="SlaClock.RuleMatch"/>).
    /// </summary>
    public static string MatchText(string match, Func<string, string?> text) => RuleMatchValues.Translate(match, text);

    /// <summary><see cref="MatchText"/> in <paramref name="language"/> (zh-CN / en) from the string tables.</summary>
    public static string MatchText(string match, string language) =>
        MatchText(match, key => ExplanationText.Text(language, key) is var t && t != key ? t : null);

    private static readonly Platform.Audit.AuditValuesAttribute RuleMatchValues = new("case.kind.", "case.priority.", "customer.tier.", "case.channel.") { Separator = " / " };

    /// <summary>The known value with the same spelling ignoring case, or null.</summary>
    public static string? Normalize(IReadOnlyList<string> allowed, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Why a clock may be paused; each rule lists the reasons that stop its clock.</summary>
public static class SlaPauseReasons
{
    /// <summary>Waiting for the customer (information, documents, a decision).</summary>
    public const string WaitingOnCustomer = "WaitingOnCustomer";

    /// <summary>Waiting for a third party (another institution, a merchant, a card scheme).</summary>
    public const string WaitingOnThirdParty = "WaitingOnThirdParty";

    /// <summary>External appraisal, testing or assessment (PRC: 鉴定、检测、评估, not counted in the handling period).</summary>
    public const string ExternalAppraisal = "ExternalAppraisal";

    public static readonly IReadOnlyList<string> All = [WaitingOnCustomer, WaitingOnThirdParty, ExternalAppraisal];

    public static IReadOnlyList<string> Parse(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? [] : [.. stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static string Format(IEnumerable<string> reasons) => string.Join(',', reasons.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
