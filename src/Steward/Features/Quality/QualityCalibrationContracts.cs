namespace Steward.Features.Quality;

/// <summary>
/// A new calibration batch: a name, the scorecard (its code: the version in force is used), the cases (ids or references) and
/// the inspectors invited (at least two, staff ids).
/// </summary>
public sealed record QaCalibrationCreateRequest(string? Name, string? Scorecard, IReadOnlyList<string>? Cases, IReadOnlyList<long>? InspectorIds);

/// <summary>An invited inspector's scoring of one case of the batch: answers as a review's (item id → value or N/A, comment).</summary>
public sealed record QaCalibrationScoreRequest(long? CaseId, IReadOnlyDictionary<string, QaAnswer>? Answers, string? Comment);

public sealed record QaCalibrationInspectorDto(long Id, string Name, int Scored);

/// <summary>One inspector's scoring of one case: <see cref="Score"/> is null while it is hidden from the reader (the batch is open and they have not scored the case).</summary>
public sealed record QaCalibrationCellDto(long InspectorId, bool Submitted, decimal? Score, bool? CriticalFailed, IReadOnlyDictionary<string, QaAnswer>? Answers);

/// <summary>A case of the batch; <see cref="Spread"/> = max − min of the overall scores once every inspector scored it and the reader may see them.</summary>
public sealed record QaCalibrationCaseDto(long CaseId, string Reference, IReadOnlyList<QaCalibrationCellDto> Cells, decimal? Spread);

/// <summary>
/// A kappa as shown: rounded to four decimals, over <see cref="N"/> subjects (cases, or case × item pairs for the overall figure)
/// rated by <see cref="Raters"/>; Cohen's for two raters, Fleiss' for more; <see cref="OneCategory"/> = every rating in one
/// category (p_e = 1, reported as 1).
/// </summary>
public sealed record QaKappaDto(decimal Kappa, int N, int Raters, string Method, KappaBand Band, bool OneCategory, bool BelowThreshold);

public sealed record QaItemKappaDto(string ItemId, string Text, string TextEn, QaKappaDto? Agreement);

/// <summary>The agreement over the cases every inspector has scored (<see cref="Cases"/> of them): overall and per item.</summary>
public sealed record QaAgreementDto(int Cases, QaKappaDto? Overall, IReadOnlyList<QaItemKappaDto> Items);

public sealed record QaCalibrationDto(
    long Id, string Name, long ScorecardId, string ScorecardCode, int ScorecardNumber, string ScorecardName, string ScorecardNameEn,
    QaCalibrationStatus Status, long? CreatedById, string? CreatedByName, DateTimeOffset CreatedAt, long? ClosedById, string? ClosedByName,
    DateTimeOffset? ClosedAt, IReadOnlyList<QaCalibrationInspectorDto> Inspectors, IReadOnlyList<QaCalibrationCaseDto> Cases, int Scored, int Expected,
    decimal Threshold, bool Drift, QaAgreementDto? Agreement);

public sealed record QaCalibrationSummaryDto(
    long Id, string Name, string ScorecardName, string ScorecardNameEn, QaCalibrationStatus Status, int CaseCount, int InspectorCount,
    int Scored, int Expected, decimal? Kappa, bool Drift, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt);

public sealed record QaCalibrationNotFound() : Platform.Problems.NotFoundError(
    "not-found", "No such calibration batch 校准批次不存在", "There is no such calibration batch. 该校准批次不存在。");

public sealed record QaCalibrationInvalid(IReadOnlyDictionary<string, string[]> Errors) : Platform.Problems.InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record QaNotCalibrator() : Platform.Problems.ForbiddenError(
    "forbidden", "Quality inspectors and compliance only 仅限质检员和合规人员",
    "Calibration batches are for quality inspectors and compliance. 校准批次仅限质检员和合规人员。");

public sealed record QaNotInvited() : Platform.Problems.ForbiddenError(
    "qa-not-invited", "Not invited to this batch 您未受邀参加此批次",
    "Only the inspectors invited to a calibration batch score its cases. 只有受邀的质检员可以为该校准批次的案件评分。");

public sealed record QaCalibrationClosed() : Platform.Problems.ConflictError(
    "qa-calibration-closed", "The batch is closed 校准批次已关闭", "The calibration batch is closed: nothing more is scored. 该校准批次已关闭，不能再评分。");

public sealed record QaCalibrationScored() : Platform.Problems.ConflictError(
    "qa-calibration-scored", "Scored already 已评分", "You have scored this case of the batch already. 您已为此批次中的该案件评分。");

public sealed record QaCalibrationIncomplete(int Missing) : Platform.Problems.ConflictError(
    "qa-calibration-incomplete", "Scores are missing 评分尚未完成",
    FormattableString.Invariant($"{Missing} score(s) are not in yet: a batch closes when every invited inspector has scored every case. 还有 {Missing} 项评分未完成：所有受邀质检员为所有案件评分后才能关闭批次。"));
