using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Suitability;
using Steward.Features.Surveys;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>
/// Sampling plans and their draws (decision 0048). Inspectors keep the plans and draw across the institution; the periodic job
/// draws each active plan's period once it has ended. The pool of a period: the cases of the plan's branches resolved (or
/// closed) in it, with an assignee (the staff member sampled), never sampled before and not reviewed. A case is in one sample
/// ever (a unique case id), so a later draw never picks a case an earlier one picked or removed.
/// </summary>
public sealed class QualitySampling(StewardDbContext db, CurrentUser user, TimeProvider time, IOptions<QualityOptions> options,
    QualityRectifications rectifications, ILogger<QualitySampling> logger)
{
    public const string JobName = "quality-sampling";

    public const int MaxName = 200;

    public const int MaxReason = 2000;

    public async Task<IReadOnlyList<QaPlanDto>> ListPlansAsync(CancellationToken ct = default) =>
        [.. (await db.Set<QualitySamplingPlan>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct)).Select(ToDto)];

    public async Task<Outcome<QaPlanDto>> GetPlanAsync(long id, CancellationToken ct = default) =>
        await db.Set<QualitySamplingPlan>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } plan ? ToDto(plan) : new QaPlanNotFound();

    public async Task<Outcome<QaPlanDto>> CreatePlanAsync(QaPlanRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return new QaNotInspector();
        }

        var plan = new QualitySamplingPlan { CreatedById = user.StaffId };
        var errors = await ApplyAsync(plan, r, ct);
        if (errors.Count > 0)
        {
            return new QaPlanInvalid(errors);
        }

        db.Add(plan);
        await db.SaveChangesAsync(ct);
        return ToDto(plan);
    }

    public async Task<Outcome<QaPlanDto>> UpdatePlanAsync(long id, QaPlanRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return new QaNotInspector();
        }

        var plan = await db.Set<QualitySamplingPlan>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null)
        {
            return new QaPlanNotFound();
        }

        var errors = await ApplyAsync(plan, r, ct);
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new QaPlanInvalid(errors);
        }

        await db.SaveChangesAsync(ct);
        return ToDto(plan);
    }

    /// <summary>Checks every field and, only when all are right, sets them on <paramref name="plan"/>; the errors by field otherwise.</summary>
    private async Task<Dictionary<string, string[]>> ApplyAsync(QualitySamplingPlan plan, QaPlanRequest r, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = r.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxName)
        {
            errors["name"] = ["Give the plan a name (at most 200 characters). 请填写方案名称（不超过 200 个字符）。"];
        }

        if (r.Cycle is not { } cycle || !Enum.IsDefined(cycle))
        {
            errors["cycle"] = ["Choose the cycle: daily, weekly or monthly. 请选择抽样周期：每日、每周或每月。"];
        }

        if (r.RandomPercent is not { } percent || percent < 0 || percent > 100 || decimal.Round(percent, 2) != percent)
        {
            errors["randomPercent"] = ["Give the random percentage from 0 to 100 (at most two decimals). 随机抽样比例须在 0 到 100 之间（最多两位小数）。"];
        }

        if (r.MinimumPerStaff is not { } minimum || minimum < 0 || minimum > 1000)
        {
            errors["minimumPerStaff"] = ["Give the minimum per staff member from 0 to 1 000. 每人最少抽样数须在 0 到 1000 之间。"];
        }

        if (r.TargetedPerStaff is not { } perStaff || perStaff < 0 || perStaff > 1000)
        {
            errors["targetedPerStaff"] = ["Give the cases per flagged staff member from 0 to 1 000. 每名重点人员抽样数须在 0 到 1000 之间。"];
        }

        var rules = (r.Rules ?? []).Select(x => (x ?? "").Trim()).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (rules.FirstOrDefault(x => !QaSamplingRules.All.Contains(x)) is { } unknown)
        {
            errors["rules"] = [$"There is no targeted rule “{unknown}”. 没有名为“{unknown}”的重点抽样规则。"];
        }

        var branches = (r.BranchIds ?? []).Distinct().Order().ToList();
        if (branches.Count > 0 && await db.Set<Branch>().CountAsync(b => branches.Contains(b.Id), ct) != branches.Count)
        {
            errors["branchIds"] = ["Choose existing branches (or none: every branch). 请选择已有网点（不选则为全部网点）。"];
        }

        if (r.PassThreshold is not { } threshold || threshold < 0 || threshold > 100 || decimal.Round(threshold, 2) != threshold)
        {
            errors["passThreshold"] = ["Give the pass threshold from 0 to 100 (at most two decimals). 合格分数线须在 0 到 100 之间（最多两位小数）。"];
        }

        var zone = string.IsNullOrWhiteSpace(r.TimeZone) ? "Asia/Shanghai" : r.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors["timeZone"] = ["Give a time zone such as Asia/Shanghai. 请填写时区，例如 Asia/Shanghai。"];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        plan.Name = name;
        plan.Cycle = r.Cycle!.Value;
        plan.RandomPercent = r.RandomPercent!.Value;
        plan.MinimumPerStaff = r.MinimumPerStaff!.Value;
        plan.TargetedPerStaff = r.TargetedPerStaff!.Value;
        plan.Rules = string.Join(',', QaSamplingRules.All.Where(rules.Contains));
        plan.BranchIds = string.Join(',', branches);
        plan.PassThreshold = r.PassThreshold!.Value;
        plan.TimeZone = zone;
        plan.IsActive = r.IsActive ?? true;
        return errors;
    }

    /// <summary>The period of <paramref name="plan"/> that starts on local date <paramref name="start"/>, as UTC instants; null if it is no period start of the cycle.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Period(QualitySamplingPlan plan, DateOnly start)
    {
        if ((plan.Cycle == QaCycle.Weekly && start.DayOfWeek != DayOfWeek.Monday) || (plan.Cycle == QaCycle.Monthly && start.Day != 1))
        {
            return null;
        }

        var end = plan.Cycle switch { QaCycle.Daily => start.AddDays(1), QaCycle.Weekly => start.AddDays(7), _ => start.AddMonths(1) };
        var zone = TimeZoneInfo.FindSystemTimeZoneById(plan.TimeZone);
        return (Midnight(start, zone), Midnight(end, zone));
    }

    /// <summary>The start (local date) of the last period of <paramref name="plan"/> that has ended by <paramref name="now"/>.</summary>
    public static DateOnly LastEnded(QualitySamplingPlan plan, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(plan.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return plan.Cycle switch
        {
            QaCycle.Daily => today.AddDays(-1),
            QaCycle.Weekly => today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 7),
            _ => new DateOnly(today.Year, today.Month, 1).AddMonths(-1),
        };
    }

    /// <summary>The seed a draw uses unless told: plan id × 100 000 + the period start's day number (days since 0001-01-01).</summary>
    public static long DefaultSeed(long planId, DateOnly start) => (planId * 100_000) + start.DayNumber;

    private static DateTimeOffset Midnight(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public async Task<Outcome<QaDrawPreviewDto>> PreviewAsync(long planId, QaDrawRequest r, CancellationToken ct = default)
    {
        var found = await PlanPeriodAsync(planId, r, ct);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var (plan, seed, period) = found.Value;

        var (pool, picks) = await SelectAsync(plan, period.Start, period.End, seed, ct);
        return new QaDrawPreviewDto(period.Start, period.End, seed, pool, picks);
    }

    /// <summary>The plan, the seed and the period a preview or a draw asks for (the last ended one when none is given), or why not.</summary>
    private async Task<Outcome<(QualitySamplingPlan Plan, long Seed, (DateTimeOffset Start, DateTimeOffset End) Period)>> PlanPeriodAsync(
        long planId, QaDrawRequest r, CancellationToken ct)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return new QaNotInspector();
        }

        var plan = await db.Set<QualitySamplingPlan>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return new QaPlanNotFound();
        }

        var start = r.PeriodStart ?? LastEnded(plan, time.GetUtcNow());
        if (Period(plan, start) is not { } period)
        {
            return PeriodInvalid(plan);
        }

        return (plan, r.Seed ?? DefaultSeed(plan.Id, start), period);
    }

    public async Task<Outcome<QaDrawDto>> DrawAsync(long planId, QaDrawRequest r, CancellationToken ct = default)
    {
        var found = await PlanPeriodAsync(planId, r, ct);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var (plan, seed, period) = found.Value;

        if (period.Start > time.GetUtcNow())
        {
            return new QaPlanInvalid(new Dictionary<string, string[]> { ["periodStart"] = ["The period has not begun yet. 该周期尚未开始。"] });
        }

        var draw = await DrawCoreAsync(plan, period.Start, period.End, seed, user.StaffId, ct);
        return draw is null ? new QaAlreadyDrawn(period.Start) : await GetDrawAsync(draw.Id, ct);
    }

    private static QaPlanInvalid PeriodInvalid(QualitySamplingPlan plan) => new(new Dictionary<string, string[]>
    {
        ["periodStart"] = [plan.Cycle switch
        {
            QaCycle.Weekly => "A weekly period starts on a Monday. 每周周期须从星期一开始。",
            QaCycle.Monthly => "A monthly period starts on the 1st. 每月周期须从 1 日开始。",
            _ => "Give the period's first day. 请填写周期的第一天。",
        }],
    });

    /// <summary>Draws and stores the sample, all or nothing; null when the period was drawn already (here or on another node).</summary>
    private async Task<QualitySampleDraw?> DrawCoreAsync(QualitySamplingPlan plan, DateTimeOffset start, DateTimeOffset end, long seed, long? by, CancellationToken ct)
    {
        if (await db.Set<QualitySampleDraw>().AnyAsync(d => d.PlanId == plan.Id && d.PeriodStart == start, ct))
        {
            return null;
        }

        var (pool, picks) = await SelectAsync(plan, start, end, seed, ct);
        var now = time.GetUtcNow();
        var draw = new QualitySampleDraw { PlanId = plan.Id, PeriodStart = start, PeriodEnd = end, Seed = seed, DrawnAt = now, DrawnById = by, PoolSize = pool, ItemCount = picks.Count };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            db.Add(draw);
            await db.SaveChangesAsync(ct);
            db.AddRange(picks.Select(p => new QualitySampleItem
            {
                DrawId = draw.Id, CaseId = p.CaseId, StaffId = p.StaffId, Reason = p.Reason, Rule = p.Rule, Status = QaSampleItemStatus.Pending, CreatedAt = now,
            }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same period drawn at once elsewhere (the unique plan and period), or a case sampled meanwhile: nothing kept.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return null;
        }

        return draw;
    }

    /// <summary>The pool's size and the cases the draw picks (<see cref="QaSampleSelection"/>).</summary>
    private async Task<(int Pool, IReadOnlyList<QaPick> Picks)> SelectAsync(QualitySamplingPlan plan, DateTimeOffset start, DateTimeOffset end, long seed, CancellationToken ct)
    {
        var rules = plan.RuleList;
        var branches = plan.BranchList;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(plan.TimeZone);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end.AddTicks(-1), zone).DateTime);
        var born65 = lastDay.AddYears(-65);
        var aged = rules.Contains(QaSamplingRules.Aged65);
        var risky = rules.Contains(QaSamplingRules.HighRiskProduct);
        var query = db.Set<Case>().AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Resolved || c.Status == CaseStatus.Closed) && c.AssigneeId != null
                && (c.ResolvedAt ?? c.ClosedAt) >= start && (c.ResolvedAt ?? c.ClosedAt) < end
                && !db.Set<QualitySampleItem>().Any(i => i.CaseId == c.Id) && !db.Set<QualityReview>().Any(r => r.CaseId == c.Id));
        if (branches.Count > 0)
        {
            query = query.Where(c => branches.Contains(c.BranchId));
        }

        var rows = await query.Select(c => new
        {
            c.Id, Staff = c.AssigneeId!.Value, c.CreatedAt, Done = c.ResolvedAt ?? c.ClosedAt,
            Aged = aged && c.CustomerId != null && db.Set<Customer>().Any(x => x.Id == c.CustomerId && x.BirthDate != null && x.BirthDate <= born65),
            Risky = risky && ((c.ProductId != null && db.Set<Product>().Any(p => p.Id == c.ProductId && (p.RiskLevel == ProductRiskLevel.R4 || p.RiskLevel == ProductRiskLevel.R5)))
                || (c.CustomerId != null && db.Set<SuitabilityDecision>().Any(d => d.CustomerId == c.CustomerId && d.StaffId == c.AssigneeId && d.CreatedAt >= start && d.CreatedAt < end
                    && db.Set<Product>().Any(p => p.Id == d.ProductId && (p.RiskLevel == ProductRiskLevel.R4 || p.RiskLevel == ProductRiskLevel.R5))))),
        }).ToListAsync(ct);

        // Fast: handled (created → resolved) in less than the set share of the pool's median handling time.
        var fastBelow = TimeSpan.MaxValue;
        if (rules.Contains(QaSamplingRules.FastResolution) && rows.Count > 0)
        {
            var times = rows.Select(x => (x.Done!.Value - x.CreatedAt).Ticks).Order().ToList();
            var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
            fastBelow = TimeSpan.FromTicks(median * options.Value.FastResolutionPercent / 100);
        }

        var pool = rows.Select(x => new QaPoolCase(x.Id, x.Staff, [
            .. x.Aged ? [QaSamplingRules.Aged65] : Array.Empty<string>(),
            .. x.Risky ? [QaSamplingRules.HighRiskProduct] : Array.Empty<string>(),
            .. x.Done!.Value - x.CreatedAt < fastBelow ? [QaSamplingRules.FastResolution] : Array.Empty<string>(),
        ])).ToList();

        var staffIds = pool.Select(p => p.StaffId).Distinct().ToList();
        var flagged = new Dictionary<string, IReadOnlySet<long>>();
        if (rules.Contains(QaSamplingRules.NewStaff))
        {
            var since = end.AddDays(-90);
            flagged[QaSamplingRules.NewStaff] = (await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id) && s.CreatedAt > since).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        }

        if (rules.Contains(QaSamplingRules.ComplaintOrDetractor))
        {
            var complained = await db.Set<Complaint>().AsNoTracking().Where(c => c.ReceivedAt >= start && c.ReceivedAt < end)
                .SelectMany(c => new[] { c.SubjectStaffId, c.SellerStaffId }).Where(s => s != null && staffIds.Contains(s.Value)).Select(s => s!.Value).Distinct().ToListAsync(ct);
            var detractors = await db.Set<SurveyResponse>().AsNoTracking()
                .Where(r => r.SubmittedAt >= start && r.SubmittedAt < end && r.Nps != null && r.Nps <= 6 && r.StaffId != null && staffIds.Contains(r.StaffId.Value))
                .Select(r => r.StaffId!.Value).Distinct().ToListAsync(ct);
            flagged[QaSamplingRules.ComplaintOrDetractor] = complained.Concat(detractors).ToHashSet();
        }

        return (pool.Count, QaSampleSelection.Select(pool, rules, flagged, plan.MinimumPerStaff, plan.TargetedPerStaff, plan.RandomPercent, seed));
    }

    public async Task<IReadOnlyList<QaDrawDto>> DrawsAsync(long planId, CancellationToken ct = default) =>
        [.. (await db.Set<QualitySampleDraw>().AsNoTracking().Where(d => d.PlanId == planId).OrderByDescending(d => d.PeriodStart).Take(100).ToListAsync(ct))
            .Select(d => ToDto(d, []))];

    public async Task<Outcome<QaDrawDto>> GetDrawAsync(long id, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return new QaDrawNotFound();
        }

        var draw = await db.Set<QualitySampleDraw>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (draw is null)
        {
            return new QaDrawNotFound();
        }

        var items = await db.Set<QualitySampleItem>().AsNoTracking().Where(i => i.DrawId == id).OrderBy(i => i.Reason).ThenBy(i => i.StaffId).ThenBy(i => i.CaseId).ToListAsync(ct);
        return ToDto(draw, await ItemDtosAsync(db, items, ct));
    }

    /// <summary>The items waiting for a review, oldest first, that <paramref name="inspector"/> did not work on (they are the assignee or creator of none).</summary>
    public async Task<IReadOnlyList<QaSampleItemDto>> PendingAsync(long inspector, int limit, CancellationToken ct = default)
    {
        var items = await db.Set<QualitySampleItem>().AsNoTracking()
            .Where(i => i.Status == QaSampleItemStatus.Pending && i.StaffId != inspector
                && db.Set<Case>().Any(c => c.Id == i.CaseId && c.AssigneeId != inspector && c.CreatedById != inspector))
            .OrderBy(i => i.Id).Take(limit).ToListAsync(ct);
        return await ItemDtosAsync(db, items, ct);
    }

    public async Task<Outcome<QaSampleItemDto>> RemoveItemAsync(long id, QaRemoveItemRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return new QaNotInspector();
        }

        var item = await db.Set<QualitySampleItem>().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (item is null)
        {
            return new QaSampleItemNotFound();
        }

        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Trim().Length > MaxReason)
        {
            return new QaPlanInvalid(new Dictionary<string, string[]> { ["reason"] = ["Say why the case leaves the sample (at most 2 000 characters). 请填写移出抽样的原因（不超过 2000 个字符）。"] });
        }

        if (item.Status != QaSampleItemStatus.Pending)
        {
            return new QaSampleItemClosed(item.Status);
        }

        (item.Status, item.RemovedReason, item.RemovedById, item.RemovedAt) = (QaSampleItemStatus.Removed, r.Reason.Trim(), user.StaffId, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new QaSampleItemClosed(await db.Set<QualitySampleItem>().Where(i => i.Id == id).Select(i => i.Status).SingleAsync(ct));
        }

        return (await ItemDtosAsync(db, [item], ct))[0];
    }

    /// <summary>
    /// The job's pass: each active plan's last ended period, if not drawn yet and it ended after the plan was made, is drawn with the
    /// default seed; each rectification with evidence and no pending re-check gets one if its staff member has a case to re-check.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        using var actor = HttpAuditActorAccessor.Use(new AuditActor(null, "system:" + JobName));
        var now = time.GetUtcNow();
        var drawn = 0;
        foreach (var plan in await db.Set<QualitySamplingPlan>().AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Id).ToListAsync(ct))
        {
            var start = LastEnded(plan, now);
            if (Period(plan, start) is { } period && period.End > plan.CreatedAt
                && await DrawCoreAsync(plan, period.Start, period.End, DefaultSeed(plan.Id, start), null, ct) is not null)
            {
                drawn++;
                logger.LogInformation("Sampling plan {Plan} drew the period from {Start}", plan.Id, period.Start);
            }
        }

        await rectifications.DrawMissingRechecksAsync(ct);
        return drawn;
    }

    internal static async Task<IReadOnlyList<QaSampleItemDto>> ItemDtosAsync(StewardDbContext db, IReadOnlyList<QualitySampleItem> items, CancellationToken ct)
    {
        var caseIds = items.Select(i => i.CaseId).Distinct().ToList();
        var refs = await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        var staffIds = items.Select(i => i.StaffId).Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).Select(s => new { s.Id, s.DisplayName }).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        return [.. items.Select(i => new QaSampleItemDto(i.Id, i.DrawId, i.RectificationId, i.CaseId, refs.GetValueOrDefault(i.CaseId, ""), i.StaffId,
            names.GetValueOrDefault(i.StaffId, ""), i.Reason, i.Rule, i.Status, i.ReviewId, i.RemovedReason, i.RemovedAt))];
    }

    internal static QaPlanDto ToDto(QualitySamplingPlan p) => new(p.Id, p.Name, p.Cycle, p.RandomPercent, p.MinimumPerStaff, p.TargetedPerStaff, p.RuleList,
        p.BranchList, p.PassThreshold, p.TimeZone, p.IsActive, p.CreatedAt, p.UpdatedAt);

    private static QaDrawDto ToDto(QualitySampleDraw d, IReadOnlyList<QaSampleItemDto> items) =>
        new(d.Id, d.PlanId, d.PeriodStart, d.PeriodEnd, d.Seed, d.DrawnAt, d.DrawnById, d.PoolSize, d.ItemCount, items);
}
