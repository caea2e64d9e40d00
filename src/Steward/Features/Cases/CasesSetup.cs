using System.ComponentModel.DataAnnotations;
using Steward.Platform.Api;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>Bound from the <c>Cases</c> section.</summary>
public sealed class CaseOptions
{
    public const string Section = "Cases";

    /// <summary>How long after it was resolved (or closed, if later) a case may be reopened.</summary>
    [Range(0, 3650)]
    public int ReopenWindowDays { get; set; } = 30;

    /// <summary>Largest attachment accepted, in bytes (default 10 MB).</summary>
    [Range(1, 200 * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Case counts (<c>/api/v1/cases/count</c>, the workbench's tabs) stop at this number and say so
    /// (<see cref="CaseCount.Capped"/>), so that a count costs at most this many index entries however long the
    /// history grows. 10 000 is more than any person works through in a queue.
    /// </summary>
    [Range(1, 1_000_000)]
    public int CountCap { get; set; } = 10_000;

    /// <summary>
    /// A newest-first search reads the newest this-many case ids first, then 8 times as many before them, and so on,
    /// until its page is full (<c>CaseService.NewestMatchesAsync</c>).
    /// </summary>
    [Range(1, 1_000_000_000)]
    public long SearchWindow { get; set; } = 20_000;

    /// <summary>Prefix of case references, <c>SV-yyyyMMdd-NNNNNN</c>.</summary>
    [Required, RegularExpression("^[A-Z]{1,8}$")]
    public string ReferencePrefix { get; set; } = "SV";
}

/// <summary>
/// Lets other features (SLA first) follow the lifecycle of cases. Every method is called inside
/// the unit of work that changes the case, before it is saved: rows an observer adds to the
/// <see cref="Platform.Database.StewardDbContext"/> (and changes it makes to the case, such as
/// <see cref="Case.DueAt"/>) are saved in the same transaction, and an exception undoes the change.
/// </summary>
public interface ICaseLifecycleObserver
{
    /// <summary>
    /// A case was created. Its <see cref="Case.Id"/> and reference are assigned (the row is written,
    /// the transaction still open); status is Submitted. A change the observer makes to the case
    /// (such as <see cref="Case.DueAt"/>) is a second write in the same transaction, so the created
    /// case then starts at version 2: clients always take the version from the response.
    /// </summary>
    Task OnCreatedAsync(Case @case, CancellationToken ct);

    /// <summary>
    /// The case moved: <paramref name="change"/> tells from where to where (status and waiting
    /// sub-state), by which action and when. Waiting on the customer or a third party and resuming
    /// arrive here too (status stays InProgress, the waiting sub-state changes).
    /// </summary>
    Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct);

    /// <summary>Kind or priority changed (reclassification or a priority override); the case holds the new values.</summary>
    Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct);

    /// <summary>A public reply to the customer was added at <paramref name="at"/> (internal notes are not replies).</summary>
    Task OnRepliedAsync(Case @case, DateTimeOffset at, CancellationToken ct) => Task.CompletedTask;
}

public sealed record CaseTransition(CaseStatus From, CaseWaiting FromWaiting, CaseStatus To, CaseWaiting ToWaiting, CaseAction Action, DateTimeOffset At);

public sealed record CaseTooLargeError(long Limit) : Error("attachment-too-large",
    "The file is too large 文件过大",
    $"Attachments may be at most {Limit / 1024 / 1024} MB. 附件不能超过 {Limit / 1024 / 1024} MB。")
{
    public override int Status => StatusCodes.Status413PayloadTooLarge;
}

public sealed record UnsupportedFileError() : Error("attachment-type-refused",
    "This kind of file is not accepted 不接受此类文件",
    "Accepted: PDF, PNG, JPEG, plain text (UTF-8), Word (.docx) and Excel (.xlsx); the type is read from the file's content. 仅接受 PDF、PNG、JPEG、纯文本、Word (.docx) 和 Excel (.xlsx)，类型按文件内容识别。")
{
    public override int Status => StatusCodes.Status415UnsupportedMediaType;
}

/// <summary>The action is not possible in the case's current state; names the state and what is possible.</summary>
public sealed record IllegalTransitionError(CaseStatus CurrentStatus, CaseWaiting Waiting, CaseAction Attempted, IReadOnlyList<CaseAction> AllowedActions, string Why) : Error(
    "illegal-transition",
    "This action is not allowed in the case's current state 当前状态下不允许此操作",
    $"{Why} The case is {CurrentStatus}{(Waiting == CaseWaiting.None ? "" : " (" + Waiting + ")")}; allowed now: {(AllowedActions.Count == 0 ? "none" : string.Join(", ", AllowedActions))}. 案件当前状态为 {CurrentStatus}，可执行的操作：{(AllowedActions.Count == 0 ? "无" : string.Join("、", AllowedActions))}。")
{
    public override int Status => StatusCodes.Status409Conflict;
}

public static class CasesSetup
{
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddOptions<CaseOptions>().BindConfiguration(CaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddIdempotency();
        services.AddScoped<CaseSearchIndex>();
        services.AddScoped<CaseService>();
        services.AddScoped<PublicCaseService>();
        // Lifecycle observers (the SLA feature) register themselves: services.AddScoped<ICaseLifecycleObserver, X>().
        return services;
    }
}
