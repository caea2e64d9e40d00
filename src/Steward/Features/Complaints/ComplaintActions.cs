using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>A new corrective action: what, who answers for it, by which local day of the case's branch (today or later).</summary>
public sealed record ComplaintActionRequest(string? Title, string? Description, long? OwnerId, DateOnly? DueOn);

/// <summary>
/// A change of an action's status: to InProgress, Done (with evidence: a note or one of the case's attachments) or Cancelled
/// (with the reason). <see cref="EvidenceNote"/> and <see cref="EvidenceAttachmentId"/> may accompany any change; <see cref="Version"/> is the action's.
/// </summary>
public sealed record ComplaintActionStatusRequest(ComplaintActionStatus? Status, string? EvidenceNote, long? EvidenceAttachmentId, string? Reason, int? Version);

public sealed record ComplaintActionDto(
    long Id, long ComplaintId, long CaseId, string Title, string? Description, long OwnerId, string OwnerName, DateOnly DueOn, ComplaintActionStatus Status, bool Overdue,
    string? CancelReason, string? EvidenceNote, long? EvidenceAttachmentId, string? EvidenceFileName, DateTimeOffset? ClosedAt, string? ClosedBy, DateTimeOffset CreatedAt, int Version);

/// <summary>A complaint's actions, oldest first, and the recurrences it is part of.</summary>
public sealed record ComplaintActionList(IReadOnlyList<ComplaintActionDto> Items, IReadOnlyList<ComplaintRecurrenceDto> Recurrences);

/// <summary>The overview's filter: no status means the open ones (Open and InProgress); <see cref="Overdue"/> keeps only those past their day.</summary>
public sealed record ComplaintActionFilter(ComplaintActionStatus? Status = null, long? OwnerId = null, bool Overdue = false, int Limit = 200);

public sealed record ComplaintActionOverviewItem(
    long Id, long ComplaintId, string CaseReference, string Title, long OwnerId, string OwnerName, DateOnly DueOn, ComplaintActionStatus Status, bool Overdue, bool Recurring);

/// <summary>A staff member who may own an action of a complaint (the page's choices).</summary>
public sealed record ComplaintOwner(long Id, string Name);

/// <summary>Corrective actions follow an upheld or partly upheld outcome only.</summary>
public sealed record ComplaintNotUpheld(ComplaintOutcome? Outcome) : ConflictError(
    "complaint-not-upheld", "The complaint is not upheld 投诉未认定成立",
    Outcome is null
        ? "Record the outcome first: corrective actions follow an upheld or partly upheld complaint. 请先作出处理结论：整改措施仅针对成立或部分成立的投诉。"
        : "Corrective actions follow an upheld or partly upheld complaint; this one is not upheld or was withdrawn. 整改措施仅针对成立或部分成立的投诉，该投诉未认定成立或已撤回。");

/// <summary>No action with that id on the complaint.</summary>
public sealed record ComplaintActionNotFound(long Id) : NotFoundError(
    "complaint-action-not-found", "No such corrective action 整改措施不存在", FormattableString.Invariant($"Corrective action {Id} does not exist. 整改措施不存在。"));

/// <summary>The action is Done or Cancelled: closed actions are not changed again (a new action is added instead).</summary>
public sealed record ComplaintActionClosed() : ConflictError(
    "complaint-action-closed", "The action is closed 整改措施已关闭",
    "This action is done or cancelled and cannot be changed; add a new action if more is needed. 该整改措施已完成或已取消，不能再修改；如需继续整改请新增措施。");

/// <summary>
/// Corrective actions (整改措施) of upheld complaints, tracked to closure (溯源整改, CBIRC 2020 No. 3). An action exists for a
/// reader exactly when its complaint does (the case's visibility, <see cref="ComplaintService.LoadAsync"/>); a change needs
/// <see cref="Permission.ComplaintsHandle"/>. Its owner must be active, handle complaints and see the case's branch (their
/// home or an extra branch, or a role of institution scope), so nobody is made answerable for what they cannot open.
/// Every refusal names its field and leaves nothing written; a stale version is 409.
/// </summary>
public sealed class ComplaintActions(StewardDbContext db, CurrentUser user, ComplaintService complaints, CaseService cases, ComplaintRecurrences recurrences, TimeProvider time)
{
    public async Task<Outcome<ComplaintActionList>> ListAsync(long complaintId, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadAsync(complaintId, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, c) = loaded.Value;
        var today = TodayIn(await complaints.TimeZoneOfBranchAsync(c.BranchId, ct), time.GetUtcNow());
        var rows = await db.Set<ComplaintAction>().AsNoTracking().Where(a => a.ComplaintId == complaint.Id).OrderBy(a => a.Id).ToListAsync(ct);
        var names = await NamesAsync(rows.SelectMany(a => new[] { (long?)a.OwnerId, a.ClosedById }), ct);
        var attachmentIds = rows.Select(a => a.EvidenceAttachmentId).OfType<long>().ToList();
        var files = attachmentIds.Count == 0 ? [] : await db.Set<CaseAttachment>().AsNoTracking().Where(f => attachmentIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.FileName, ct);
        return new ComplaintActionList(
            [.. rows.Select(a => Dto(a, c.Id, today, names, a.EvidenceAttachmentId is { } f ? files.GetValueOrDefault(f) : null))],
            await recurrences.OfAsync(complaint.Id, ct));
    }

    public async Task<Outcome<ComplaintActionDto>> CreateAsync(long complaintId, ComplaintActionRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadForChangeAsync(complaintId, ct, tracked: false);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (complaint, c) = loaded.Value;
        if (complaint.Outcome is not (ComplaintOutcome.Upheld or ComplaintOutcome.PartlyUpheld))
        {
            return new ComplaintNotUpheld(complaint.Outcome);
        }

        var errors = new Dictionary<string, string[]>();
        var title = Text(errors, "title", r.Title, 200, "Say what is to be corrected. 请填写整改事项。");
        var description = Text(errors, "description", r.Description, 2000, null);
        if (r.OwnerId is not { } ownerId)
        {
            errors["ownerId"] = ["Choose who answers for the action. 请选择整改责任人。"];
        }
        else if (!await Owners(db, c.BranchId).AnyAsync(s => s.Id == ownerId, ct))
        {
            errors["ownerId"] = ["Choose an active staff member who handles complaints of this case's branch. 请选择负责该案件所属机构投诉处理的在职员工。"];
        }

        var today = TodayIn(await complaints.TimeZoneOfBranchAsync(c.BranchId, ct), time.GetUtcNow());
        if (r.DueOn is not { } due)
        {
            errors["dueOn"] = ["Choose the day it is due. 请选择整改期限。"];
        }
        else if (due < today)
        {
            errors["dueOn"] = [FormattableString.Invariant($"The due day cannot be in the past (today is {today:yyyy-MM-dd} at the branch). 整改期限不能早于今天（机构当地日期 {today:yyyy-MM-dd}）。")];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var action = new ComplaintAction
        {
            ComplaintId = complaint.Id, Title = title!, Description = description, OwnerId = r.OwnerId!.Value, DueOn = r.DueOn!.Value, Status = ComplaintActionStatus.Open,
            CreatedById = user.StaffId,
        };
        db.Add(action);
        await db.SaveChangesAsync(ct);
        return Dto(action, c.Id, today, await NamesAsync([action.OwnerId], ct), null);
    }

    public async Task<Outcome<ComplaintActionDto>> ChangeStatusAsync(long complaintId, long actionId, ComplaintActionStatusRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadForChangeAsync(complaintId, ct, tracked: false);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (complaint, c) = loaded.Value;
        var action = await db.Set<ComplaintAction>().SingleOrDefaultAsync(a => a.Id == actionId && a.ComplaintId == complaint.Id, ct);
        if (action is null)
        {
            return new ComplaintActionNotFound(actionId);
        }

        if (r.Version is { } expected && action.Version != expected)
        {
            return Problems.StaleVersion();
        }

        if (!ComplaintAction.IsOpen(action.Status))
        {
            return new ComplaintActionClosed();
        }

        var errors = new Dictionary<string, string[]>();
        var status = r.Status;
        if (status is null || status == action.Status || status == ComplaintActionStatus.Open)
        {
            errors["status"] = [action.Status == ComplaintActionStatus.Open
                ? "Choose In progress, Done or Cancelled. 请选择“进行中”“已完成”或“已取消”。"
                : "Choose Done or Cancelled. 请选择“已完成”或“已取消”。"];
        }

        var note = Text(errors, "evidenceNote", r.EvidenceNote, 2000, null);
        string? fileName = null;
        if (r.EvidenceAttachmentId is { } fileId)
        {
            fileName = await db.Set<CaseAttachment>().AsNoTracking().Where(f => f.Id == fileId && f.CaseId == c.Id).Select(f => f.FileName).SingleOrDefaultAsync(ct);
            if (fileName is null)
            {
                errors["evidenceAttachmentId"] = ["Choose one of this case's attachments. 请选择本案件的附件。"];
            }
        }

        if (status == ComplaintActionStatus.Done && note is null && r.EvidenceAttachmentId is null && action.EvidenceNote is null && action.EvidenceAttachmentId is null)
        {
            errors["evidenceNote"] = ["Say what shows the action is done, or choose an attachment of the case. 请填写完成整改的证明，或选择案件附件。"];
        }

        var reason = Text(errors, "reason", r.Reason, 1000, status == ComplaintActionStatus.Cancelled ? "Say why the action is cancelled. 请说明取消整改的原因。" : null);
        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        action.Status = status!.Value;
        action.EvidenceNote = note ?? action.EvidenceNote;
        action.EvidenceAttachmentId = r.EvidenceAttachmentId ?? action.EvidenceAttachmentId;
        if (status == ComplaintActionStatus.Cancelled)
        {
            action.CancelReason = reason;
        }

        if (!ComplaintAction.IsOpen(action.Status))
        {
            action.ClosedAt = time.GetUtcNow();
            action.ClosedById = user.StaffId;
        }

        await db.SaveChangesAsync(ct);
        var today = TodayIn(await complaints.TimeZoneOfBranchAsync(c.BranchId, ct), time.GetUtcNow());
        fileName ??= action.EvidenceAttachmentId is { } f ? await db.Set<CaseAttachment>().Where(x => x.Id == f).Select(x => x.FileName).SingleOrDefaultAsync(ct) : null;
        return Dto(action, c.Id, today, await NamesAsync([action.OwnerId, action.ClosedById], ct), fileName);
    }

    /// <summary>
    /// Actions across the complaints the reader may see: by default the open ones, overdue first, then by due day. Overdue is
    /// judged by each case's branch's own day; at most <see cref="ComplaintActionFilter.Limit"/> (1–500) by due day.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<ComplaintActionOverviewItem>>> OverviewAsync(ComplaintActionFilter filter, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintsHandle))
        {
            return new ComplaintActionForbidden();
        }

        var visible = cases.Visible(await cases.ViewerAsync(ct));
        var query = from a in db.Set<ComplaintAction>().AsNoTracking()
                    join x in db.Set<Complaint>() on a.ComplaintId equals x.Id
                    join c in visible on x.CaseId equals c.Id
                    join b in db.Set<Organisation.Branch>() on c.BranchId equals b.Id
                    join s in db.Set<Staff>() on a.OwnerId equals s.Id
                    select new { a, c.Reference, b.TimeZone, Owner = s.DisplayName };
        query = filter.Status is { } status
            ? query.Where(q => q.a.Status == status)
            : query.Where(q => q.a.Status == ComplaintActionStatus.Open || q.a.Status == ComplaintActionStatus.InProgress);
        if (filter.OwnerId is { } owner)
        {
            query = query.Where(q => q.a.OwnerId == owner);
        }

        var now = time.GetUtcNow();
        if (filter.Overdue)
        {
            // No zone is more than a day ahead of UTC: nothing due on or after UTC's tomorrow is overdue anywhere yet.
            var latest = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
            query = query.Where(q => q.a.DueOn < latest);
        }

        var rows = await query.OrderBy(q => q.a.DueOn).ThenBy(q => q.a.Id).Take(Math.Clamp(filter.Limit, 1, 500)).ToListAsync(ct);
        var recurring = await recurrences.RecurringAsync([.. rows.Select(q => q.a.ComplaintId)], ct);
        return rows
            .Select(q => new ComplaintActionOverviewItem(q.a.Id, q.a.ComplaintId, q.Reference, q.a.Title, q.a.OwnerId, q.Owner, q.a.DueOn, q.a.Status,
                IsOverdue(q.a.Status, q.a.DueOn, TodayIn(q.TimeZone, now)), recurring.Contains(q.a.ComplaintId)))
            .Where(i => !filter.Overdue || i.Overdue)
            .OrderBy(i => !i.Overdue).ThenBy(i => i.DueOn).ThenBy(i => i.Id)
            .ToList();
    }

    /// <summary>Who may own an action of a complaint whose case is in <paramref name="branchId"/>, by name.</summary>
    public async Task<IReadOnlyList<ComplaintOwner>> OwnersAsync(long branchId, CancellationToken ct = default) =>
        await Owners(db, branchId).OrderBy(s => s.DisplayName).ThenBy(s => s.Id).Select(s => new ComplaintOwner(s.Id, s.DisplayName)).ToListAsync(ct);

    /// <summary>The case's attachments, offered as evidence.</summary>
    public async Task<IReadOnlyList<(long Id, string FileName)>> AttachmentsAsync(long caseId, CancellationToken ct = default) =>
        (await db.Set<CaseAttachment>().AsNoTracking().Where(f => f.CaseId == caseId).OrderBy(f => f.Id).Select(f => new { f.Id, f.FileName }).ToListAsync(ct))
            .Select(f => (f.Id, f.FileName)).ToList();

    /// <summary>The local day of <paramref name="zone"/> (an IANA id; UTC when unknown) at <paramref name="now"/>.</summary>
    public static DateOnly TodayIn(string zone, DateTimeOffset now)
    {
        var tz = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, tz).DateTime);
    }

    /// <summary>Open (or in progress) and its due day is over: due on the 10th, it is overdue from the 11th, local time.</summary>
    public static bool IsOverdue(ComplaintActionStatus status, DateOnly dueOn, DateOnly today) => ComplaintAction.IsOpen(status) && dueOn < today;

    /// <summary>Who may own a task or an action of a complaint in <paramref name="branchId"/>: active complaint handlers who may see the branch.</summary>
    internal static IQueryable<Staff> Owners(StewardDbContext db, long branchId)
    {
        var handling = Enum.GetValues<StaffRole>().Where(role => RolePermissions.Grants([role], Permission.ComplaintsHandle)).ToList();
        var wide = Enum.GetValues<StaffRole>().Where(RolePermissions.HasInstitutionScope).ToList();
        return db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(x => handling.Contains(x.Role))
            && (s.HomeBranchId == branchId || s.ExtraBranches.Any(x => x.BranchId == branchId) || s.Roles.Any(x => wide.Contains(x.Role))));
    }

    private static ComplaintActionDto Dto(ComplaintAction a, long caseId, DateOnly today, Dictionary<long, string> names, string? fileName) => new(
        a.Id, a.ComplaintId, caseId, a.Title, a.Description, a.OwnerId, names.GetValueOrDefault(a.OwnerId, ""), a.DueOn, a.Status, IsOverdue(a.Status, a.DueOn, today),
        a.CancelReason, a.EvidenceNote, a.EvidenceAttachmentId, fileName, a.ClosedAt, a.ClosedById is { } s ? names.GetValueOrDefault(s) : null, a.CreatedAt, a.Version);

    private async Task<Dictionary<long, string>> NamesAsync(IEnumerable<long?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<long>().Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.Set<Staff>().AsNoTracking().Where(s => wanted.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
    }

    /// <summary>The trimmed text (null when empty); a message at <paramref name="field"/> when it is missing and <paramref name="missing"/> is given, or too long.</summary>
    private static string? Text(Dictionary<string, string[]> errors, string field, string? value, int max, string? missing)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (missing is not null)
            {
                errors[field] = [missing];
            }

            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [FormattableString.Invariant($"Up to {max} characters. 不超过 {max} 字。")];
        }

        return text;
    }
}
