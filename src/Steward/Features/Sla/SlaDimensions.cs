using Steward.Features.Customers;

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
