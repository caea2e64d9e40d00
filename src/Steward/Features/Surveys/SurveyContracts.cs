using Steward.Features.Cases;
using Steward.Features.Notifications;

namespace Steward.Features.Surveys;

public sealed record SurveyDefinitionDto(
    long Id, string Code, int Number, string Name, string NameEn, SurveyContent Content, SurveyTrigger Trigger, IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Channels, int DelayMinutes, int ExpiryDays, bool IsActive, DateTimeOffset PublishedAt);

/// <summary>
/// Publishes the next version of survey <see cref="Code"/> (the first when the code is new). <see cref="BasedOn"/> is the number
/// the change started from (null for a new survey); a later version published meanwhile makes it stale (409).
/// </summary>
public sealed record SurveyPublishRequest(
    string? Code, int? BasedOn, string? Name, string? NameEn, SurveyContent? Content, SurveyTrigger? Trigger,
    IReadOnlyList<string>? Kinds, IReadOnlyList<string>? Channels, int? DelayMinutes, int? ExpiryDays, bool IsActive = true);

public sealed record SurveyInvitationDto(
    long Id, string SurveyCode, int SurveyNumber, SurveyEventKind EventKind, long EventId, long? CustomerId, SurveyInvitationStatus Status,
    SurveySuppression? Suppression, OutboxChannel? DeliveryChannel, DateTimeOffset CreatedAt, DateTimeOffset SendAt, DateTimeOffset? ExpiresAt,
    long? ResponseId, long? StaffId, long BranchId, long? TeamId, CaseChannel? Channel, CaseKind? Kind, long? ProductId, DateTimeOffset? ReminderAt);

public sealed record SurveyResponseDto(
    long Id, long InvitationId, string SurveyCode, int SurveyNumber, DateTimeOffset SubmittedAt, string Language,
    IReadOnlyDictionary<string, string[]> Answers, int? Csat, int? Nps, int? Effort, bool IsPoor, SurveyEventKind EventKind, long EventId,
    long? CustomerId, long? StaffId, long BranchId, long? TeamId, CaseChannel? Channel, CaseKind? Kind, long? ProductId,
    long? FollowUpCaseId, long? FollowUpOwnerId, DateTimeOffset? FollowUpDueAt, DateTimeOffset? PlanDueAt, bool ComplaintSuspected, string? RootCause, bool? IssueResolved);

/// <summary>Filters of the invitation and response lists (each optional); at most <see cref="Limit"/> rows (default 100, at most 500), newest first.</summary>
public sealed record SurveyListQuery
{
    public long? CaseId { get; init; }

    public long? CustomerId { get; init; }

    public long? BranchId { get; init; }

    public int? Limit { get; init; }
}

/// <summary>What the public page shows for a link: the survey's questions, and whether it can still be answered (never who it is for).</summary>
public sealed record PublicSurveyDto(string Title, string TitleEn, string? Intro, string? IntroEn, IReadOnlyList<SurveyQuestion> Questions, bool Answered, bool Expired);

/// <summary>
/// The customer's answers through their link: question id → value, a number for a score (or its text), an option id or a list
/// of them, or text. <see cref="Language"/> is the language they answered in (zh-CN or en).
/// </summary>
public sealed record PublicSurveySubmitRequest(Dictionary<string, System.Text.Json.JsonElement>? Answers, string? Language);

public sealed record PublicSurveyReceipt(bool Recorded, DateTimeOffset SubmittedAt);

/// <summary>What the survey form partial draws: the questions, in which language, the answers as posted and their errors.</summary>
public sealed record SurveyFormView(IReadOnlyList<SurveyQuestion> Questions, bool Chinese, IReadOnlyDictionary<string, IReadOnlyList<string>> Posted, Steward.Platform.Problems.Error? Error);
