using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>
/// Rectifications (整改, decision 0048). A review that fails — a critical item below 50 %, or a score below the threshold (the
/// sampling plan's, else <see cref="QualityOptions.PassThreshold"/>) — opens one for the staff member (their leads are told);
/// they give their evidence; a later case of theirs is drawn as a re-check; the rectification closes only when the evidence is
/// there and the re-check review passes (a failing one sends it back to open, for new evidence and another re-check). The same
/// item failing for the same staff member within 90 days marks training as needed. Who reads what: inspectors all, a team lead
/// their team's, everyone else their own.
/// </summary>
public sealed class QualityRectifications(
    StewardDbContext db, CurrentUser user, CaseAccess cases, Notifications.NotificationService notifications, TimeProvider time, IOptions<QualityOptions> options)
{
    public const int MaxEvidence = 4000;

    public const int TrainingWindowDays = 90;

    /// <summary>A review fails when a critical item failed (unless a dispute changed the score) or the score counted is below the threshold.</summary>
    public static bool Fails(QualityReview review, decimal threshold) =>
        (review.CriticalFailed && review.Status != QaReviewStatus.Changed) || review.FinalScore < threshold;

    /// <summary>The threshold a review of <paramref name="caseId"/> is held to: its re-check's, its sampling plan's, else the setting.</summary>
    public async Task<decimal> ThresholdForAsync(long caseId, CancellationToken ct)
    {
        var item = await db.Set<QualitySampleItem>().AsNoTracking().Where(i => i.CaseId == caseId).Select(i => new { i.DrawId, i.RectificationId }).SingleOrDefaultAsync(ct);
        if (item?.RectificationId is { } rid)
        {
            return await db.Set<QualityRectification>().Where(r => r.Id == rid).Select(r => r.Threshold).SingleAsync(ct);
        }

        if (item?.DrawId is { } did)
        {
            return await db.Set<QualitySampleDraw>().Where(d => d.Id == did)
                .Join(db.Set<QualitySamplingPlan>(), d => d.PlanId, p => p.Id, (d, p) => p.PassThreshold).SingleAsync(ct);
        }

        return options.Value.PassThreshold;
    }

    /// <summary>
    /// After a review is stored (same transaction): its sample item is reviewed; a re-check review verifies its rectification;
    /// any other failing review opens a rectification. The caller saves.
    /// </summary>
    public async Task OnReviewedAsync(QualityReview review, ScorecardContent card, CancellationToken ct)
    {
        var item = await db.Set<QualitySampleItem>().SingleOrDefaultAsync(i => i.CaseId == review.CaseId && i.Status == QaSampleItemStatus.Pending, ct);
        if (item is not null)
        {
            (item.Status, item.ReviewId) = (QaSampleItemStatus.Reviewed, review.Id);
        }

        if (item?.RectificationId is { } rid)
        {
            var rect = await db.Set<QualityRectification>().SingleAsync(r => r.Id == rid, ct);
            if (rect.Status is QaRectificationStatus.Open or QaRectificationStatus.EvidenceSubmitted)
            {
                ApplyRecheck(rect, review);
            }

            return;
        }

        var threshold = await ThresholdForAsync(review.CaseId, ct);
        if (Fails(review, threshold))
        {
            await OpenAsync(review, card, threshold, ct);
        }
    }

    /// <summary>After a dispute is resolved: a score raised to a pass withdraws the rectification; a changed score that fails opens one. The caller saves.</summary>
    public async Task OnResolvedAsync(QualityReview review, CancellationToken ct)
    {
        var rect = await db.Set<QualityRectification>().SingleOrDefaultAsync(r => r.ReviewId == review.Id, ct);
        var threshold = rect?.Threshold ?? await ThresholdForAsync(review.CaseId, ct);
        if (rect is null)
        {
            if (Fails(review, threshold) && !await db.Set<QualitySampleItem>().AnyAsync(i => i.CaseId == review.CaseId && i.RectificationId != null, ct))
            {
                var card = ScorecardContent.Parse(await db.Set<QualityScorecard>().Where(s => s.Id == review.ScorecardId).Select(s => s.ContentJson).SingleAsync(ct));
                await OpenAsync(review, card, threshold, ct);
            }
        }
        else if (!Fails(review, threshold) && rect.Status is QaRectificationStatus.Open or QaRectificationStatus.EvidenceSubmitted)
        {
            (rect.Status, rect.ClosedAt, rect.ClosedById) = (QaRectificationStatus.Withdrawn, time.GetUtcNow(), user.StaffId);
            notifications.Raise([rect.StaffId], "qa.rectification", "申诉处理后分数已合格，相关整改已撤销", "After your dispute the score passes: the rectification is withdrawn.", Link(rect));
        }
    }

    private async Task OpenAsync(QualityReview review, ScorecardContent card, decimal threshold, CancellationToken ct)
    {
        var answers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, QaAnswer>>(review.AnswersJson, ScorecardContent.Json)!;
        var scores = QualityScoring.Score(card, answers).Items;
        var failed = card.Items.Where(i => scores.TryGetValue(i.Id, out var s) && s < 50m).Select(i => i.Id).ToList();
        if (failed.Count == 0)
        {
            // Below the threshold with no item below half: the items that lost points are what to work on.
            failed = [.. card.Items.Where(i => !i.Bonus && scores.TryGetValue(i.Id, out var s) && s < 100m).Select(i => i.Id)];
        }

        var now = time.GetUtcNow();
        var since = now.AddDays(-TrainingWindowDays);
        var earlier = await db.Set<QualityRectification>().AsNoTracking().Where(r => r.StaffId == review.StaffId && r.OpenedAt >= since).Select(r => r.FailedItems).ToListAsync(ct);
        var repeated = failed.Where(f => earlier.Any(e => e.Split(',').Contains(f))).ToList();
        var rect = new QualityRectification
        {
            ReviewId = review.Id, CaseId = review.CaseId, StaffId = review.StaffId, TeamId = review.TeamId, BranchId = review.BranchId,
            Reason = review.CriticalFailed && review.Status != QaReviewStatus.Changed ? QaRectificationReason.CriticalFail : QaRectificationReason.BelowThreshold,
            FailedItems = string.Join(',', failed), Score = review.FinalScore, Threshold = threshold, Status = QaRectificationStatus.Open, OpenedAt = now,
            DueAt = now.AddDays(options.Value.RectificationDays), TrainingNeeded = repeated.Count > 0,
        };
        db.Add(rect);
        var leads = await LeadsAsync(rect, ct);
        // The row has no id until the caller saves: the bell links to the list, where it is at the top.
        const string link = "/Quality/Rectifications";
        notifications.Raise([rect.StaffId], "qa.rectification", $"质检未通过，请在 {options.Value.RectificationDays} 天内完成整改并提交整改说明",
            $"A quality review did not pass: rectify it and give your evidence within {options.Value.RectificationDays} days.", link);
        notifications.Raise(leads, "qa.rectification", "团队成员的质检未通过，已开启整改", "A quality review of your team member did not pass: a rectification is open.", link);
        if (rect.TrainingNeeded)
        {
            // There are no training records yet (a later slice): the need is recorded on the rectification and said to those concerned.
            notifications.Raise([rect.StaffId, .. leads], "qa.training", "同一评分项 90 天内再次不合格，需安排培训",
                "The same item failed again within 90 days: training is needed.", link);
        }
    }

    private void ApplyRecheck(QualityRectification rect, QualityReview review)
    {
        rect.RecheckReviewId = review.Id;
        if (!Fails(review, rect.Threshold) && rect.Status == QaRectificationStatus.EvidenceSubmitted)
        {
            (rect.Status, rect.ClosedAt, rect.ClosedById) = (QaRectificationStatus.Closed, time.GetUtcNow(), review.InspectorId);
            notifications.Raise([rect.StaffId], "qa.rectification", "复检通过，整改已关闭", "The re-check passed: the rectification is closed.", Link(rect));
        }
        else
        {
            rect.FailedRechecks++;
            rect.Status = QaRectificationStatus.Open;
            notifications.Raise([rect.StaffId], "qa.rectification", "复检未通过，请继续整改并重新提交整改说明",
                "The re-check did not pass: keep rectifying and give your evidence again.", Link(rect));
        }
    }

    private static string Link(QualityRectification rect) => FormattableString.Invariant($"/Quality/Rectifications/{rect.Id}");

    private Task<List<long>> LeadsAsync(QualityRectification rect, CancellationToken ct) => db.Set<Staff>().AsNoTracking()
        .Where(x => x.IsActive && x.Id != rect.StaffId && rect.TeamId != null && x.TeamId == rect.TeamId && x.Roles.Any(r => r.Role == StaffRole.TeamLead))
        .Select(x => x.Id).ToListAsync(ct);

    /// <summary>Inspectors read every rectification; a team lead their team's; everyone their own.</summary>
    public async Task<IQueryable<QualityRectification>> VisibleAsync(CancellationToken ct = default)
    {
        var all = db.Set<QualityRectification>();
        if (user.Can(Permission.QualityInspect))
        {
            return all;
        }

        var me = user.StaffId ?? -1;
        var team = user.Roles.Contains(StaffRole.TeamLead) ? (await cases.ViewerAsync(ct)).TeamId : null;
        return all.Where(r => r.StaffId == me || (team != null && r.TeamId == team));
    }

    public async Task<IReadOnlyList<QaRectificationDto>> ListAsync(QaRectificationStatus? status, int? limit, CancellationToken ct = default)
    {
        var query = (await VisibleAsync(ct)).AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        return await ToDtosAsync(await query.OrderByDescending(r => r.Id).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct), ct);
    }

    public async Task<Outcome<QaRectificationDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var rect = await (await VisibleAsync(ct)).AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return rect is null ? new QaRectificationNotFound() : (await ToDtosAsync([rect], ct))[0];
    }

    public async Task<Outcome<QaRectificationDto>> SubmitEvidenceAsync(long id, QaEvidenceRequest r, CancellationToken ct = default)
    {
        var rect = await (await VisibleAsync(ct)).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (rect is null)
        {
            return new QaRectificationNotFound();
        }

        if (rect.StaffId != user.StaffId)
        {
            return new QaNotYourRectification();
        }

        if (string.IsNullOrWhiteSpace(r.Evidence) || r.Evidence.Trim().Length > MaxEvidence)
        {
            return new QaRectificationInvalid(new Dictionary<string, string[]>
            {
                ["evidence"] = ["Say what you changed and how it shows (at most 4 000 characters). 请填写整改措施及其证明（不超过 4000 个字符）。"],
            });
        }

        if (rect.Status is not (QaRectificationStatus.Open or QaRectificationStatus.EvidenceSubmitted))
        {
            return new QaRectificationClosed(rect.Status);
        }

        (rect.Evidence, rect.EvidenceAt, rect.Status) = (r.Evidence.Trim(), time.GetUtcNow(), QaRectificationStatus.EvidenceSubmitted);
        await DrawRecheckAsync(rect, ct);
        return await SaveAsync(rect, ct);
    }

    /// <summary>
    /// An inspector (not the staff member) verifies with a re-check review: by default the review of the re-check item, else the one
    /// named, which must be of a later case of the same staff member. Closes with evidence and a pass; a fail reopens it.
    /// </summary>
    public async Task<Outcome<QaRectificationDto>> VerifyAsync(long id, QaVerifyRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return new QaNotInspector();
        }

        var rect = await db.Set<QualityRectification>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (rect is null)
        {
            return new QaRectificationNotFound();
        }

        if (rect.StaffId == user.StaffId)
        {
            return new QaOwnRectification();
        }

        if (rect.Status is not (QaRectificationStatus.Open or QaRectificationStatus.EvidenceSubmitted))
        {
            return new QaRectificationClosed(rect.Status);
        }

        if (rect.Status != QaRectificationStatus.EvidenceSubmitted)
        {
            return new QaNoEvidence();
        }

        var reviewId = r.ReviewId ?? await db.Set<QualitySampleItem>().Where(i => i.RectificationId == rect.Id && i.Status == QaSampleItemStatus.Reviewed && i.ReviewId > (rect.RecheckReviewId ?? 0))
            .OrderByDescending(i => i.Id).Select(i => i.ReviewId).FirstOrDefaultAsync(ct);
        var review = reviewId is { } rv ? await db.Set<QualityReview>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == rv, ct) : null;
        if (review is null || review.StaffId != rect.StaffId || review.CaseId == rect.CaseId || review.CreatedAt < rect.OpenedAt || review.Id == rect.RecheckReviewId)
        {
            return new QaRectificationInvalid(new Dictionary<string, string[]>
            {
                ["reviewId"] = ["Name a review of a later case of the same staff member, made since the rectification opened. 请指定该员工在整改开始后另一案件的质检记录。"],
            });
        }

        ApplyRecheck(rect, review);
        return await SaveAsync(rect, ct);
    }

    /// <summary>Draws a re-check for <paramref name="rect"/> if it has none pending: the staff member's latest case resolved since it opened, not sampled or reviewed.</summary>
    private async Task<bool> DrawRecheckAsync(QualityRectification rect, CancellationToken ct)
    {
        if (await db.Set<QualitySampleItem>().AnyAsync(i => i.RectificationId == rect.Id && i.Status == QaSampleItemStatus.Pending, ct))
        {
            return true;
        }

        var opened = rect.OpenedAt;
        var staff = rect.StaffId;
        var caseId = await db.Set<Case>().AsNoTracking()
            .Where(c => c.AssigneeId == staff && (c.Status == CaseStatus.Resolved || c.Status == CaseStatus.Closed) && (c.ResolvedAt ?? c.ClosedAt) > opened
                && !db.Set<QualitySampleItem>().Any(i => i.CaseId == c.Id) && !db.Set<QualityReview>().Any(x => x.CaseId == c.Id))
            .OrderByDescending(c => c.ResolvedAt ?? c.ClosedAt).ThenByDescending(c => c.Id).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (caseId is not { } found)
        {
            return false;
        }

        db.Add(new QualitySampleItem
        {
            RectificationId = rect.Id, CaseId = found, StaffId = staff, Reason = QaSampleReason.Recheck, Status = QaSampleItemStatus.Pending, CreatedAt = time.GetUtcNow(),
        });
        return true;
    }

    /// <summary>The job's part: every rectification with evidence and no pending re-check gets one when a case is there.</summary>
    public async Task DrawMissingRechecksAsync(CancellationToken ct)
    {
        var waiting = await db.Set<QualityRectification>()
            .Where(r => r.Status == QaRectificationStatus.EvidenceSubmitted
                && !db.Set<QualitySampleItem>().Any(i => i.RectificationId == r.Id && i.Status == QaSampleItemStatus.Pending))
            .OrderBy(r => r.Id).Take(500).ToListAsync(ct);
        foreach (var rect in waiting)
        {
            if (await DrawRecheckAsync(rect, ct))
            {
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // The case was sampled meanwhile (another node): the next pass tries again.
                    db.ChangeTracker.Clear();
                }
            }
        }
    }

    private async Task<Outcome<QaRectificationDto>> SaveAsync(QualityRectification rect, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new QaRectificationClosed(await db.Set<QualityRectification>().Where(x => x.Id == rect.Id).Select(x => x.Status).SingleAsync(ct));
        }

        return (await ToDtosAsync([rect], ct))[0];
    }

    private async Task<IReadOnlyList<QaRectificationDto>> ToDtosAsync(IReadOnlyList<QualityRectification> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var caseIds = rows.Select(r => r.CaseId).Distinct().ToList();
        var refs = await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        var staffIds = rows.Select(r => r.StaffId).Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).Select(s => new { s.Id, s.DisplayName }).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var ids = rows.Select(r => r.Id).ToList();
        var items = await db.Set<QualitySampleItem>().AsNoTracking().Where(i => i.RectificationId != null && ids.Contains(i.RectificationId.Value)).OrderByDescending(i => i.Id).ToListAsync(ct);
        var rechecks = (await QualitySampling.ItemDtosAsync(db, items, ct)).GroupBy(i => i.RectificationId!.Value).ToDictionary(g => g.Key, g => g.First());
        var reviewIds = rows.Select(r => r.ReviewId).Distinct().ToList();
        var cardOfReview = await db.Set<QualityReview>().AsNoTracking().Where(v => reviewIds.Contains(v.Id)).Select(v => new { v.Id, v.ScorecardId }).ToDictionaryAsync(v => v.Id, v => v.ScorecardId, ct);
        var cardIds = cardOfReview.Values.Distinct().ToList();
        var cards = (await db.Set<QualityScorecard>().AsNoTracking().Where(s => cardIds.Contains(s.Id)).Select(s => new { s.Id, s.ContentJson }).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => ScorecardContent.Parse(s.ContentJson).Sections.SelectMany(x => x.Items).ToDictionary(i => i.Id));
        var branchIds = rows.Select(r => r.BranchId).Distinct().ToList();
        var zones = await db.Set<Organisation.Branch>().AsNoTracking().Where(b => branchIds.Contains(b.Id)).Select(b => new { b.Id, b.TimeZone }).ToDictionaryAsync(b => b.Id, b => b.TimeZone, ct);
        // An item the scorecard version no longer words (it cannot happen: the review pins its version) keeps its id as its text.
        IReadOnlyList<QaItemName> Named(QualityRectification r) =>
            [.. r.FailedItemList.Select(id => cardOfReview.TryGetValue(r.ReviewId, out var card) && cards.TryGetValue(card, out var byId) && byId.TryGetValue(id, out var item)
                ? new QaItemName(id, item.Text, item.TextEn) : new QaItemName(id, id, id))];
        return [.. rows.Select(r => new QaRectificationDto(
            r.Id, r.ReviewId, r.CaseId, refs.GetValueOrDefault(r.CaseId, ""), r.StaffId, names.GetValueOrDefault(r.StaffId, ""), r.TeamId, r.Reason, r.FailedItemList,
            r.Score, r.Threshold, r.Status, r.OpenedAt, r.DueAt, r.TrainingNeeded, r.Evidence, r.EvidenceAt, r.RecheckReviewId, r.FailedRechecks, r.ClosedAt,
            rechecks.GetValueOrDefault(r.Id), Named(r), zones.GetValueOrDefault(r.BranchId)))];
    }
}
