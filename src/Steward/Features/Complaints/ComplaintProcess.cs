using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>The initial assessment (初步评估). With a legal impact, the owner and due date of the legal task it opens.</summary>
public sealed record ComplaintAssessmentRequest(bool? InScope, bool? RegulatoryImpact, bool? LegalImpact, string? Note, long? LegalOwnerId, DateOnly? LegalDueOn, int? Version);

/// <summary>A task of the investigation: what to find out, who, by when (the branch's calendar day).</summary>
public sealed record ComplaintTaskRequest(ComplaintTaskKind? Kind, string? Title, long? OwnerId, DateOnly? DueOn);

/// <summary>A task done, with what was found.</summary>
public sealed record ComplaintTaskCompletion(string? Result, int? Version);

/// <summary>What the complainant said to the final decision; a dispute needs the reason.</summary>
public sealed record ComplaintResponseRequest(CustomerResponse? Response, string? Note, int? Version);

public sealed record ComplaintArchiveRequest(int? Version);


/// <summary>The complainant disputes the decision: the reason they gave.</summary>
public sealed record ComplaintReopenRequest(string? Reason, int? Version);

public sealed record ComplaintAssessmentDto(bool InScope, bool RegulatoryImpact, bool LegalImpact, string? Note, string? AssessedBy, DateTimeOffset AssessedAt);

public sealed record ComplaintTaskDto(
    long Id, ComplaintTaskKind Kind, string Title, long OwnerId, string OwnerName, DateOnly DueOn, ComplaintTaskStatus Status, bool Overdue, string? Result,
    string? DoneBy, DateTimeOffset? DoneAt, int Version);

public sealed record ComplaintReviewDto(ComplaintOutcome PreviousOutcome, string? PreviousRootCause, DateTimeOffset PreviousOutcomeAt, string Reason, string? OpenedBy, DateTimeOffset OpenedAt);

/// <summary>
/// Where the complaint stands between intake and archive: the assessment, the tasks, the complainant's response to the
/// final decision and the last day they may dispute it, the reviews, the archive, and — while it cannot be archived —
/// why not (codes: <c>no-outcome</c>, <c>no-final-letter</c>, <c>pending-remedy</c>, <c>open-task</c>,
/// <c>awaiting-response</c>, <c>case-waiting</c>, <c>case-not-started</c>).
/// </summary>
public sealed record ComplaintProcessDto(
    ComplaintAssessmentDto? Assessment, IReadOnlyList<ComplaintTaskDto> Tasks, CustomerResponse? CustomerResponse, string? CustomerResponseNote,
    DateTimeOffset? CustomerResponseAt, DateOnly? ReviewWindowLastDay, IReadOnlyList<ComplaintReviewDto> Reviews, DateTimeOffset? ArchivedAt,
    IReadOnlyList<string> ArchiveBlockers);

/// <summary>The complaint is archived: nothing more is decided on it.</summary>
public sealed record ComplaintArchived() : ConflictError(
    "complaint-archived", "The complaint is archived 该投诉已归档", "The complaint is archived; nothing more can be decided on it. 该投诉已归档，不能再作处理。");

/// <summary>The complaint cannot be archived yet; <see cref="Blockers"/> say why.</summary>
public sealed record ComplaintNotArchivable(IReadOnlyList<string> Blockers) : ConflictError(
    "complaint-not-archivable", "Not ready to archive 尚不能归档",
    "The complaint cannot be archived yet: " + string.Join(", ", Blockers) + ". 该投诉尚不能归档。")
{
    public override IReadOnlyDictionary<string, object?>? Extensions => new Dictionary<string, object?> { ["blockers"] = Blockers };
}

/// <summary>The complainant's response can only follow the final response letter.</summary>
public sealed record ResponseBeforeFinalLetter() : ConflictError(
    "response-before-final-letter", "No final response yet 尚未出具最终答复",
    "Record the complainant's response after the final response letter. 请在出具最终答复函后再记录投诉人的反馈。");

/// <summary>A dispute after the review window (30 days from the decision) opens no review.</summary>
public sealed record ReviewWindowClosed(DateOnly LastDay) : ConflictError(
    "review-window-closed", "The review window has closed 核查申请期限已过",
    FormattableString.Invariant($"A review could be asked for until {LastDay:yyyy-MM-dd}; the complainant may still turn to mediation or the regulator (the final letter says how). 核查申请期限已于 {LastDay:yyyy-MM-dd} 届满；投诉人仍可申请调解或向监管部门反映（见最终答复函）。"));

/// <summary>No open task with that id on the complaint.</summary>
public sealed record ComplaintTaskNotOpen(long Id) : ConflictError(
    "complaint-task-not-open", "The task is not open 该任务不在进行中", FormattableString.Invariant($"Task {Id} is not open on this complaint. 任务 {Id} 不在进行中。"));

/// <summary>
/// The complaint's process between intake and archive (seed 003 §5.2: 受理 → 初步评估 → 分类处理 → 沟通协调 → 问题解决 →
/// 反馈确认 → 归档与分析): the initial assessment (a legal impact opens a legal task); investigation tasks, each with an
/// owner who need not recuse themselves and a due date; the complainant's response to the final decision — accepted, or
/// disputed within 30 days of it (CBIRC 2020 No. 3: 可以自收到处理决定之日起 30 日内申请核查), which reopens the decision for
/// review and the case if it was resolved; and the archive, which closes the case once nothing is left open. Every refusal
/// leaves nothing written.
/// </summary>
public sealed class ComplaintProcess(
    StewardDbContext db, CurrentUser user, ComplaintService complaints, CaseService cases, NotificationService notifications,
    Webhooks.WebhookEvents webhooks, IStringLocalizer<SharedResource> l, TimeProvider time)
{
    /// <summary>CBIRC 2020 No. 3: a review (核查) may be asked for within 30 days of receiving the decision.</summary>
    public const int ReviewWindowDays = 30;

    public async Task<Outcome<ComplaintDto>> AssessAsync(long id, ComplaintAssessmentRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, r.Version, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (complaint, c) = loaded.Value;
        var errors = new Dictionary<string, string[]>();
        const string YesNo = "Answer yes or no. 请选择是或否。";
        if (r.InScope is null)
        {
            errors["inScope"] = [YesNo];
        }

        if (r.RegulatoryImpact is null)
        {
            errors["regulatoryImpact"] = [YesNo];
        }

        if (r.LegalImpact is null)
        {
            errors["legalImpact"] = [YesNo];
        }

        var note = r.Note?.Trim();
        if (note is { Length: > 2000 })
        {
            errors["note"] = ["Up to 2000 characters. 不超过 2000 字。"];
        }

        var needsLegalTask = r.LegalImpact == true
            && !await db.Set<ComplaintTask>().AnyAsync(t => t.ComplaintId == id && t.Kind == ComplaintTaskKind.Legal, ct);
        var today = await TodayAsync(c.BranchId, ct);
        if (needsLegalTask)
        {
            await CheckOwnerAsync(errors, "legalOwnerId", r.LegalOwnerId, complaint, c, ct);
            CheckDue(errors, "legalDueOn", r.LegalDueOn, today);
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        complaint.InScope = r.InScope;
        complaint.RegulatoryImpact = r.RegulatoryImpact;
        complaint.LegalImpact = r.LegalImpact;
        complaint.AssessmentNote = string.IsNullOrEmpty(note) ? null : note;
        complaint.AssessedAt = time.GetUtcNow();
        complaint.AssessedById = user.StaffId;
        if (needsLegalTask)
        {
            AddTask(complaint, c, ComplaintTaskKind.Legal, l["complaint.task.legalTitle"], r.LegalOwnerId!.Value, r.LegalDueOn!.Value);
        }

        await webhooks.RaiseAsync(Webhooks.WebhookEventTypes.ComplaintAssessed, Milestone(complaint, c, new
        {
            inScope = complaint.InScope, regulatoryImpact = complaint.RegulatoryImpact, legalImpact = complaint.LegalImpact,
        }), ct);
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    public async Task<Outcome<ComplaintDto>> AddTaskAsync(long id, ComplaintTaskRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, null, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (complaint, c) = loaded.Value;
        if (complaint.Outcome is not null)
        {
            return new ComplaintOutcomeRecorded();
        }

        var errors = new Dictionary<string, string[]>();
        if (r.Kind is null)
        {
            errors["kind"] = ["Choose what the task is for. 请选择任务类型。"];
        }

        var title = r.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors["title"] = ["Say what is to be found out. 请填写任务内容。"];
        }
        else if (title.Length > 300)
        {
            errors["title"] = ["Up to 300 characters. 不超过 300 字。"];
        }

        await CheckOwnerAsync(errors, "ownerId", r.OwnerId, complaint, c, ct);
        CheckDue(errors, "dueOn", r.DueOn, await TodayAsync(c.BranchId, ct));
        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        AddTask(complaint, c, r.Kind!.Value, title!, r.OwnerId!.Value, r.DueOn!.Value);
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    /// <summary>Finishes a task with its result: its owner, or a team lead, branch manager or compliance officer.</summary>
    public async Task<Outcome<ComplaintDto>> CompleteTaskAsync(long id, long taskId, ComplaintTaskCompletion r, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, null, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var task = await db.Set<ComplaintTask>().SingleOrDefaultAsync(t => t.Id == taskId && t.ComplaintId == id, ct);
        if (task is not { Status: ComplaintTaskStatus.Open })
        {
            return new ComplaintTaskNotOpen(taskId);
        }

        if (task.OwnerId != user.StaffId && !user.Can(Permission.CasesAssign) && !user.Can(Permission.ComplaintsOversee))
        {
            return new ComplaintActionForbidden();
        }

        if (r.Version is { } v && v != task.Version)
        {
            return Problems.StaleVersion();
        }

        var result = r.Result?.Trim();
        if (string.IsNullOrEmpty(result) || result.Length > 2000)
        {
            return new ComplaintInvalid(new Dictionary<string, string[]> { ["result"] = ["Say what was found (at most 2000 characters). 请填写调查结果（不超过 2000 字）。"] });
        }

        task.Status = ComplaintTaskStatus.Done;
        task.Result = result;
        task.DoneAt = time.GetUtcNow();
        task.DoneById = user.StaffId;
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    /// <summary>
    /// Records the complainant's response to the final decision. A dispute within <see cref="ReviewWindowDays"/> days of
    /// the final response letter opens a review: the decision is kept as history and cleared, and the case is reopened if it
    /// was resolved or closed. After the window a dispute is refused (<see cref="ReviewWindowClosed"/>).
    /// </summary>
    public async Task<Outcome<ComplaintDto>> RespondAsync(long id, ComplaintResponseRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, r.Version, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (complaint, c) = loaded.Value;
        if (complaint.Outcome is null || await FinalLetterAtAsync(complaint, ct) is not { } letterAt)
        {
            return new ResponseBeforeFinalLetter();
        }

        var note = r.Note?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (r.Response is null)
        {
            errors["response"] = ["Choose what the complainant said. 请选择投诉人的反馈。"];
        }

        if (r.Response == CustomerResponse.Disputed && string.IsNullOrEmpty(note))
        {
            errors["note"] = ["Say why the complainant disputes the decision. 请说明投诉人不认可处理决定的理由。"];
        }
        else if (note is { Length: > 2000 })
        {
            errors["note"] = ["Up to 2000 characters. 不超过 2000 字。"];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var now = time.GetUtcNow();
        if (r.Response == CustomerResponse.Accepted)
        {
            complaint.CustomerResponse = CustomerResponse.Accepted;
            complaint.CustomerResponseNote = string.IsNullOrEmpty(note) ? null : note;
            complaint.CustomerResponseAt = now;
            await webhooks.RaiseAsync(Webhooks.WebhookEventTypes.ComplaintCustomerResponded, Milestone(complaint, c, new { response = CustomerResponse.Accepted }), ct);
            await db.SaveChangesAsync(ct);
            return await complaints.GetAsync(id, ct);
        }

        var zone = await complaints.TimeZoneOfBranchAsync(c.BranchId, ct);
        var lastDay = LastDayOfReview(letterAt, zone);
        if (ComplaintActions.TodayIn(zone, now) > lastDay)
        {
            return new ReviewWindowClosed(lastDay);
        }

        if (c.Status is CaseStatus.Resolved or CaseStatus.FollowUp or CaseStatus.Closed)
        {
            // The case's own reopen (its timeline says so); a refusal there leaves the complaint as it was.
            var reopened = await cases.TransitionAsync(c.Id, new CaseTransitionRequest(CaseAction.Reopen, l["complaint.reviewReopenReason"], c.Version), ct);
            if (reopened.Error is { } failed)
            {
                return failed;
            }
        }

        db.Add(new ComplaintReview
        {
            ComplaintId = complaint.Id, PreviousOutcome = complaint.Outcome.Value, PreviousRootCause = complaint.RootCause, PreviousOutcomeAt = complaint.OutcomeAt ?? now,
            Reason = note!, OpenedById = user.StaffId, OpenedAt = now,
        });
        complaint.Outcome = null;
        complaint.OutcomeAt = null;
        complaint.OutcomeById = null;
        complaint.CustomerResponse = null;
        complaint.CustomerResponseNote = null;
        complaint.CustomerResponseAt = null;
        if (c.AssigneeId is { } assignee && assignee != user.StaffId)
        {
            notifications.Raise([assignee], "complaint.review", $"投诉 {c.Reference} 的投诉人申请核查，处理决定已重新打开",
                $"Complaint {c.Reference}: the complainant disputes the decision; it is reopened for review", Link(id));
        }

        await webhooks.RaiseAsync(Webhooks.WebhookEventTypes.ComplaintCustomerResponded, Milestone(complaint, c, new { response = CustomerResponse.Disputed }), ct);
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    /// <summary>Archives the complaint once nothing is left open (<see cref="ComplaintProcessDto.ArchiveBlockers"/>), resolving and closing its case.</summary>
    public async Task<Outcome<ComplaintDto>> ArchiveAsync(long id, ComplaintArchiveRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, r.Version, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (complaint, c) = loaded.Value;
        var process = await OfAsync(db, complaint, c, await complaints.TimeZoneOfBranchAsync(c.BranchId, ct), time.GetUtcNow(), ct);
        if (process.ArchiveBlockers.Count > 0)
        {
            return new ComplaintNotArchivable(process.ArchiveBlockers);
        }

        var version = c.Version;
        foreach (var step in CaseStepsToClose(c.Status))
        {
            var moved = await cases.TransitionAsync(c.Id, new CaseTransitionRequest(step, null, version), ct);
            if (moved.Error is { } failed)
            {
                return failed;
            }

            version = moved.Value!.Version;
        }

        complaint.ArchivedAt = time.GetUtcNow();
        complaint.ArchivedById = user.StaffId;
        await webhooks.RaiseAsync(Webhooks.WebhookEventTypes.ComplaintArchived, Milestone(complaint, c, new { archivedAt = complaint.ArchivedAt }), ct);
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    /// <summary>Who may own a task of <paramref name="complaint"/>: active staff of its branch and compliance officers, less those who must recuse themselves.</summary>
    public async Task<IReadOnlyList<ComplaintOwner>> OwnerChoicesAsync(ComplaintDto complaint, CancellationToken ct = default)
    {
        var recused = complaint.Recused.Where(x => !x.Overridden).Select(x => x.StaffId).ToList();
        return await ComplaintActions.Owners(db, complaint.BranchId).Where(s => !recused.Contains(s.Id))
            .OrderBy(s => s.DisplayName).ThenBy(s => s.Id).Select(s => new ComplaintOwner(s.Id, s.DisplayName)).Take(300).ToListAsync(ct);
    }

    /// <summary>The process part of a complaint's reading, and why it cannot be archived yet.</summary>
    internal static async Task<ComplaintProcessDto> OfAsync(StewardDbContext db, Complaint complaint, Case c, string zone, DateTimeOffset now, CancellationToken ct)
    {
        var tasks = await db.Set<ComplaintTask>().AsNoTracking().Where(t => t.ComplaintId == complaint.Id).OrderBy(t => t.Id).ToListAsync(ct);
        var reviews = await db.Set<ComplaintReview>().AsNoTracking().Where(x => x.ComplaintId == complaint.Id).OrderBy(x => x.Id).ToListAsync(ct);
        var ids = tasks.SelectMany(t => new[] { (long?)t.OwnerId, t.DoneById }).Concat(reviews.Select(x => x.OpenedById)).Append(complaint.AssessedById).OfType<long>().Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.Set<Staff>().AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        string? Name(long? staffId) => staffId is { } s ? names.GetValueOrDefault(s) : null;
        var today = ComplaintActions.TodayIn(zone, now);
        var letterAt = complaint.Outcome is null ? null : await FinalLetterAtAsync(db, complaint, ct);
        DateOnly? lastDay = letterAt is { } at ? LastDayOfReview(at, zone) : null;

        var blockers = new List<string>();
        if (complaint.ArchivedAt is null)
        {
            if (complaint.Outcome is null)
            {
                blockers.Add("no-outcome");
            }
            else if (letterAt is null)
            {
                blockers.Add("no-final-letter");
            }

            if (await db.Set<ComplaintRemedy>().AnyAsync(x => x.ComplaintId == complaint.Id && x.Status == RemedyStatus.PendingApproval, ct))
            {
                blockers.Add("pending-remedy");
            }

            if (tasks.Any(t => t.Status == ComplaintTaskStatus.Open))
            {
                blockers.Add("open-task");
            }

            if (lastDay is { } last && complaint.CustomerResponse != CustomerResponse.Accepted && today <= last)
            {
                blockers.Add("awaiting-response");
            }

            if (c.Waiting != CaseWaiting.None)
            {
                blockers.Add("case-waiting");
            }
            else if (c.Status is CaseStatus.Submitted or CaseStatus.UnderReview or CaseStatus.Cancelled)
            {
                blockers.Add("case-not-started");
            }
        }

        return new ComplaintProcessDto(
            complaint.AssessedAt is { } assessedAt
                ? new ComplaintAssessmentDto(complaint.InScope ?? false, complaint.RegulatoryImpact ?? false, complaint.LegalImpact ?? false, complaint.AssessmentNote, Name(complaint.AssessedById), assessedAt)
                : null,
            [.. tasks.Select(t => new ComplaintTaskDto(t.Id, t.Kind, t.Title, t.OwnerId, Name(t.OwnerId) ?? "", t.DueOn, t.Status,
                t.Status == ComplaintTaskStatus.Open && t.DueOn < today, t.Result, Name(t.DoneById), t.DoneAt, t.Version))],
            complaint.CustomerResponse, complaint.CustomerResponseNote, complaint.CustomerResponseAt, lastDay,
            [.. reviews.Select(x => new ComplaintReviewDto(x.PreviousOutcome, x.PreviousRootCause, x.PreviousOutcomeAt, x.Reason, Name(x.OpenedById), x.OpenedAt))],
            complaint.ArchivedAt, blockers);
    }

    /// <summary>Whether the complaint still has an open task (the outcome waits for every task).</summary>
    internal static Task<bool> HasOpenTaskAsync(StewardDbContext db, long complaintId, CancellationToken ct) =>
        db.Set<ComplaintTask>().AnyAsync(t => t.ComplaintId == complaintId && t.Status == ComplaintTaskStatus.Open, ct);

    /// <summary>The last day a decision given by a letter of <paramref name="letterAt"/> may be disputed: 30 days after the letter's local day.</summary>
    internal static DateOnly LastDayOfReview(DateTimeOffset letterAt, string zone) => ComplaintActions.TodayIn(zone, letterAt).AddDays(ReviewWindowDays);

    /// <summary>The case actions that take a case in <paramref name="status"/> to Closed (none when it is closed).</summary>
    private static IEnumerable<CaseAction> CaseStepsToClose(CaseStatus status) => status switch
    {
        CaseStatus.InProgress => [CaseAction.Resolve, CaseAction.Close],
        CaseStatus.Resolved or CaseStatus.FollowUp => [CaseAction.Close],
        _ => [],
    };

    private async Task<Outcome<(Complaint Complaint, Case Case)>> LoadAsync(long id, int? version, CancellationToken ct)
    {
        var loaded = await complaints.LoadForChangeAsync(id, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var complaint = loaded.Value.Complaint;
        if (version is { } expected && complaint.Version != expected)
        {
            return Problems.StaleVersion();
        }

        if (complaint.ArchivedAt is not null)
        {
            return new ComplaintArchived();
        }

        return loaded;
    }

    /// <summary>What a complaint milestone's webhook says: the complaint's and its case's ids and reference, and the milestone's own codes.</summary>
    private static object Milestone(Complaint complaint, Case c, object milestone) =>
        new { complaintId = complaint.Id, caseId = c.Id, reference = c.Reference, branchId = c.BranchId, milestone };

    private void AddTask(Complaint complaint, Case c, ComplaintTaskKind kind, string title, long ownerId, DateOnly dueOn)
    {
        db.Add(new ComplaintTask
        {
            ComplaintId = complaint.Id, Kind = kind, Title = title, OwnerId = ownerId, DueOn = dueOn, Status = ComplaintTaskStatus.Open,
            CreatedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        });
        if (ownerId != user.StaffId)
        {
            var due = dueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            notifications.Raise([ownerId], "complaint.task", $"投诉 {c.Reference} 有一项调查任务交给您，{due} 前完成",
                $"Complaint {c.Reference}: a task for you, due {due}", Link(complaint.Id));
        }
    }

    /// <summary>
    /// A task's owner: an active complaint handler who may see the case's branch (<see cref="ComplaintActions.Owners"/>), who need not recuse themselves
    /// from the complaint (the person complained about, their line manager and the seller may not investigate it).
    /// </summary>
    private async Task CheckOwnerAsync(Dictionary<string, string[]> errors, string field, long? ownerId, Complaint complaint, Case c, CancellationToken ct)
    {
        if (ownerId is not { } owner || !await ComplaintActions.Owners(db, c.BranchId).AnyAsync(s => s.Id == owner, ct))
        {
            errors[field] = ["Choose a staff member of the case's branch. 请选择案件所属机构的员工。"];
            return;
        }

        if ((await ComplaintRecusal.RecusedAsync(db, complaint, ct)).FirstOrDefault(x => x.StaffId == owner && !x.Overridden) is { } recused)
        {
            errors[field] = [new RecusalRequired(recused.Ground).Detail];
        }
    }

    private static void CheckDue(Dictionary<string, string[]> errors, string field, DateOnly? dueOn, DateOnly today)
    {
        if (dueOn is not { } due)
        {
            errors[field] = ["Give the due date. 请填写截止日期。"];
        }
        else if (due < today || due > today.AddDays(366))
        {
            errors[field] = [FormattableString.Invariant($"A day from today ({today:yyyy-MM-dd}) to a year ahead. 截止日期须在今天（{today:yyyy-MM-dd}）至一年之内。")];
        }
    }

    private Task<DateTimeOffset?> FinalLetterAtAsync(Complaint complaint, CancellationToken ct) => FinalLetterAtAsync(db, complaint, ct);

    /// <summary>When the latest final response letter given after the current outcome was written (null: none yet).</summary>
    private static async Task<DateTimeOffset?> FinalLetterAtAsync(StewardDbContext db, Complaint complaint, CancellationToken ct)
    {
        var letters = await db.Set<ComplaintLetter>().AsNoTracking().Where(x => x.ComplaintId == complaint.Id && x.Kind == ComplaintLetterKind.FinalResponse)
            .Select(x => x.CreatedAt).ToListAsync(ct);
        var after = letters.Where(at => complaint.OutcomeAt is not { } outcomeAt || at >= outcomeAt).ToList();
        return after.Count == 0 ? null : after.Max();
    }

    private async Task<DateOnly> TodayAsync(long branchId, CancellationToken ct) =>
        ComplaintActions.TodayIn(await complaints.TimeZoneOfBranchAsync(branchId, ct), time.GetUtcNow());

    private static string Link(long complaintId) => "/Complaints/Details?id=" + complaintId.ToString(CultureInfo.InvariantCulture);
}
