using System.Numerics;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla;

/// <summary>The case a target is looked up for. A null dimension is unknown and matches only wildcard rules.</summary>
public sealed record CaseCriteria(string? CaseKind, string? Priority, string? CustomerTier, string? Channel);

/// <summary>Which layer a resolved target comes from.</summary>
public enum SlaLayer
{
    /// <summary>The institution's own standard (internal service targets; every case kind).</summary>
    Institution,

    /// <summary>The regulatory preset in force (complaints only): the regulator's deadline.</summary>
    Regulatory,
}

/// <summary>Where a resolved target came from: standard, version and rule, and how specific the rule's match was.</summary>
public sealed record RuleSource(
    long StandardId,
    string StandardCode,
    long StandardVersionId,
    int VersionNumber,
    DateTimeOffset EffectiveFrom,
    long RuleId,
    string Match,
    int Specificity);

/// <summary>One target that applies to a case.</summary>
public sealed record ResolvedTarget(
    SlaTargetType Type,
    SlaLayer Layer,
    SlaTarget Target,
    IReadOnlyList<decimal> WarningPercents,
    IReadOnlyList<string> PauseReasons,
    int? MaxExtension,
    bool ExtensionNeedsApproval,
    bool ExtensionNoticeToCustomer,
    RuleSource Source);

/// <summary>The targets that apply to a case at an instant.</summary>
public sealed record SlaResolution(CaseCriteria Criteria, DateTimeOffset At, IReadOnlyList<ResolvedTarget> Targets)
{
    /// <summary>The target of one type and layer, or null.</summary>
    public ResolvedTarget? Find(SlaTargetType type, SlaLayer layer = SlaLayer.Institution) =>
        Targets.FirstOrDefault(t => t.Type == type && t.Layer == layer);
}

/// <summary>
/// Picks, per target type, the rule of a standard version that matches a case best. Pure.
/// </summary>
/// <remarks>
/// <para><b>Matching.</b> A rule matches when every dimension it names (case kind, priority, customer tier, channel)
/// equals the case's value; a dimension the rule leaves empty is a wildcard.</para>
/// <para><b>Precedence</b> (most specific wins):</para>
/// <list type="number">
/// <item>the rule naming <i>more</i> dimensions wins (Complaint × Urgent beats Complaint, which beats the catch-all);</item>
/// <item>between rules naming as many dimensions, the one naming the higher-ranked dimension wins, ranked
/// case kind &gt; priority &gt; customer tier &gt; channel (Complaint beats Urgent; Urgent × Gold beats Gold × Phone);</item>
/// <item>two rules with the same dimensions and target type cannot be saved in one version, so no tie is left.</item>
/// </list>
/// <para>Specificity is reported as <c>16 × (number of dimensions) + mask</c> with mask bits kind 8, priority 4,
/// tier 2, channel 1; a higher number wins.</para>
/// </remarks>
public static class StandardResolver
{
    public static int Specificity(SlaRule rule)
    {
        var mask = (rule.CaseKind is null ? 0 : 8) | (rule.Priority is null ? 0 : 4) | (rule.CustomerTier is null ? 0 : 2) | (rule.Channel is null ? 0 : 1);
        return (BitOperations.PopCount((uint)mask) * 16) + mask;
    }

    public static bool Matches(SlaRule rule, CaseCriteria c) =>
        Dimension(rule.CaseKind, c.CaseKind) && Dimension(rule.Priority, c.Priority)
        && Dimension(rule.CustomerTier, c.CustomerTier) && Dimension(rule.Channel, c.Channel);

    /// <summary>The best rule of each target type, in target-type order.</summary>
    public static IReadOnlyList<(SlaRule Rule, int Specificity)> Resolve(IEnumerable<SlaRule> rules, CaseCriteria criteria) =>
        [.. rules.Where(r => Matches(r, criteria))
            .GroupBy(r => r.TargetType)
            .OrderBy(g => g.Key)
            .Select(g => g.Select(r => (Rule: r, Specificity: Specificity(r))).OrderByDescending(x => x.Specificity).ThenBy(x => x.Rule.Id).First())];

    /// <summary>The version in force at <paramref name="at"/>: the latest effective-from not after it (ties: higher number).</summary>
    public static SlaStandardVersion? InForce(IEnumerable<SlaStandardVersion> versions, DateTimeOffset at) =>
        versions.Where(v => v.EffectiveFrom <= at).OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Number).FirstOrDefault();

    /// <summary>"Complaint / * / * / Phone": the rule's dimensions, * for a wildcard.</summary>
    public static string Describe(SlaRule rule) =>
        string.Join(" / ", rule.CaseKind ?? "*", rule.Priority ?? "*", rule.CustomerTier ?? "*", rule.Channel ?? "*");

    private static bool Dimension(string? ruleValue, string? caseValue) =>
        ruleValue is null || string.Equals(ruleValue, caseValue, StringComparison.Ordinal);
}
