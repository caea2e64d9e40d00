namespace Steward.Features.Quality;

public sealed record QaScorecardDto(
    long Id, string Code, int Number, string Name, string NameEn, QaSubjectKind SubjectKind, ScorecardContent Content, DateTimeOffset PublishedAt);

/// <summary>Publishes the next version of scorecard <see cref="Code"/>; <see cref="BasedOn"/> is the version the change started from (null for a new code).</summary>
public sealed record QaScorecardPublishRequest(string? Code, int? BasedOn, string? Name, string? NameEn, QaSubjectKind? SubjectKind, ScorecardContent? Content);

/// <summary>
/// A review of case <see cref="CaseId"/> against the version in force of scorecard <see cref="Scorecard"/> (its code);
/// <see cref="ScorecardNumber"/>, when given, is the version the form showed (a newer one → 409). Answers: item id → value or N/A, comment.
/// </summary>
public sealed record QaReviewCreateRequest(long? CaseId, string? Scorecard, int? ScorecardNumber, IReadOnlyDictionary<string, QaAnswer>? Answers, string? Comment);

/// <summary>The reviewed staff member disputes: the score they think right (0–100) and why.</summary>
public sealed record QaDisputeRequest(decimal? SuggestedScore, string? Comment);

/// <summary>The lead or another inspector resolves a dispute: uphold (the score stands) or change it to <see cref="Score"/>, with a comment.</summary>
public sealed record QaResolveRequest(bool Uphold, decimal? Score, string? Comment);

public sealed record QaReviewDto(
    long Id, long ScorecardId, string ScorecardCode, int ScorecardNumber, string ScorecardName, string ScorecardNameEn, QaSubjectKind SubjectKind,
    long CaseId, string CaseReference, long StaffId, string StaffName, long BranchId, long? TeamId, long InspectorId, string InspectorName,
    DateTimeOffset CreatedAt, IReadOnlyDictionary<string, QaAnswer> Answers, IReadOnlyDictionary<string, decimal> ItemScores, string? Comment,
    decimal Score, bool CriticalFailed, QaReviewStatus Status, DateTimeOffset DisputeUntil, DateTimeOffset? RespondedAt, decimal? SuggestedScore,
    string? DisputeComment, long? ResolvedById, string? ResolvedByName, DateTimeOffset? ResolvedAt, string? ResolutionComment, decimal FinalScore);

/// <summary>Filters of the review list (each optional); at most <see cref="Limit"/> rows (default 100, at most 500), newest first.</summary>
public sealed record QaReviewListQuery
{
    public long? CaseId { get; init; }

    public long? StaffId { get; init; }

    public QaReviewStatus? Status { get; init; }

    public int? Limit { get; init; }
}
