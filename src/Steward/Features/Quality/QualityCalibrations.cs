using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>
/// Calibration batches (issue 16, decision 0049): inspectors and compliance (<see cref="Permission.QualityCalibrate"/>) make a
/// batch of cases, two or more invited inspectors each score every case with the review's checks and formula, and the
/// agreement is measured (<see cref="QualityKappa"/>). A calibration score is stored in <c>qa_calibration_reviews</c>, never in
/// <c>qa_reviews</c>: it counts toward no staff result, opens no dispute and no rectification, notifies nobody reviewed.
/// While the batch is open an invited inspector sees the others' scores of a case only once they scored it themselves.
/// </summary>
public sealed class QualityCalibrations(
    StewardDbContext db, CurrentUser user, CaseAccess cases, QualityReviews reviews, Notifications.NotificationService notifications,
    TimeProvider time, IOptions<QualityOptions> options)
{
    public const int MaxCases = 50;

    public async Task<Outcome<QaCalibrationDto>> CreateAsync(QaCalibrationCreateRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return new QaNotCalibrator();
        }

        var errors = new Dictionary<string, string[]>();
        var name = (r.Name ?? "").Trim();
        if (name.Length is 0 or > 200)
        {
            errors["name"] = ["Name the batch (at most 200 characters). 请填写批次名称（不超过 200 个字符）。"];
        }

        var code = (r.Scorecard ?? "").Trim().ToLowerInvariant();
        var card = await db.Set<QualityScorecard>().AsNoTracking().Where(s => s.Code == code).OrderByDescending(s => s.Number).FirstOrDefaultAsync(ct);
        if (card is null)
        {
            errors["scorecard"] = ["Choose a scorecard. 请选择评分表。"];
        }
        else if (card.SubjectKind != QaSubjectKind.CaseHandling)
        {
            errors["scorecard"] = ["This scorecard reviews something other than case handling: choose a case-handling scorecard for cases. 该评分表不适用于案件处理，请选择案件处理评分表。"];
        }

        var picked = new List<Case>();
        var caseErrors = new List<string>();
        foreach (var given in (r.Cases ?? []).Select(c => (c ?? "").Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var id = long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            var found = await cases.ReadAsync(c => c.Id == id || c.Reference == given, ct);
            if (!found.Succeeded)
            {
                caseErrors.Add($"There is no case {given}. 案件 {given} 不存在。");
            }
            else if (picked.All(p => p.Id != found.Value.Case.Id))
            {
                var theCase = found.Value.Case;
                if (theCase.AssigneeId is null && !await db.Set<CaseEvent>().AnyAsync(e => e.CaseId == theCase.Id && e.ActorId != null, ct))
                {
                    caseErrors.Add($"Nobody has handled case {theCase.Reference}: there is nothing to score. 案件 {theCase.Reference} 尚无员工处理，无可评分内容。");
                }

                picked.Add(theCase);
            }
        }

        if (picked.Count == 0 && caseErrors.Count == 0)
        {
            caseErrors.Add("Pick at least one case. 请至少选择一个案件。");
        }
        else if (picked.Count > MaxCases)
        {
            caseErrors.Add("A batch has at most 50 cases. 每个批次最多 50 个案件。");
        }

        var invited = (r.InspectorIds ?? []).Distinct().ToList();
        var inspectors = await db.Set<Staff>().AsNoTracking()
            .Where(s => invited.Contains(s.Id) && s.IsActive && s.Roles.Any(x => x.Role == StaffRole.QaInspector)).ToListAsync(ct);
        if (invited.Count < 2)
        {
            errors["inspectorIds"] = ["Invite at least two inspectors: agreement needs two raters. 请至少邀请两名质检员：一致性需要至少两名评分人。"];
        }
        else if (inspectors.Count != invited.Count)
        {
            errors["inspectorIds"] = ["Invite active quality inspectors only. 只能邀请在职的质检员。"];
        }
        else
        {
            var own = new List<string>();
            foreach (var theCase in picked)
            {
                foreach (var inspector in inspectors.Where(i => own.Count < 5))
                {
                    if (await reviews.OwnWorkAsync(theCase, inspector.Id, ct))
                    {
                        own.Add($"{inspector.DisplayName} worked on case {theCase.Reference}. {inspector.DisplayName} 处理过案件 {theCase.Reference}。");
                    }
                }
            }

            if (own.Count > 0)
            {
                errors["inspectorIds"] = [.. own.Prepend("Nobody scores their own work. 不能为自己处理过的工作评分。")];
            }
        }

        if (caseErrors.Count > 0)
        {
            errors["cases"] = [.. caseErrors];
        }

        if (errors.Count > 0)
        {
            return new QaCalibrationInvalid(errors);
        }

        var batch = new QualityCalibration
        {
            Name = name, ScorecardId = card!.Id, CaseIds = string.Join(',', picked.Select(c => c.Id)), InspectorIds = string.Join(',', invited),
            Status = QaCalibrationStatus.Open, CreatedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        };
        db.Add(batch);
        await db.SaveChangesAsync(ct);
        notifications.Raise(invited.Where(i => i != user.StaffId), "qa.calibration", $"您受邀参加校准批次“{name}”，请为其中的案件评分",
            $"You are invited to score the calibration batch “{name}”.", Link(batch));
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(batch, ct);
    }

    public async Task<Outcome<QaCalibrationDto>> ScoreAsync(long id, QaCalibrationScoreRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return new QaNotCalibrator();
        }

        var batch = await db.Set<QualityCalibration>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null)
        {
            return new QaCalibrationNotFound();
        }

        if (!user.Can(Permission.QualityInspect) || user.StaffId is not { } me || !batch.InspectorList.Contains(me))
        {
            return new QaNotInvited();
        }

        if (batch.Status != QaCalibrationStatus.Open)
        {
            return new QaCalibrationClosed();
        }

        if (r.CaseId is not { } caseId || !batch.CaseList.Contains(caseId))
        {
            return new QaCalibrationInvalid(new Dictionary<string, string[]> { ["caseId"] = ["Name a case of the batch. 请指明本批次中的案件。"] });
        }

        var theCase = await db.Set<Case>().AsNoTracking().SingleAsync(c => c.Id == caseId, ct);
        if (await reviews.OwnWorkAsync(theCase, me, ct))
        {
            return new QaOwnWork();
        }

        if (await db.Set<QualityCalibrationReview>().AnyAsync(x => x.CalibrationId == id && x.CaseId == caseId && x.InspectorId == me, ct))
        {
            return new QaCalibrationScored();
        }

        var card = await db.Set<QualityScorecard>().AsNoTracking().SingleAsync(s => s.Id == batch.ScorecardId, ct);
        var content = ScorecardContent.Parse(card.ContentJson);
        var errors = QualityReviews.Check(content, r.Answers);
        if (r.Comment is { Length: > QualityReviews.MaxComment })
        {
            errors["comment"] = ["The comment is at most 2 000 characters. 总评不超过 2000 个字符。"];
        }

        if (errors.Count > 0)
        {
            return new QaReviewInvalid(errors);
        }

        var answers = QualityReviews.Kept(r.Answers!);
        var score = QualityScoring.Score(content, answers);
        db.Add(new QualityCalibrationReview
        {
            CalibrationId = id, CaseId = caseId, InspectorId = me, CreatedAt = time.GetUtcNow(), AnswersJson = JsonSerializer.Serialize(answers, ScorecardContent.Json),
            Comment = string.IsNullOrWhiteSpace(r.Comment) ? null : r.Comment.Trim(), Score = score.Score, CriticalFailed = score.CriticalFailed,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two submissions at once: the unique index keeps one.
            if (await AlreadyScoredAsync(id, caseId, me, ct))
            {
                return new QaCalibrationScored();
            }

            throw;
        }

        return await ToDtoAsync(batch, ct);
    }

    private async Task<bool> AlreadyScoredAsync(long id, long caseId, long me, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Set<QualityCalibrationReview>().AnyAsync(x => x.CalibrationId == id && x.CaseId == caseId && x.InspectorId == me, ct);
    }

    /// <summary>
    /// Closes the batch once every invited inspector has scored every case (else 409 <c>qa-calibration-incomplete</c>: a kappa over
    /// part of the raters is not the batch's), keeps the overall kappa, and when it or any item's is below the threshold
    /// (<see cref="QualityOptions.CalibrationKappaThreshold"/>) tells the inspectors and compliance.
    /// </summary>
    public async Task<Outcome<QaCalibrationDto>> CloseAsync(long id, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return new QaNotCalibrator();
        }

        var batch = await db.Set<QualityCalibration>().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null)
        {
            return new QaCalibrationNotFound();
        }

        if (batch.Status != QaCalibrationStatus.Open)
        {
            return new QaCalibrationClosed();
        }

        var scores = await db.Set<QualityCalibrationReview>().AsNoTracking().Where(x => x.CalibrationId == id).ToListAsync(ct);
        var expected = batch.CaseList.Count * batch.InspectorList.Count;
        if (scores.Count < expected)
        {
            return new QaCalibrationIncomplete(expected - scores.Count);
        }

        var card = await db.Set<QualityScorecard>().AsNoTracking().SingleAsync(s => s.Id == batch.ScorecardId, ct);
        var threshold = options.Value.CalibrationKappaThreshold;
        var agreement = Measure(batch, ScorecardContent.Parse(card.ContentJson), scores, threshold);
        batch.Status = QaCalibrationStatus.Closed;
        batch.ClosedAt = time.GetUtcNow();
        batch.ClosedById = user.StaffId;
        batch.Kappa = agreement.Overall?.Kappa;
        batch.KappaThreshold = threshold;
        batch.Drift = agreement.Overall?.BelowThreshold == true || agreement.Items.Any(i => i.Agreement?.BelowThreshold == true);
        if (batch.Drift)
        {
            var to = await db.Set<Staff>().AsNoTracking()
                .Where(s => s.IsActive && s.Roles.Any(x => x.Role == StaffRole.QaInspector || x.Role == StaffRole.Compliance)).Select(s => s.Id).ToListAsync(ct);
            var low = string.Join(", ", agreement.Items.Where(i => i.Agreement?.BelowThreshold == true).Select(i => i.ItemId));
            notifications.Raise(to, "qa.calibration.drift",
                FormattableString.Invariant($"校准批次“{batch.Name}”的评分一致性低于 {threshold:0.##}（总体 κ = {batch.Kappa:0.00}），请复核评分标准"),
                FormattableString.Invariant($"Calibration batch “{batch.Name}”: agreement below {threshold:0.##} (overall κ = {batch.Kappa:0.00}{(low.Length > 0 ? "; items " + low : "")}). Review how the scorecard is applied."),
                Link(batch));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new QaCalibrationClosed();
        }

        return await ToDtoAsync(batch, ct);
    }

    public async Task<Outcome<QaCalibrationDto>> GetAsync(long id, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return new QaNotCalibrator();
        }

        var batch = await db.Set<QualityCalibration>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        return batch is null ? new QaCalibrationNotFound() : await ToDtoAsync(batch, ct);
    }

    public async Task<Outcome<IReadOnlyList<QaCalibrationSummaryDto>>> ListAsync(CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return new QaNotCalibrator();
        }

        var rows = await db.Set<QualityCalibration>().AsNoTracking().OrderByDescending(b => b.Id).Take(200).ToListAsync(ct);
        var ids = rows.Select(b => b.Id).ToList();
        var counts = await db.Set<QualityCalibrationReview>().Where(x => ids.Contains(x.CalibrationId)).GroupBy(x => x.CalibrationId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var cardIds = rows.Select(b => b.ScorecardId).Distinct().ToList();
        var cards = await db.Set<QualityScorecard>().AsNoTracking().Where(s => cardIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return rows.Select(b => new QaCalibrationSummaryDto(
            b.Id, b.Name, cards[b.ScorecardId].Name, cards[b.ScorecardId].NameEn, b.Status, b.CaseList.Count, b.InspectorList.Count, counts.GetValueOrDefault(b.Id),
            b.CaseList.Count * b.InspectorList.Count, b.Kappa, b.Drift, b.CreatedAt, b.ClosedAt)).ToList();
    }

    /// <summary>The active inspectors who may be invited.</summary>
    public Task<List<Staff>> InspectorsAsync(CancellationToken ct = default) =>
        db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(x => x.Role == StaffRole.QaInspector)).OrderBy(s => s.Username).ToListAsync(ct);

    /// <summary>
    /// The agreement over the cases every inspector scored. Per item: the subjects are those cases, each inspector's category the
    /// value they chose or N/A (a bonus left out counts as N/A), Cohen's kappa for two inspectors, Fleiss' for more. Overall: the
    /// same over every case × item pair, pooled, a category being the item score in % ((value − min) / (max − min) × 100) or N/A.
    /// </summary>
    internal static QaAgreementDto Measure(QualityCalibration batch, ScorecardContent card, IReadOnlyList<QualityCalibrationReview> scores, decimal threshold)
    {
        var inspectors = batch.InspectorList;
        var byCase = scores.GroupBy(s => s.CaseId).ToDictionary(g => g.Key, g => g.ToDictionary(
            s => s.InspectorId, s => JsonSerializer.Deserialize<Dictionary<string, QaAnswer>>(s.AnswersJson, ScorecardContent.Json)!));
        var complete = batch.CaseList.Where(c => byCase.TryGetValue(c, out var x) && inspectors.All(x.ContainsKey)).ToList();
        string Category(Dictionary<string, QaAnswer> answers, string item) =>
            answers.TryGetValue(item, out var a) && a.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "na";
        var pooled = new List<IReadOnlyList<string>>();
        var items = new List<QaItemKappaDto>();
        foreach (var item in card.Items)
        {
            var ratings = complete.Select(c => (IReadOnlyList<string>)[.. inspectors.Select(i => Category(byCase[c][i], item.Id))]).ToList();
            // Pooled, a category is the item's score in % (or N/A), so that the same level on different scales is one category.
            pooled.AddRange(ratings.Select(r => (IReadOnlyList<string>)[.. r.Select(x => x == "na" ? x
                : QualityScoring.ItemScore(item, int.Parse(x, CultureInfo.InvariantCulture)).ToString("0.##", CultureInfo.InvariantCulture))]));
            items.Add(new QaItemKappaDto(item.Id, item.Text, item.TextEn, ToDto(ratings, inspectors.Count, threshold)));
        }

        return new QaAgreementDto(complete.Count, ToDto(pooled, inspectors.Count, threshold), items);
    }

    private static QaKappaDto? ToDto(IReadOnlyList<IReadOnlyList<string>> ratings, int raters, decimal threshold)
    {
        if (ratings.Count == 0)
        {
            return null;
        }

        var k = QualityKappa.Of(ratings);
        var kappa = Math.Round((decimal)k.Kappa, 4, MidpointRounding.AwayFromZero);
        return new QaKappaDto(kappa, k.Subjects, raters, raters == 2 ? "Cohen" : "Fleiss", k.Band, k.OneCategory, kappa < threshold);
    }

    private static string Link(QualityCalibration b) => FormattableString.Invariant($"/Quality/Calibrations/{b.Id}");

    private async Task<QaCalibrationDto> ToDtoAsync(QualityCalibration b, CancellationToken ct)
    {
        var card = await db.Set<QualityScorecard>().AsNoTracking().SingleAsync(s => s.Id == b.ScorecardId, ct);
        var scores = await db.Set<QualityCalibrationReview>().AsNoTracking().Where(x => x.CalibrationId == b.Id).ToListAsync(ct);
        var caseIds = b.CaseList;
        var refs = await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        var people = b.InspectorList.Concat([b.CreatedById ?? 0, b.ClosedById ?? 0]).Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => people.Contains(s.Id)).Select(s => new { s.Id, s.DisplayName }).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var me = user.StaffId ?? -1;
        var invited = b.InspectorList.Contains(me);
        var mine = scores.Where(s => s.InspectorId == me).Select(s => s.CaseId).ToHashSet();
        // Open: an invited inspector sees the others' scores of a case once they scored it; all of them once they scored every case.
        var seesAll = b.Status == QaCalibrationStatus.Closed || !invited || caseIds.All(mine.Contains);
        var rows = caseIds.Select(caseId =>
        {
            var visible = seesAll || mine.Contains(caseId);
            var cells = b.InspectorList.Select(i =>
            {
                var s = scores.FirstOrDefault(x => x.CaseId == caseId && x.InspectorId == i);
                var show = s is not null && (visible || i == me);
                return new QaCalibrationCellDto(i, s is not null, show ? s!.Score : null, show ? s!.CriticalFailed : null,
                    show ? JsonSerializer.Deserialize<Dictionary<string, QaAnswer>>(s!.AnswersJson, ScorecardContent.Json) : null);
            }).ToList();
            decimal? spread = visible && cells.All(c => c.Score is not null) ? cells.Max(c => c.Score!.Value) - cells.Min(c => c.Score!.Value) : null;
            return new QaCalibrationCaseDto(caseId, refs.GetValueOrDefault(caseId, ""), cells, spread);
        }).ToList();
        var threshold = b.KappaThreshold ?? options.Value.CalibrationKappaThreshold;
        var agreement = seesAll ? Measure(b, ScorecardContent.Parse(card.ContentJson), scores, threshold) : null;
        return new QaCalibrationDto(
            b.Id, b.Name, card.Id, card.Code, card.Number, card.Name, card.NameEn, b.Status, b.CreatedById, b.CreatedById is { } c ? names.GetValueOrDefault(c) : null,
            b.CreatedAt, b.ClosedById, b.ClosedById is { } by ? names.GetValueOrDefault(by) : null, b.ClosedAt,
            [.. b.InspectorList.Select(i => new QaCalibrationInspectorDto(i, names.GetValueOrDefault(i, ""), scores.Count(s => s.InspectorId == i)))],
            rows, scores.Count, caseIds.Count * b.InspectorList.Count, threshold, b.Drift, agreement);
    }
}
