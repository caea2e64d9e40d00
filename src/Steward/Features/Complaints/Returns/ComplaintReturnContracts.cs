namespace Steward.Features.Complaints.Returns;

/// <summary>The regulatory returns Steward produces from the complaint records.</summary>
public enum ComplaintReturnRegime
{
    /// <summary>The PRC statistics (JR/T 0169-2018 codes, CBIRC 2020 No. 3 timeliness).</summary>
    Prc,

    /// <summary>The FCA complaints return (DISP 1.10, DISP 1 Annex 1R).</summary>
    Fca,

    /// <summary>A CFPB-style extract: one row per complaint.</summary>
    Cfpb,
}

public enum ComplaintReturnFormat
{
    Json,
    Xlsx,
    Csv,
}

/// <summary>What a return is asked for: the regime, the period (local days, both included) and optionally one branch.</summary>
public sealed record ComplaintReturnQuery(string? Regime, string? From, string? To, string? BranchId, string? Format = null);

/// <summary>The period of a return: local days in each complaint's branch zone, <see cref="From"/> and <see cref="To"/> both included.</summary>
public sealed record ComplaintReturnPeriod(DateOnly From, DateOnly To);

/// <summary>A taxonomy version the counted complaints were coded in.</summary>
public sealed record ComplaintReturnTaxonomy(int Number, DateOnly PublishedOn, string Citation);

/// <summary>A version of the regime's preset in force during the period (the deadlines stored at intake came from it).</summary>
public sealed record ComplaintReturnPreset(string Code, int Number, DateTimeOffset EffectiveFrom, string Citation);

/// <summary>What makes every figure reproducible: the code versions, the preset versions and the return's own rules (<see cref="ComplaintReturns.RulesVersion"/>).</summary>
public sealed record ComplaintReturnVersions(IReadOnlyList<ComplaintReturnTaxonomy> Taxonomies, IReadOnlyList<ComplaintReturnPreset> Presets, string Rules);

/// <summary>A sum of money in one currency.</summary>
public sealed record ComplaintReturnMoney(string Currency, decimal Amount);

/// <summary>The scope and provenance every return shares.</summary>
public sealed record ComplaintReturnHeader(
    ComplaintReturnRegime Regime, ComplaintReturnPeriod Period, long? BranchId, string? BranchCode, DateTimeOffset GeneratedAt, ComplaintReturnVersions Versions);

/// <summary>Complaints received in the period, by branch × JR/T 0169 B (business type) × C (cause) × A (channel).</summary>
public sealed record PrcCountRow(
    long BranchId, string BranchCode, string BranchName, string Business, string BusinessName, string Cause, string CauseName, string Channel, string ChannelName, int Count);

/// <summary>
/// Decisions made in the period by calendar days from the local day of receipt to the local day of the decision (the day of
/// receipt not counted): within 15 (CBIRC 2020 No. 3), 16–30 and 31–60 (the extended limits), over 60.
/// </summary>
public sealed record PrcTimeliness(int Decided, int Within15Days, int Days16To30, int Days31To60, int Over60Days);

public sealed record ComplaintReturnOutcomeCount(ComplaintOutcome Outcome, int Count);

/// <summary>The PRC complaint statistics of a period.</summary>
public sealed record PrcReturn(
    ComplaintReturnHeader Header, int Received, IReadOnlyList<PrcCountRow> Counts, PrcTimeliness Timeliness,
    IReadOnlyList<ComplaintReturnOutcomeCount> Outcomes, IReadOnlyList<ComplaintReturnMoney> Redress);

/// <summary>
/// One FCA product group. Every figure is null (a blank in the return) when the institution has no business in the group; a group
/// with business and no complaints has zeros. The closed columns do not overlap: within 3 business days, after that within 8 weeks,
/// after 8 weeks. Upheld counts partly upheld, and a goodwill payment on a complaint not upheld (DISP 1 Annex 1R notes).
/// </summary>
public sealed record FcaGroupRow(
    string Group, string Name, bool HasBusiness, int? Received, int? Closed, int? ClosedWithin3BusinessDays, int? ClosedWithin8Weeks, int? ClosedAfter8Weeks,
    int? Upheld, decimal? UpheldPercent, IReadOnlyList<ComplaintReturnMoney>? Redress);

/// <summary>The FCA complaints return (DISP 1.10) of a period.</summary>
public sealed record FcaReturn(ComplaintReturnHeader Header, IReadOnlyList<FcaGroupRow> Groups);

/// <summary>One complaint as a CFPB-style extract row; the product, response and issue in CFPB's (English) vocabulary.</summary>
public sealed record CfpbRow(
    long ComplaintId, string CaseReference, DateOnly Received, string Product, string? SubProduct, string Issue, string CompanyResponse, DateOnly? ResponseOn, bool? Timely);

/// <summary>The CFPB-style extract of the complaints received in a period.</summary>
public sealed record CfpbExtract(ComplaintReturnHeader Header, IReadOnlyList<CfpbRow> Rows);

/// <summary>A return as read: exactly one of <see cref="Prc"/>, <see cref="Fca"/>, <see cref="Cfpb"/>, and the format it was asked in.</summary>
public sealed record ComplaintReturnReading(ComplaintReturnFormat Format, ComplaintReturnHeader Header, PrcReturn? Prc, FcaReturn? Fca, CfpbExtract? Cfpb);

/// <summary>A return as a file.</summary>
public sealed record ComplaintReturnFile(string FileName, string ContentType, byte[] Content);
