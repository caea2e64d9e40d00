using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>CSAT and NPS of one period (before or after a proposal was done).</summary>
public sealed record SurveyPeriodFigures(DateOnly From, DateOnly To, SurveyFigure Csat, SurveyFigure Nps);

public sealed record SurveyImprovementDto(
    long Id, long? BranchId, string? Segment, string Title, string Proposal, SurveyStandardKind StandardKind, string StandardRef, long OwnerId, string OwnerName,
    DateOnly DueOn, SurveyImprovementStatus Status, bool Overdue, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, string? DoneNote, int Version,
    SurveyPeriodFigures? Before, SurveyPeriodFigures? After);

/// <summary>An improvement proposal: against which standard, who owns it, by when (a local day); <see cref="BranchId"/> null: every branch.</summary>
public sealed record SurveyImprovementRequest(
    string? Title, string? Proposal, SurveyStandardKind? StandardKind, string? StandardRef, long? OwnerId, DateOnly? DueOn, long? BranchId, string? Segment);

public sealed record SurveyImprovementDoneRequest(string? Note, int Version);

/// <summary>
/// The outer loop (持续改进, decision 0054): proposals to revise a service standard found from the analysis, tracked to done.
/// Readers of reports see those of their branches (and the institution-wide ones); team leads, branch managers and the
/// standards' administrators record and complete them. A done proposal shows CSAT and NPS for the
/// <see cref="ComparisonDays"/> days before its done day and since, in its branch (or everywhere), each with n and its interval.
/// </summary>
public sealed class SurveyImprovements(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    public const int ComparisonDays = 90;

    public bool CanManage => user.Can(Permission.CasesAssign) || user.Can(Permission.StandardsManage);

    public async Task<IReadOnlyList<SurveyImprovementDto>> ListAsync(CancellationToken ct = default)
    {
        var rows = await Visible().OrderBy(i => i.Status).ThenBy(i => i.DueOn).ThenBy(i => i.Id).Take(200).ToListAsync(ct);
        var owners = await NamesAsync(rows.Select(r => r.OwnerId), ct);
        var result = new List<SurveyImprovementDto>();
        foreach (var r in rows)
        {
            result.Add(await DtoAsync(r, owners, ct));
        }

        return result;
    }

    public async Task<Outcome<SurveyImprovementDto>> CreateAsync(SurveyImprovementRequest r, CancellationToken ct = default)
    {
        if (!CanManage)
        {
            return new SurveyImprovementForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var title = r.Title?.Trim() ?? "";
        var proposal = r.Proposal?.Trim() ?? "";
        var standard = r.StandardRef?.Trim() ?? "";
        if (title.Length is 0 or > 200)
        {
            errors["title"] = ["Give the proposal a title (at most 200 characters). 请填写提案标题（最多 200 字）。"];
        }

        if (proposal.Length is 0 or > 4000)
        {
            errors["proposal"] = ["Describe the finding and the change proposed (at most 4000 characters). 请说明发现的问题和拟议的修改（最多 4000 字）。"];
        }

        if (r.StandardKind is null || !Enum.IsDefined(r.StandardKind.Value))
        {
            errors["standardKind"] = ["Choose the kind of standard: an SLA rule, a blueprint step or a script. 请选择标准类型：时限规则、服务蓝图步骤或话术。"];
        }

        if (standard.Length is 0 or > 200)
        {
            errors["standardRef"] = ["Name the standard to revise (at most 200 characters). 请填写要修订的标准名称（最多 200 字）。"];
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (r.DueOn is not { } due || due < today)
        {
            errors["dueOn"] = ["Give a due date from today on. 请填写今天或以后的截止日期。"];
        }

        if (r.OwnerId is not { } ownerId || !await db.Set<Staff>().AnyAsync(s => s.Id == ownerId && s.IsActive, ct))
        {
            errors["ownerId"] = ["Choose an active member of staff as the owner. 请选择一名在职员工作为负责人。"];
        }

        if (r.BranchId is { } branchId ? !user.CanSeeBranch(branchId) : !user.HasInstitutionScope)
        {
            errors["branchId"] = ["Choose one of your branches. 请选择您所在的网点。"];
        }

        if (errors.Count > 0)
        {
            return new SurveyAnswersInvalid(errors);
        }

        var row = new SurveyImprovement
        {
            BranchId = r.BranchId, Segment = string.IsNullOrWhiteSpace(r.Segment) ? null : r.Segment.Trim()[..Math.Min(100, r.Segment.Trim().Length)], Title = title,
            Proposal = proposal, StandardKind = r.StandardKind!.Value, StandardRef = standard, OwnerId = r.OwnerId!.Value, DueOn = r.DueOn!.Value,
            Status = SurveyImprovementStatus.Open, CreatedAt = time.GetUtcNow(), CreatedById = user.StaffId,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return await DtoAsync(row, await NamesAsync([row.OwnerId], ct), ct);
    }

    public async Task<Outcome<SurveyImprovementDto>> CompleteAsync(long id, SurveyImprovementDoneRequest r, CancellationToken ct = default)
    {
        var row = await Visible(tracked: true).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            return new SurveyImprovementNotFound(id);
        }

        if (!CanManage && row.OwnerId != user.StaffId)
        {
            return new SurveyImprovementForbidden();
        }

        if (row.Version != r.Version)
        {
            return Problems.StaleVersion();
        }

        var note = r.Note?.Trim() ?? "";
        if (note.Length is 0 or > 2000)
        {
            return new SurveyAnswersInvalid(new Dictionary<string, string[]> { ["note"] = ["Say what was changed in the standard (at most 2000 characters). 请说明标准做了哪些修改（最多 2000 字）。"] });
        }

        if (row.Status == SurveyImprovementStatus.Done)
        {
            return await DtoAsync(row, await NamesAsync([row.OwnerId], ct), ct);
        }

        (row.Status, row.DoneAt, row.DoneNote) = (SurveyImprovementStatus.Done, time.GetUtcNow(), note);
        await db.SaveChangesAsync(ct);
        return await DtoAsync(row, await NamesAsync([row.OwnerId], ct), ct);
    }

    private IQueryable<SurveyImprovement> Visible(bool tracked = false)
    {
        var set = tracked ? db.Set<SurveyImprovement>() : db.Set<SurveyImprovement>().AsNoTracking();
        if (user.HasInstitutionScope)
        {
            return set;
        }

        var ids = user.BranchIds.ToList();
        return set.Where(i => i.BranchId == null || ids.Contains(i.BranchId.Value));
    }

    private async Task<Dictionary<long, string>> NamesAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Set<Staff>().AsNoTracking().Where(s => list.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
    }

    private async Task<SurveyImprovementDto> DtoAsync(SurveyImprovement r, Dictionary<long, string> owners, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        SurveyPeriodFigures? before = null, after = null;
        if (r.DoneAt is { } done)
        {
            var doneDay = DateOnly.FromDateTime(done.UtcDateTime);
            before = await FiguresAsync(r.BranchId, doneDay.AddDays(-ComparisonDays), doneDay.AddDays(-1), ct);
            after = await FiguresAsync(r.BranchId, doneDay, today, ct);
        }

        return new SurveyImprovementDto(r.Id, r.BranchId, r.Segment, r.Title, r.Proposal, r.StandardKind, r.StandardRef, r.OwnerId, owners.GetValueOrDefault(r.OwnerId, ""),
            r.DueOn, r.Status, r.Status == SurveyImprovementStatus.Open && r.DueOn < today, r.CreatedAt, r.DoneAt, r.DoneNote, r.Version, before, after);
    }

    /// <summary>CSAT and NPS of the responses submitted from <paramref name="from"/> to <paramref name="to"/> (UTC days, inclusive).</summary>
    private async Task<SurveyPeriodFigures> FiguresAsync(long? branchId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var q = db.Set<SurveyResponse>().AsNoTracking().Where(x => x.SubmittedAt >= start && x.SubmittedAt < end);
        q = branchId is { } b ? q.Where(x => x.BranchId == b) : q;
        var scores = await q.Select(x => new { x.Csat, x.Nps }).ToListAsync(ct);
        return new SurveyPeriodFigures(from, to, SurveyStatistics.Csat([.. scores.Where(s => s.Csat is not null).Select(s => s.Csat!.Value)]),
            SurveyStatistics.Nps([.. scores.Where(s => s.Nps is not null).Select(s => s.Nps!.Value)]));
    }
}
