using Steward.Features.Sla.Deadlines;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Clocks;

// The API and page contracts of a case's SLA (CaseSlaService).

public sealed record SlaStandardRef(long Id, string Code, string Name, int Version, DateTimeOffset EffectiveFrom, SlaLayer Layer, string? Citation);

public sealed record SlaPauseDto(DateTimeOffset From, DateTimeOffset? To, string Reason, string? FromLocal, string? ToLocal);

public sealed record SlaChangeDto(DateTimeOffset At, SlaChangeCause Cause, string Target, long? ExtensionId);

public sealed record SlaClockDto(
    long Id,
    SlaTargetType TargetType,
    SlaLayer Layer,
    string Name,
    int Cycle,
    SlaStandardRef Standard,
    string Rule,
    string Target,
    int Amount,
    SlaUnit Unit,
    Steward.Features.Sla.Deadlines.SlaClock Clock,
    SlaClockStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? DueAt,
    string? DueLocal,
    string? DueText,
    DateTimeOffset? MetAt,
    DateTimeOffset? BreachedAt,
    long UsedMinutes,
    long RemainingMinutes,
    decimal PercentUsed,
    string UsedText,
    string RemainingText,
    string LeftText,
    IReadOnlyList<SlaPauseDto> Pauses,
    IReadOnlyList<SlaChangeDto> Changes,
    IReadOnlyList<string> Steps,
    string? RestartReason,
    DateTimeOffset? RestartedAt,
    int? MaxAmount,
    bool ExtensionNeedsApproval,
    bool ExtensionNoticeToCustomer);

public sealed record SlaExtensionDto(
    long Id, long ClockId, SlaTargetType TargetType, SlaLayer Layer, int OldAmount, int NewAmount, SlaUnit Unit, string Reason,
    SlaExtensionStatus Status, long? RequestedById, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionNote, int Version);

public sealed record CaseSlaDto(
    long CaseId, string Reference, string Zone, long? CalendarId, string CalendarName, bool FallbackCalendar, DateTimeOffset Now,
    IReadOnlyList<SlaClockDto> Clocks, IReadOnlyList<SlaExtensionDto> Extensions);

public sealed record AtRiskItem(
    long CaseId, string Reference, string Subject, long? AssigneeId, string? AssigneeName, long ClockId, SlaTargetType TargetType, SlaLayer Layer,
    SlaClockStatus Status, DateTimeOffset DueAt, string DueLocal, long MinutesLeft, decimal PercentUsed, string DueText, string LeftText,
    Steward.Features.Sla.Deadlines.SlaClock Clock);

public sealed record SlaExtensionRequest(SlaTargetType? TargetType, SlaLayer? Layer, int? NewAmount, int? AddAmount, string? Reason);

public sealed record SlaDecisionRequest(string? Note, int? Version);

public sealed record SlaRestartRequest(SlaTargetType? TargetType, SlaLayer? Layer, string? Reason);

public sealed record ExtensionAboveMaximumError(int Requested, int Maximum, SlaUnit Unit) : Error(
    "extension-above-maximum",
    "The extension exceeds the rule's maximum 延期超过规则允许的上限",
    $"At most {Maximum} {Unit} in total (requested {Requested}). 总时限最多 {Maximum}（申请 {Requested}）。")
{
    public override int Status => StatusCodes.Status422UnprocessableEntity;
}
