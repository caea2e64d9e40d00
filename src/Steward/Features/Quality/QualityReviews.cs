using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>
/// Reviews of cases: an inspector scores a case against a scorecard version (never their own work); the reviewed staff member
/// accepts or disputes it within the window; their team lead or another inspector resolves a dispute. Who reads what:
/// inspectors every review, a team lead their team's, everyone else their own (<see cref="Visible"/>).
/// </summary>
public sealed class QualityReviews(
    StewardDbContext db, CurrentUser user, CaseAccess cases, Notifications.NotificationService notifications, TimeProvider time, IOptions<QualityOptions> options,
    QualityRectifications rectifications)
{
    public const int MaxComment = 2000;

    public async Task<Outcome<QaReviewDto>> CreateAsync(QaReviewCreateRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityInspect) || user.StaffId is not { } me)
        {
            return new QaNotInspector();
        }

        if (r.CaseId is not { } caseId)
        {
            return new QaReviewInvalid(new Dictionary<string, string[]> { ["caseId"] = ["Name the case reviewed. 请指明被质检的案件。"] });
        }

        var found = await cases.ReadAsync(c => c.Id == caseId, ct);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var theCase = found.Value.Case;
        var own = await OwnWorkAsync(theCase, me, ct);
        if (own)
        {
            return new QaOwnWork();
        }

        var code = (r.Scorecard ?? "").Trim().ToLowerInvariant();
        var card = await db.Set<QualityScorecard>().AsNoTracking().Where(s => s.Code == code)
            .OrderByDescending(s => s.Number).FirstOrDefaultAsync(ct);
        if (card is null || card.SubjectKind != QaSubjectKind.CaseHandling)
        {
            return new QaReviewInvalid(new Dictionary<string, string[]> { ["scorecard"] = ["Choose a case-handling scorecard. 请选择案件处理评分表。"] });
        }

        if (r.ScorecardNumber is { } shown && shown != card.Number)
        {
            return new QaScorecardChanged(card.Number);
        }

        var content = ScorecardContent.Parse(card.ContentJson);
        var errors = Check(content, r.Answers);
        if (r.Comment is { Length: > MaxComment })
        {
            errors["comment"] = ["The comment is at most 2 000 characters. 总评不超过 2000 个字符。"];
        }

        if (errors.Count > 0)
        {
            return new QaReviewInvalid(errors);
        }

        var staffId = theCase.AssigneeId ?? await db.Set<CaseEvent>().Where(e => e.CaseId == theCase.Id && e.ActorId != null)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.ActorId).FirstOrDefaultAsync(ct);
        var staff = staffId is { } sid ? await db.Set<Staff>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == sid, ct) : null;
        if (staff is null)
        {
            return new QaNobodyToReview();
        }

        var answers = Kept(r.Answers!);
        var score = QualityScoring.Score(content, answers);
        var now = time.GetUtcNow();
        var review = new QualityReview
        {
            ScorecardId = card.Id, SubjectKind = card.SubjectKind, CaseId = theCase.Id, StaffId = staff.Id, BranchId = theCase.BranchId, TeamId = staff.TeamId,
            InspectorId = me, CreatedAt = now, AnswersJson = JsonSerializer.Serialize(answers, ScorecardContent.Json),
            Comment = string.IsNullOrWhiteSpace(r.Comment) ? null : r.Comment.Trim(), Score = score.Score, CriticalFailed = score.CriticalFailed,
            Status = QaReviewStatus.Open, DisputeUntil = now.AddDays(options.Value.DisputeWindowDays), FinalScore = score.Score,
        };
        db.Add(review);
        // The staff member hears of it in the same unit of work (the bell links to their reviews).
        notifications.Raise([staff.Id], "qa.review", $"案件 {theCase.Reference} 的服务质检结果：{score.Score:0.##} 分，可在 {options.Value.DisputeWindowDays} 天内确认或申诉",
            $"Your handling of case {theCase.Reference} was reviewed: {score.Score:0.##}. Accept or dispute it within {options.Value.DisputeWindowDays} days.", "/Quality");
        // The review, its sample item and the rectification it opens or verifies (decision 0048): all or nothing.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await rectifications.OnReviewedAsync(review, content, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await ToDtoAsync(review, ct);
    }

    /// <summary>Whether <paramref name="staffId"/> worked on the case: its assignee, its creator, or the actor of any event of its timeline.</summary>
    public async Task<bool> OwnWorkAsync(Case theCase, long staffId, CancellationToken ct) =>
        theCase.AssigneeId == staffId || theCase.CreatedById == staffId
        || await db.Set<CaseEvent>().AnyAsync(e => e.CaseId == theCase.Id && e.ActorId == staffId, ct);

    /// <summary>
    /// What is wrong with the answers, by field <c>answers.{item id}</c>: every item that is not a bonus answered (a value or
    /// N/A); a value on the item's scale; N/A only where the item allows it; no unknown items; comments at most 2 000
    /// characters; at least one counted item with a weight above 0 scored (else there is nothing to average).
    /// </summary>
    internal static Dictionary<string, string[]> Check(ScorecardContent card, IReadOnlyDictionary<string, QaAnswer>? given)
    {
        var errors = new Dictionary<string, string[]>();
        var answers = given ?? new Dictionary<string, QaAnswer>();
        var items = card.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        foreach (var key in answers.Keys.Where(k => !items.ContainsKey(k)))
        {
            errors["answers." + key] = [$"The scorecard has no item “{key}”. 评分表中没有评分项“{key}”。"];
        }

        foreach (var item in items.Values)
        {
            var field = "answers." + item.Id;
            var (min, max) = item.Range;
            answers.TryGetValue(item.Id, out var a);
            if (a is null || (a.Value is null && !a.Na))
            {
                if (!item.Bonus)
                {
                    errors[field] = [item.AllowNa
                        ? "Answer this item, or mark it not applicable. 请为此项评分或选择“不适用”。"
                        : "Answer this item. 请为此项评分。"];
                }
            }
            else if (a.Na && a.Value is not null)
            {
                errors[field] = ["Give a score or N/A, not both. 请在评分和“不适用”中选择其一。"];
            }
            else if (a.Na && !item.AllowNa)
            {
                errors[field] = ["This item cannot be marked not applicable: give a score. 此项不允许选择“不适用”，请评分。"];
            }
            else if (a.Value is { } v && (v < min || v > max))
            {
                errors[field] = [FormattableString.Invariant($"Choose a score from {min} to {max}. 请选择 {min} 到 {max} 之间的分数。")];
            }
            else if (a.Comment is { Length: > MaxComment })
            {
                errors[field] = ["A comment is at most 2 000 characters. 备注不超过 2000 个字符。"];
            }
        }

        if (errors.Count == 0 && !items.Values.Any(i => !i.Bonus && i.Weight > 0 && answers.TryGetValue(i.Id, out var a) && a is { Na: false, Value: not null }))
        {
            errors["answers"] = ["Every weighted item is marked N/A: score at least one. 所有计权评分项均为“不适用”，请至少为一项评分。"];
        }

        return errors;
    }

    /// <summary>The answers as stored, once checked: the items answered, comments trimmed (blank: none).</summary>
    internal static Dictionary<string, QaAnswer> Kept(IReadOnlyDictionary<string, QaAnswer> given) =>
        given.Where(a => a.Value is not null)
            .ToDictionary(a => a.Key, a => a.Value with { Comment = string.IsNullOrWhiteSpace(a.Value.Comment) ? null : a.Value.Comment.Trim() }, StringComparer.Ordinal);

    public async Task<Outcome<QaReviewDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var review = await (await VisibleAsync(ct)).AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return review is null ? new QaReviewNotFound() : await ToDtoAsync(review, ct);
    }

    public async Task<IReadOnlyList<QaReviewDto>> ListAsync(QaReviewListQuery q, CancellationToken ct = default)
    {
        var query = (await VisibleAsync(ct)).AsNoTracking();
        if (q.CaseId is { } caseId)
        {
            query = query.Where(r => r.CaseId == caseId);
        }

        if (q.StaffId is { } staffId)
        {
            query = query.Where(r => r.StaffId == staffId);
        }

        if (q.Status is { } status)
        {
            query = query.Where(r => r.Status == status);
        }

        var rows = await query.OrderByDescending(r => r.Id).Take(Math.Clamp(q.Limit ?? 100, 1, 500)).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    /// <summary>Inspectors read every review; a team lead their team's; everyone their own.</summary>
    public async Task<IQueryable<QualityReview>> VisibleAsync(CancellationToken ct = default)
    {
        var all = db.Set<QualityReview>();
        if (user.Can(Permission.QualityInspect))
        {
            return all;
        }

        var me = user.StaffId ?? -1;
        var team = user.Roles.Contains(StaffRole.TeamLead) ? (await cases.ViewerAsync(ct)).TeamId : null;
        return all.Where(r => r.StaffId == me || (team != null && r.TeamId == team));
    }

    /// <summary>Whether the signed-in person may resolve a dispute of <paramref name="r"/>: the reviewed staff member's team lead, or an inspector who did not make it.</summary>
    public async Task<bool> MayResolveAsync(QualityReview r, CancellationToken ct = default)
    {
        if (user.StaffId is not { } me || me == r.StaffId)
        {
            return false;
        }

        if (user.Can(Permission.QualityInspect) && me != r.InspectorId)
        {
            return true;
        }

        return user.Roles.Contains(StaffRole.TeamLead) && r.TeamId is { } team && (await cases.ViewerAsync(ct)).TeamId == team;
    }

    public Task<Outcome<QaReviewDto>> AcceptAsync(long id, CancellationToken ct = default) =>
        RespondAsync(id, null, ct);

    public Task<Outcome<QaReviewDto>> DisputeAsync(long id, QaDisputeRequest r, CancellationToken ct = default) =>
        RespondAsync(id, r, ct);

    private async Task<Outcome<QaReviewDto>> RespondAsync(long id, QaDisputeRequest? dispute, CancellationToken ct)
    {
        var review = await (await VisibleAsync(ct)).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (review is null)
        {
            return new QaReviewNotFound();
        }

        if (review.StaffId != user.StaffId)
        {
            return new QaNotYours();
        }

        if (review.Status != QaReviewStatus.Open)
        {
            return new QaAlreadyAnswered(review.Status);
        }

        var now = time.GetUtcNow();
        if (dispute is not null)
        {
            if (now > review.DisputeUntil)
            {
                return new QaDisputeWindowClosed(review.DisputeUntil);
            }

            var errors = new Dictionary<string, string[]>();
            if (dispute.SuggestedScore is not { } suggested || suggested < 0 || suggested > 100 || decimal.Round(suggested, 2) != suggested)
            {
                errors["suggestedScore"] = ["Suggest a score from 0 to 100 (at most two decimals). 请填写 0 到 100 之间的建议分数（最多两位小数）。"];
            }

            if (string.IsNullOrWhiteSpace(dispute.Comment) || dispute.Comment.Length > MaxComment)
            {
                errors["comment"] = ["Say why you dispute the review (at most 2 000 characters). 请说明申诉理由（不超过 2000 个字符）。"];
            }

            if (errors.Count > 0)
            {
                return new QaReviewInvalid(errors);
            }

            review.Status = QaReviewStatus.Disputed;
            review.SuggestedScore = dispute.SuggestedScore;
            review.DisputeComment = dispute.Comment!.Trim();
            // The dispute goes to the team's leads; a team without one: to the inspectors other than the one who made the review.
            var leads = await db.Set<Staff>().AsNoTracking()
                .Where(x => x.IsActive && x.Id != review.StaffId && review.TeamId != null && x.TeamId == review.TeamId && x.Roles.Any(r => r.Role == StaffRole.TeamLead))
                .Select(x => x.Id).ToListAsync(ct);
            if (leads.Count == 0)
            {
                leads = await db.Set<Staff>().AsNoTracking()
                    .Where(x => x.IsActive && x.Id != review.InspectorId && x.Id != review.StaffId && x.Roles.Any(r => r.Role == StaffRole.QaInspector))
                    .Select(x => x.Id).ToListAsync(ct);
            }

            var link = FormattableString.Invariant($"/Quality/Reviews/{review.Id}");
            notifications.Raise(leads, "qa.dispute", "一条服务质检结果被申诉，等待您处理", "A quality review was disputed and waits for you to resolve it.", link);
        }
        else
        {
            review.Status = QaReviewStatus.Accepted;
        }

        review.RespondedAt = now;
        return await SaveAsync(review, ct);
    }

    public async Task<Outcome<QaReviewDto>> ResolveAsync(long id, QaResolveRequest r, CancellationToken ct = default)
    {
        var review = await (await VisibleAsync(ct)).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (review is null)
        {
            return new QaReviewNotFound();
        }

        if (!await MayResolveAsync(review, ct))
        {
            return new QaNotResolver();
        }

        if (review.Status != QaReviewStatus.Disputed)
        {
            return new QaNotDisputed();
        }

        var errors = new Dictionary<string, string[]>();
        if (!r.Uphold && (r.Score is not { } score || score < 0 || score > 100 || decimal.Round(score, 2) != score))
        {
            errors["score"] = ["Give the changed score from 0 to 100 (at most two decimals). 请填写 0 到 100 之间的新分数（最多两位小数）。"];
        }

        if (string.IsNullOrWhiteSpace(r.Comment) || r.Comment.Length > MaxComment)
        {
            errors["resolutionComment"] = ["Say why (at most 2 000 characters). 请填写处理意见（不超过 2000 个字符）。"];
        }

        if (errors.Count > 0)
        {
            return new QaReviewInvalid(errors);
        }

        review.Status = r.Uphold ? QaReviewStatus.Upheld : QaReviewStatus.Changed;
        review.FinalScore = r.Uphold ? review.Score : r.Score!.Value;
        review.ResolvedById = user.StaffId;
        review.ResolvedAt = time.GetUtcNow();
        review.ResolutionComment = r.Comment!.Trim();
        notifications.Raise([review.StaffId], "qa.resolved",
            r.Uphold ? "您的质检申诉已处理：维持原分" : $"您的质检申诉已处理：分数改为 {review.FinalScore:0.##}",
            r.Uphold ? "Your dispute of a quality review was resolved: the score stands." : $"Your dispute of a quality review was resolved: the score is now {review.FinalScore:0.##}.",
            FormattableString.Invariant($"/Quality/Reviews/{review.Id}"));
        // A changed score may now pass (the rectification is withdrawn) or fail (one is opened): decision 0048.
        await rectifications.OnResolvedAsync(review, ct);
        return await SaveAsync(review, ct);
    }

    private async Task<Outcome<QaReviewDto>> SaveAsync(QualityReview review, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another answer landed first (the status is the concurrency token): this one changes nothing.
            db.ChangeTracker.Clear();
            var current = await db.Set<QualityReview>().AsNoTracking().Where(x => x.Id == review.Id).Select(x => x.Status).SingleAsync(ct);
            return new QaAlreadyAnswered(current);
        }

        return await ToDtoAsync(review, ct);
    }

    private async Task<QaReviewDto> ToDtoAsync(QualityReview r, CancellationToken ct) => (await ToDtosAsync([r], ct))[0];

    private async Task<IReadOnlyList<QaReviewDto>> ToDtosAsync(IReadOnlyList<QualityReview> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var cardIds = rows.Select(r => r.ScorecardId).Distinct().ToList();
        var cards = await db.Set<QualityScorecard>().AsNoTracking().Where(s => cardIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var caseIds = rows.Select(r => r.CaseId).Distinct().ToList();
        var refs = await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        var staffIds = rows.SelectMany(r => new[] { r.StaffId, r.InspectorId, r.ResolvedById ?? r.StaffId }).Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).Select(s => new { s.Id, s.DisplayName }).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        return [.. rows.Select(r =>
        {
            var card = cards[r.ScorecardId];
            var content = ScorecardContent.Parse(card.ContentJson);
            var answers = JsonSerializer.Deserialize<Dictionary<string, QaAnswer>>(r.AnswersJson, ScorecardContent.Json)!;
            var items = QualityScoring.Score(content, answers).Items;
            return new QaReviewDto(
                r.Id, card.Id, card.Code, card.Number, card.Name, card.NameEn, r.SubjectKind, r.CaseId, refs.GetValueOrDefault(r.CaseId, ""), r.StaffId,
                names.GetValueOrDefault(r.StaffId, ""), r.BranchId, r.TeamId, r.InspectorId, names.GetValueOrDefault(r.InspectorId, ""), r.CreatedAt, answers, items,
                r.Comment, r.Score, r.CriticalFailed, r.Status, r.DisputeUntil, r.RespondedAt, r.SuggestedScore, r.DisputeComment, r.ResolvedById,
                r.ResolvedById is { } by ? names.GetValueOrDefault(by) : null, r.ResolvedAt, r.ResolutionComment, r.FinalScore);
        })];
    }
}
