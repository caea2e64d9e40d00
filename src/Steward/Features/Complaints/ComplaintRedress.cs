using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>Root cause and outcome of a complaint, and the decision to record them.</summary>
public sealed record ComplaintOutcomeRequest(ComplaintOutcome? Outcome, string? RootCause, int? Version);

/// <summary>A remedy proposed on a complaint: money remedies (fee refund, compensation, goodwill, interest) need an amount, the others none.</summary>
public sealed record ComplaintRemedyRequest(RemedyKind? Kind, decimal? Amount, string? Note);

public sealed record ComplaintRemedyDto(
    long Id, RemedyKind Kind, decimal? Amount, string Currency, string? Note, RemedyStatus Status, RemedyApproverLevel ApproverLevel,
    string? ProposedBy, DateTimeOffset ProposedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, int Version, long? ProposedById);

/// <summary>The outcome is already recorded (a change of outcome is a review, not an edit).</summary>
public sealed record ComplaintOutcomeRecorded() : ConflictError(
    "complaint-outcome-recorded", "The outcome is already recorded 已作出处理结论", "The complaint already has its outcome. 该投诉已有处理结论。");

/// <summary>The approver's limit does not cover the remedy (or they proposed it themselves).</summary>
public sealed record RemedyApprovalNotAllowed(RemedyApproverLevel Needed) : ForbiddenError(
    "remedy-approval-limit", "Above your approval limit 超出您的审批权限",
    FormattableString.Invariant($"This remedy needs approval at level {Needed}, by someone other than its proposer. 该补救须由{LevelZh(Needed)}审批，且不能由提出人本人审批。"))
{
    private static string LevelZh(RemedyApproverLevel level) => level switch
    {
        RemedyApproverLevel.Handler => "处理人",
        RemedyApproverLevel.BranchManager => "支行行长",
        RemedyApproverLevel.Compliance => "合规部门",
    };
}

/// <summary>No pending remedy with that id on the complaint.</summary>
public sealed record RemedyNotPending(long Id) : ConflictError(
    "remedy-not-pending", "Nothing to approve 无待审批的补救", FormattableString.Invariant($"Remedy {Id} is not waiting for approval. 补救 {Id} 不在待审批状态。"));

/// <summary>
/// Outcome and redress. An outcome needs a root cause (溯源整改, CBIRC 2020 No. 3: find and fix the cause, not only the
/// case). A remedy is approved at once when its amount is within the proposer's limit (<see cref="ComplaintOptions"/>:
/// handler, branch manager, compliance unlimited); above it, it waits for an approver whose limit covers it, who is not the
/// proposer. Every refusal leaves nothing written.
/// </summary>
public sealed class ComplaintRedress(
    StewardDbContext db, CurrentUser user, ComplaintService complaints, ComplaintRecurrences recurrences, IOptions<ComplaintOptions> options, TimeProvider time)
{
    public async Task<Outcome<ComplaintDto>> DecideAsync(long id, ComplaintOutcomeRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadForChangeAsync(id, ct);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, c) = loaded.Value;
        if (r.Version is { } expected && complaint.Version != expected)
        {
            return Problems.StaleVersion();
        }

        if (complaint.ArchivedAt is not null)
        {
            return new ComplaintArchived();
        }

        if (complaint.Outcome is not null)
        {
            return new ComplaintOutcomeRecorded();
        }

        var errors = new Dictionary<string, string[]>();
        if (await ComplaintProcess.HasOpenTaskAsync(db, id, ct))
        {
            errors["outcome"] = ["Finish the open investigation tasks first. 请先完成进行中的调查任务。"];
        }

        var rootCause = string.IsNullOrWhiteSpace(r.RootCause) ? complaint.RootCause : r.RootCause.Trim();
        if (string.IsNullOrEmpty(rootCause))
        {
            errors["rootCause"] = ["Record the root cause before the outcome. 请先填写根本原因，再作出处理结论。"];
        }
        else if (rootCause.Length > 2000)
        {
            errors["rootCause"] = ["Up to 2000 characters. 不超过 2000 字。"];
        }

        if (r.Outcome is null)
        {
            errors["outcome"] = ["Choose the outcome. 请选择处理结论。"];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        complaint.RootCause = rootCause;
        complaint.Outcome = r.Outcome;
        complaint.OutcomeAt = time.GetUtcNow();
        complaint.OutcomeById = user.StaffId;
        await recurrences.DetectAsync(complaint, c, ct); // saved with the outcome (decision 0037)
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    public async Task<Outcome<ComplaintDto>> ProposeAsync(long id, ComplaintRemedyRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadForChangeAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, _) = loaded.Value;
        if (complaint.ArchivedAt is not null)
        {
            return new ComplaintArchived();
        }

        var errors = new Dictionary<string, string[]>();
        if (r.Kind is not { } kind)
        {
            errors["kind"] = ["Choose the remedy. 请选择补救方式。"];
        }
        else if (ComplaintRemedy.IsMoney(kind))
        {
            if (r.Amount is not { } amount || amount <= 0 || !ComplaintService.ValidAmount(amount))
            {
                errors["amount"] = ["An amount above 0 with at most 2 decimals. 金额须大于 0，最多两位小数。"];
            }
        }
        else if (r.Amount is not null)
        {
            errors["amount"] = ["An apology or a process fix has no amount. 道歉和流程改进不填金额。"];
        }

        var note = r.Note?.Trim();
        if (note is { Length: > 1000 })
        {
            errors["note"] = ["Up to 1000 characters. 不超过 1000 字。"];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var needed = options.Value.LevelFor(r.Amount);
        var approved = LevelOf(user.Roles) >= needed;
        var now = time.GetUtcNow();
        db.Add(new ComplaintRemedy
        {
            ComplaintId = complaint.Id, Kind = r.Kind!.Value, Amount = r.Amount, Currency = complaint.Currency, Note = string.IsNullOrEmpty(note) ? null : note,
            Status = approved ? RemedyStatus.Approved : RemedyStatus.PendingApproval, ApproverLevel = needed,
            ProposedById = user.StaffId, ProposedAt = now, ApprovedById = approved ? user.StaffId : null, ApprovedAt = approved ? now : null,
        });
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    public async Task<Outcome<ComplaintDto>> ApproveAsync(long id, long remedyId, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadForChangeAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var remedy = await db.Set<ComplaintRemedy>().SingleOrDefaultAsync(x => x.Id == remedyId && x.ComplaintId == id, ct);
        if (remedy is not { Status: RemedyStatus.PendingApproval })
        {
            return new RemedyNotPending(remedyId);
        }

        if (!MayApprove(user, remedy.ApproverLevel, remedy.ProposedById))
        {
            return new RemedyApprovalNotAllowed(remedy.ApproverLevel);
        }

        remedy.Status = RemedyStatus.Approved;
        remedy.ApprovedById = user.StaffId;
        remedy.ApprovedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return await complaints.GetAsync(id, ct);
    }

    /// <summary>The remedies of a complaint, in the order proposed, with the names of who proposed and approved them.</summary>
    internal static async Task<IReadOnlyList<ComplaintRemedyDto>> OfAsync(StewardDbContext db, long complaintId, CancellationToken ct)
    {
        var rows = await db.Set<ComplaintRemedy>().AsNoTracking().Where(x => x.ComplaintId == complaintId).OrderBy(x => x.Id).ToListAsync(ct);
        var ids = rows.SelectMany(x => new[] { x.ProposedById, x.ApprovedById }).OfType<long>().Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.Set<Staff>().AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        return [.. rows.Select(x => new ComplaintRemedyDto(x.Id, x.Kind, x.Amount, x.Currency, x.Note, x.Status, x.ApproverLevel,
            x.ProposedById is { } p ? names.GetValueOrDefault(p) : null, x.ProposedAt, x.ApprovedById is { } a ? names.GetValueOrDefault(a) : null, x.ApprovedAt, x.Version, x.ProposedById))];
    }

    /// <summary>Whether <paramref name="user"/> may approve a remedy needing <paramref name="needed"/>: their limit covers it and they did not propose it.</summary>
    internal static bool MayApprove(CurrentUser user, RemedyApproverLevel needed, long? proposedById) =>
        LevelOf(user.Roles) >= needed && proposedById != user.StaffId;

    /// <summary>The highest approval level of the roles: compliance, then branch manager, else handler.</summary>
    internal static RemedyApproverLevel LevelOf(IReadOnlyList<StaffRole> roles) =>
        roles.Contains(StaffRole.Compliance) ? RemedyApproverLevel.Compliance
        : roles.Contains(StaffRole.BranchManager) ? RemedyApproverLevel.BranchManager
        : RemedyApproverLevel.Handler;
}
