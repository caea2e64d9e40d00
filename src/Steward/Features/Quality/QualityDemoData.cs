using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Quality;

/// <summary>
/// The demo's scorecards — case handling, and counter service in the manner of CBSS1000 (文明规范服务: environment, behaviour,
/// language) for the counter-visit reviews of a later slice — and three reviews by the inspector qa of cases sh.agent1 handled:
/// one open (sh.agent1 may accept or dispute it), one accepted, one disputed and waiting for sh.lead. Nothing without history.
/// </summary>
public static class QualityDemoData
{
    public static readonly ScorecardContent CaseHandling = new(
    [
        new ScorecardSection("intake", "受理与核实", "Intake and verification",
        [
            new ScorecardItem("identity", "按规定核实客户身份", "Verified the customer's identity as required", QaScale.YesNo, 20, Critical: true,
                Guidance: "未核实身份即办理业务为关键项不合格。", GuidanceEn: "Acting without verifying identity fails a critical item."),
            new ScorecardItem("understood", "准确理解客户诉求", "Understood what the customer asked for", QaScale.FivePoint, 15),
        ]),
        new ScorecardSection("handling", "处理过程", "Handling",
        [
            new ScorecardItem("correct", "答复或处理方案正确、合规", "The answer or solution was correct and compliant", QaScale.FivePoint, 25, Critical: true),
            new ScorecardItem("timely", "在服务时限内处理", "Handled within the service deadline", QaScale.YesNo, 10, AllowNa: true),
            new ScorecardItem("recorded", "处理过程记录完整", "The handling is fully recorded on the case", QaScale.FourPoint, 10),
        ]),
        new ScorecardSection("communication", "沟通", "Communication",
        [
            new ScorecardItem("courteous", "用语文明、礼貌", "Courteous, polite language", QaScale.FivePoint, 10),
            new ScorecardItem("clear", "解释清楚、客户能理解", "Explained clearly, in terms the customer understood", QaScale.ThreePoint, 10, AllowNa: true),
            new ScorecardItem("extra", "主动提供额外帮助", "Offered further help unasked", QaScale.YesNo, 5, Bonus: true),
        ]),
    ]);

    public static readonly ScorecardContent CounterService = new(
    [
        new ScorecardSection("environment", "服务环境", "Service environment",
        [
            new ScorecardItem("tidy", "柜台整洁，物品摆放规范", "The counter is tidy, items in their places", QaScale.ThreePoint, 10),
            new ScorecardItem("signage", "服务标识、价目及公告齐全", "Service signs, fee schedules and notices on display", QaScale.YesNo, 10),
            new ScorecardItem("materials", "宣传资料及时更新", "Leaflets and materials up to date", QaScale.YesNo, 5, AllowNa: true),
        ]),
        new ScorecardSection("behaviour", "服务行为", "Service behaviour",
        [
            new ScorecardItem("greet", "客户到来时起身迎接或示意", "Stood or gestured to greet the customer", QaScale.YesNo, 10),
            new ScorecardItem("hands", "双手递接单据、证件", "Handed documents and cards with both hands", QaScale.YesNo, 10),
            new ScorecardItem("attentive", "专注服务，不做与业务无关的事", "Attentive, doing nothing unrelated to the service", QaScale.FourPoint, 15),
            new ScorecardItem("privacy", "保护客户信息，不泄露、不大声念出", "Protected the customer's information, never read aloud", QaScale.YesNo, 15, Critical: true),
        ]),
        new ScorecardSection("language", "服务语言", "Service language",
        [
            new ScorecardItem("welcome", "使用“您好”等迎候语", "Greeted with \"您好\" or the like", QaScale.YesNo, 5),
            new ScorecardItem("standard", "使用普通话或客户熟悉的语言", "Spoke Mandarin or the customer's own language", QaScale.YesNo, 5),
            new ScorecardItem("forbidden", "未使用服务禁语", "Used none of the forbidden phrases", QaScale.YesNo, 10, Critical: true),
            new ScorecardItem("farewell", "使用“请慢走”等送别语", "Took leave with \"请慢走\" or the like", QaScale.YesNo, 5),
            new ScorecardItem("praise", "获客户当场表扬", "Praised by the customer on the spot", QaScale.YesNo, 5, Bonus: true),
        ]),
    ]);

    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var handling = new QualityScorecard
        {
            Code = "case-handling", Number = 1, Name = "案件处理质检表", NameEn = "Case handling review", SubjectKind = QaSubjectKind.CaseHandling,
            ContentJson = CaseHandling.ToJson(), PublishedAt = now.AddDays(-120),
        };
        db.Add(handling);
        db.Add(new QualityScorecard
        {
            Code = "counter-service", Number = 1, Name = "柜面文明规范服务检查表", NameEn = "Counter service standards (CBSS1000 style)",
            SubjectKind = QaSubjectKind.CounterVisit, ContentJson = CounterService.ToJson(), PublishedAt = now.AddDays(-120),
        });
        await db.SaveChangesAsync(ct);

        var inspector = await db.Set<Staff>().AsNoTracking().SingleOrDefaultAsync(s => s.Username == "qa", ct);
        var agent = await db.Set<Staff>().AsNoTracking().SingleOrDefaultAsync(s => s.Username == "sh.agent1", ct);
        if (inspector is null || agent is null)
        {
            return;
        }

        var cases = await db.Set<Case>().AsNoTracking()
            .Where(c => c.AssigneeId == agent.Id && (c.Status == CaseStatus.Resolved || c.Status == CaseStatus.Closed)
                && !db.Set<CaseEvent>().Any(e => e.CaseId == c.Id && e.ActorId == inspector.Id))
            .OrderByDescending(c => c.Id).Take(3).ToListAsync(ct);
        (Dictionary<string, QaAnswer> Answers, string Comment, int DaysAgo)[] reviews =
        [
            (Answers(1, 4, 4, 1, 3, 5, 3, 0), "整体处理规范，记录可以更完整。", 1),
            (Answers(1, 5, 5, null, 4, 5, 3, 1), "处理专业，主动告知了后续注意事项。", 3),
            (Answers(1, 3, 2, 0, 2, 4, 2, 0), "给出的处理方案与产品说明书不一致。", 2),
        ];
        for (var i = 0; i < cases.Count; i++)
        {
            var (answers, comment, daysAgo) = reviews[i];
            var score = QualityScoring.Score(CaseHandling, answers);
            var at = now.AddDays(-daysAgo);
            var review = new QualityReview
            {
                ScorecardId = handling.Id, SubjectKind = QaSubjectKind.CaseHandling, CaseId = cases[i].Id, StaffId = agent.Id, BranchId = cases[i].BranchId,
                TeamId = agent.TeamId, InspectorId = inspector.Id, CreatedAt = at, AnswersJson = JsonSerializer.Serialize(answers, ScorecardContent.Json),
                Comment = comment, Score = score.Score, CriticalFailed = score.CriticalFailed, Status = QaReviewStatus.Open, DisputeUntil = at.AddDays(7),
                FinalScore = score.Score,
            };
            if (i == 1)
            {
                (review.Status, review.RespondedAt) = (QaReviewStatus.Accepted, at.AddHours(5));
            }
            else if (i == 2)
            {
                (review.Status, review.RespondedAt, review.SuggestedScore) = (QaReviewStatus.Disputed, at.AddHours(20), 70m);
                review.DisputeComment = "方案经产品经理确认过，客户也已接受，请复核。";
            }

            db.Add(review);
        }

        await db.SaveChangesAsync(ct);
        await SeedSamplingAsync(db, now, inspector.Id, ct);
        await SeedCalibrationAsync(db, now, handling, ct);
    }

    /// <summary>
    /// Decision 0049's demo: a closed calibration batch in which qa, qa2 and qa3 scored four resolved cases none of them worked on.
    /// Fleiss' kappa: overall 0.58 (moderate), below the 0.6 drift threshold, as understanding, correctness and courtesy are
    /// (the warning shows on the batch page); identity, timeliness, the record, clarity and the bonus agree.
    /// </summary>
    private static async Task SeedCalibrationAsync(StewardDbContext db, DateTimeOffset now, QualityScorecard handling, CancellationToken ct)
    {
        var inspectors = await db.Set<Staff>().AsNoTracking().Where(s => s.Username == "qa" || s.Username == "qa2" || s.Username == "qa3")
            .OrderBy(s => s.Username).ToListAsync(ct);
        var ids = inspectors.Select(i => (long?)i.Id).ToList();
        var cases = await db.Set<Case>().AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Resolved || c.Status == CaseStatus.Closed) && c.AssigneeId != null && !ids.Contains(c.AssigneeId) && !ids.Contains(c.CreatedById)
                && !db.Set<CaseEvent>().Any(e => e.CaseId == c.Id && ids.Contains(e.ActorId)) && !db.Set<QualityReview>().Any(r => r.CaseId == c.Id))
            .OrderByDescending(c => c.Id).Take(4).ToListAsync(ct);
        if (inspectors.Count < 3 || cases.Count < 4)
        {
            return;
        }

        // Case → the answers of qa, qa2, qa3 (identity, understood, correct, timely, recorded, courteous, clear, extra).
        Dictionary<string, QaAnswer>[][] answers =
        [
            [Answers(1, 4, 4, 1, 3, 5, 3, 0), Answers(1, 3, 3, 1, 2, 4, 3, 0), Answers(1, 5, 4, 1, 3, 3, 3, 0)],
            [Answers(1, 5, 5, null, 4, 5, 3, 1), Answers(1, 4, 4, null, 4, 4, 3, 1), Answers(1, 5, 5, null, 4, 5, 3, 1)],
            [Answers(0, 3, 2, 0, 2, 4, 2, 0), Answers(0, 2, 3, 0, 2, 3, 2, 0), Answers(0, 3, 2, 0, 2, 4, 1, 0)],
            [Answers(1, 4, 3, 1, 3, 4, null, 0), Answers(1, 3, 4, 1, 3, 5, null, 0), Answers(1, 4, 3, 0, 3, 4, null, 0)],
        ];
        var batch = new QualityCalibration
        {
            Name = "2026 年第四季度案件处理校准", ScorecardId = handling.Id, CaseIds = string.Join(',', cases.Select(c => c.Id)),
            InspectorIds = string.Join(',', inspectors.Select(i => i.Id)), Status = QaCalibrationStatus.Closed, CreatedById = inspectors[0].Id,
            CreatedAt = now.AddDays(-6), ClosedById = inspectors[0].Id, ClosedAt = now.AddDays(-2),
        };
        db.Add(batch);
        await db.SaveChangesAsync(ct);
        var scores = new List<QualityCalibrationReview>();
        for (var c = 0; c < cases.Count; c++)
        {
            for (var i = 0; i < inspectors.Count; i++)
            {
                var score = QualityScoring.Score(CaseHandling, answers[c][i]);
                scores.Add(new QualityCalibrationReview
                {
                    CalibrationId = batch.Id, CaseId = cases[c].Id, InspectorId = inspectors[i].Id, CreatedAt = now.AddDays(-5).AddHours(c * 3 + i),
                    AnswersJson = JsonSerializer.Serialize(answers[c][i], ScorecardContent.Json), Score = score.Score, CriticalFailed = score.CriticalFailed,
                });
            }
        }

        db.AddRange(scores);
        var agreement = QualityCalibrations.Measure(batch, CaseHandling, scores, 0.6m);
        batch.Kappa = agreement.Overall?.Kappa;
        batch.KappaThreshold = 0.6m;
        batch.Drift = agreement.Overall?.BelowThreshold == true || agreement.Items.Any(i => i.Agreement?.BelowThreshold == true);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Decision 0048's demo: a monthly plan over every branch (5 % random, 1 per staff member, two targeted rules) with its draw of
    /// last month — the selection run over the month's resolved cases, so the draw is as the job would make it — and the open
    /// rectification of the disputed review above (its critical item failed).
    /// </summary>
    private static async Task SeedSamplingAsync(StewardDbContext db, DateTimeOffset now, long inspectorId, CancellationToken ct)
    {
        var plan = new QualitySamplingPlan
        {
            Name = "月度服务质检抽样", Cycle = QaCycle.Monthly, RandomPercent = 5m, MinimumPerStaff = 1, TargetedPerStaff = 1,
            Rules = string.Join(',', QaSamplingRules.Aged65, QaSamplingRules.NewStaff), PassThreshold = 80m, TimeZone = "Asia/Shanghai", CreatedById = inspectorId,
        };
        db.Add(plan);
        await db.SaveChangesAsync(ct);
        var start = QualitySampling.LastEnded(plan, now);
        var (from, until) = QualitySampling.Period(plan, start)!.Value;
        var pool = await db.Set<Case>().AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Resolved || c.Status == CaseStatus.Closed) && c.AssigneeId != null && c.AssigneeId != inspectorId
                && (c.ResolvedAt ?? c.ClosedAt) >= from && (c.ResolvedAt ?? c.ClosedAt) < until && !db.Set<QualityReview>().Any(r => r.CaseId == c.Id))
            .Select(c => new QaPoolCase(c.Id, c.AssigneeId!.Value, Array.Empty<string>())).ToListAsync(ct);
        var seed = QualitySampling.DefaultSeed(plan.Id, start);
        var picks = QaSampleSelection.Select(pool, [], new Dictionary<string, IReadOnlySet<long>>(), 1, 1, 5m, seed);
        var draw = new QualitySampleDraw { PlanId = plan.Id, PeriodStart = from, PeriodEnd = until, Seed = seed, DrawnAt = until.AddMinutes(5), PoolSize = pool.Count, ItemCount = picks.Count };
        db.Add(draw);
        await db.SaveChangesAsync(ct);
        db.AddRange(picks.Select(p => new QualitySampleItem
        {
            DrawId = draw.Id, CaseId = p.CaseId, StaffId = p.StaffId, Reason = p.Reason, Rule = p.Rule, Status = QaSampleItemStatus.Pending, CreatedAt = draw.DrawnAt,
        }));

        var failed = await db.Set<QualityReview>().AsNoTracking().Where(r => r.CriticalFailed).OrderBy(r => r.Id).FirstOrDefaultAsync(ct);
        if (failed is not null)
        {
            var answers = JsonSerializer.Deserialize<Dictionary<string, QaAnswer>>(failed.AnswersJson, ScorecardContent.Json)!;
            var items = QualityScoring.Score(CaseHandling, answers).Items;
            db.Add(new QualityRectification
            {
                ReviewId = failed.Id, CaseId = failed.CaseId, StaffId = failed.StaffId, TeamId = failed.TeamId, BranchId = failed.BranchId,
                Reason = QaRectificationReason.CriticalFail, FailedItems = string.Join(',', CaseHandling.Items.Where(i => items.TryGetValue(i.Id, out var v) && v < 50m).Select(i => i.Id)),
                Score = failed.FinalScore, Threshold = 80m, Status = QaRectificationStatus.Open, OpenedAt = failed.CreatedAt, DueAt = failed.CreatedAt.AddDays(7),
            });
        }

        await db.SaveChangesAsync(ct);
    }

    // The answers of the case-handling scorecard in item order; null for N/A (only the items that allow it).
    private static Dictionary<string, QaAnswer> Answers(int identity, int understood, int correct, int? timely, int recorded, int courteous, int? clear, int extra) => new(StringComparer.Ordinal)
    {
        ["identity"] = new(identity), ["understood"] = new(understood), ["correct"] = new(correct),
        ["timely"] = timely is { } t ? new(t) : new(null, true), ["recorded"] = new(recorded), ["courteous"] = new(courteous),
        ["clear"] = clear is { } c ? new(c) : new(null, true), ["extra"] = new(extra),
    };
}
