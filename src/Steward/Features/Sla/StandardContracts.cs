using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla;

// The API and page contracts of service standards (StandardService).

public sealed record SlaRuleInput(
    string? CaseKind,
    string? Priority,
    string? CustomerTier,
    string? Channel,
    string? TargetType,
    int Amount,
    string? Unit,
    bool RollForward = false,
    int? WarningPercent1 = null,
    int? WarningPercent2 = null,
    IReadOnlyList<string>? PauseReasons = null,
    int? MaxExtension = null,
    bool ExtensionNeedsApproval = false,
    bool ExtensionNoticeToCustomer = false,
    string? Note = null);

public sealed record SlaRuleDto(
    long Id,
    string? CaseKind,
    string? Priority,
    string? CustomerTier,
    string? Channel,
    SlaTargetType TargetType,
    int Amount,
    SlaUnit Unit,
    bool RollForward,
    int WarningPercent1,
    int WarningPercent2,
    IReadOnlyList<string> PauseReasons,
    int? MaxExtension,
    bool ExtensionNeedsApproval,
    bool ExtensionNoticeToCustomer,
    string? Note,
    string Match,
    int Specificity);

/// <summary>A new version of a standard. <see cref="Version"/> is the standard's version the edit was based on.</summary>
public sealed record NewStandardVersionInput(
    int Version,
    string? EffectiveFrom,
    string? ChangeNote,
    IReadOnlyList<SlaRuleInput>? Rules,
    string? Citation = null,
    string? RulesZh = null,
    string? RulesEn = null);

public sealed record StandardVersionSummaryDto(long Id, int Number, DateTimeOffset EffectiveFrom, string? ChangeNote, string CreatedBy, DateTimeOffset CreatedAt, int RuleCount, bool InForce);

public sealed record StandardDto(
    long Id,
    string Code,
    string Name,
    string NameEn,
    SlaStandardKind Kind,
    string? Jurisdiction,
    bool Selected,
    int? InForceVersion,
    IReadOnlyList<StandardVersionSummaryDto> Versions,
    int Version);

public sealed record StandardVersionDto(
    long StandardId,
    string StandardCode,
    long Id,
    int Number,
    DateTimeOffset EffectiveFrom,
    string Citation,
    string RulesZh,
    string RulesEn,
    string? ChangeNote,
    string CreatedBy,
    IReadOnlyList<SlaRuleDto> Rules);

/// <summary>A regulatory preset. <see cref="Selected"/>: the institution's; <see cref="Branches"/>: codes of the branches that have it as their own regime.</summary>
public sealed record PresetDto(
    long Id, string Code, string Name, string NameEn, string? Jurisdiction, bool Selected, int? InForceVersion, string Citation, string RulesZh, string RulesEn,
    IReadOnlyList<string> Branches);

public sealed record PresetSelectionDto(long? RegulatoryStandardId, string? RegulatoryStandardCode, int Version);
