using Microsoft.EntityFrameworkCore;
using Steward.Features.Demo;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Surveys;

/// <summary>
/// The demo's surveys: the service survey sent an hour after a consultation, business or complaint case is resolved (CSAT, NPS,
/// effort, what went well, a comment), and a short one when a complaint is closed — both under the one contact policy. They
/// are published before the demo history is played, so the history's resolutions send invitations (or record why not); then
/// about half of the sent ones are answered a few hours after sending, on the demo clock, through the same code as the public
/// page, and a poor score opens its follow-up for the team lead. The last answers are from the last day, so a follow-up is open
/// and not yet due on the leads' workbenches.
/// </summary>
public static class SurveyDemoData
{
    public static readonly SurveyContent ServiceSurvey = new(
        "服务满意度回访", "How did we do?",
        "感谢您联系我们。以下问题约需一分钟。", "Thank you for contacting us. These questions take about a minute.",
        [
            new SurveyQuestion("csat", SurveyQuestionType.Csat, "您对本次服务的满意程度如何？", "How satisfied are you with the service you received?", Required: true, PoorAtMost: 2),
            new SurveyQuestion("nps", SurveyQuestionType.Nps, "您向亲友推荐我行的可能性有多大？", "How likely are you to recommend us to a friend or relative?", Required: true, PoorAtMost: 6),
            new SurveyQuestion("effort", SurveyQuestionType.Effort, "办成这件事对您来说有多费力？", "How much effort did it take you to get this done?", PoorAtLeast: 6),
            new SurveyQuestion("good", SurveyQuestionType.MultipleChoice, "哪些方面做得好？（可多选）", "What went well? (choose any)", Options:
            [
                new SurveyOption("speed", "办理速度", "Speed"), new SurveyOption("attitude", "服务态度", "Courtesy"),
                new SurveyOption("knowledge", "专业能力", "Knowledge"), new SurveyOption("outcome", "处理结果", "The outcome"),
            ]),
            new SurveyQuestion("comment", SurveyQuestionType.FreeText, "还有什么想告诉我们的？", "Anything else you would like to tell us?"),
        ]);

    public static readonly SurveyContent ComplaintSurvey = new(
        "投诉处理满意度", "Your complaint: how we handled it", null, null,
        [
            new SurveyQuestion("csat", SurveyQuestionType.Csat, "您对投诉的处理过程满意吗？", "How satisfied are you with how we handled your complaint?", Required: true, PoorAtMost: 2),
            new SurveyQuestion("fair", SurveyQuestionType.SingleChoice, "您认为处理结果公平吗？", "Was the outcome fair?", Options:
            [
                new SurveyOption("yes", "公平", "Yes"), new SurveyOption("partly", "部分公平", "Partly"), new SurveyOption("no", "不公平", "No"),
            ]),
            new SurveyQuestion("comment", SurveyQuestionType.FreeText, "您的意见", "Your comments"),
        ]);

    public static async Task SeedDefinitionsAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        db.Add(new SurveyDefinition
        {
            Code = "case-service", Number = 1, Name = "案件服务满意度", NameEn = "Case service satisfaction", ContentJson = ServiceSurvey.ToJson(),
            TriggerEvent = SurveyTrigger.CaseResolved, Kinds = "Consultation,BusinessHandling,Complaint", Channels = "", DelayMinutes = 60, ExpiryDays = 7,
            PublishedAt = now.AddDays(-120),
        });
        db.Add(new SurveyDefinition
        {
            Code = "complaint-closed", Number = 1, Name = "投诉处理满意度", NameEn = "Complaint handling satisfaction", ContentJson = ComplaintSurvey.ToJson(),
            TriggerEvent = SurveyTrigger.ComplaintClosed, Kinds = "", Channels = "", DelayMinutes = 0, ExpiryDays = 14, PublishedAt = now.AddDays(-120),
        });
        db.Add(new SurveyDefinition
        {
            Code = "queue-visit", Number = 1, Name = "网点柜台服务评价", NameEn = "Counter service rating", ContentJson = VisitSurvey.ToJson(),
            TriggerEvent = SurveyTrigger.QueueVisitFinished, Kinds = "", Channels = "", DelayMinutes = 30, ExpiryDays = 3, PublishedAt = now.AddDays(-120),
        });
        await db.SaveChangesAsync(ct);
    }

    public static readonly SurveyContent VisitSurvey = new(
        "网点服务评价", "Rate your visit", "感谢您今天到访。", "Thank you for visiting us today.",
        [
            new SurveyQuestion("csat", SurveyQuestionType.Csat, "您对本次柜台服务满意吗？", "How satisfied are you with the service at the counter?", Required: true, PoorAtMost: 2),
            new SurveyQuestion("effort", SurveyQuestionType.Effort, "办成这件事对您来说有多费力？", "How much effort did it take you to get this done?", PoorAtLeast: 6),
            new SurveyQuestion("comment", SurveyQuestionType.FreeText, "还有什么想告诉我们的？", "Anything else you would like to tell us?"),
        ]);

    /// <summary>
    /// The demo's queue visits of the last traffic day send their survey like a counter's Finish does (<see cref="SurveyInvitations.OnVisitFinishedAsync"/>,
    /// on a demo clock at the visit's end): every third finished visit, served by an agent of the branch (the counter's staff),
    /// its ticket given its QR token when it had none.
    /// </summary>
    public static async Task SeedVisitsAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<StewardDbContext>();
        var tickets = await db.Set<Queues.QueueTicket>().Where(t => t.Status == Queues.TicketStatus.Finished && t.CounterId != null).OrderBy(t => t.EndedAt).ThenBy(t => t.Id).ToListAsync(ct);
        var chosen = tickets.Where(t => t.Id % 3 == 0).ToList();
        if (chosen.Count == 0)
        {
            return;
        }

        var agents = (await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(r => r.Role == StaffRole.Agent)).OrderBy(s => s.Id).Select(s => new { s.Id, s.HomeBranchId }).ToListAsync(ct))
            .GroupBy(s => s.HomeBranchId).ToDictionary(g => g.Key, g => g.Select(s => s.Id).ToList());
        foreach (var t in chosen)
        {
            t.PublicToken ??= Queues.TicketIssuer.NewToken();
            if (agents.TryGetValue(t.BranchId, out var list))
            {
                t.StaffId = list[(int)(t.CounterId!.Value % list.Count)];
            }
        }

        await db.SaveChangesAsync(ct);
        await using var scope = new DemoScope(services, new DemoClock(chosen[0].EndedAt!.Value));
        var invitations = scope.GetRequiredService<SurveyInvitations>();
        foreach (var t in chosen)
        {
            scope.Clock.MoveTo(t.EndedAt!.Value);
            await invitations.OnVisitFinishedAsync(t, t.CounterId!.Value, t.StaffId, ct);
            await scope.Db.SaveChangesAsync(ct);
            scope.Db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// The outer loop's demo: a proposal done 30 days ago (so the analysis shows before and after), one open and one overdue;
    /// and the follow-ups older than three days have their record (root cause, resolved), the newer ones wait for it.
    /// </summary>
    public static async Task SeedLoopAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var old = await db.Set<SurveyResponse>().Where(r => r.FollowUpCaseId != null && r.SubmittedAt < now.AddDays(-3)).ToListAsync(ct);
        string[] causes = ["等待时间超过标准：高峰时段窗口不足。", "首次答复未说明处理进度，客户多次来电。", "员工对产品费率解释不清。"];
        foreach (var r in old)
        {
            (r.RootCause, r.IssueResolved, r.FollowUpRecordedAt, r.FollowUpRecordedById) = (causes[r.Id % causes.Length], r.Id % 3 != 0, r.SubmittedAt.AddHours(20), r.FollowUpOwnerId);
        }

        var branch = await db.Set<Organisation.Branch>().AsNoTracking().OrderBy(b => b.Id).Select(b => (long?)b.Id).FirstOrDefaultAsync(ct);
        var manager = branch is null ? null : await db.Set<Staff>().AsNoTracking()
            .Where(s => s.IsActive && s.HomeBranchId == branch && s.Roles.Any(x => x.Role == StaffRole.BranchManager || x.Role == StaffRole.TeamLead)).OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        if (manager is { } owner && !await db.Set<SurveyImprovement>().AnyAsync(ct))
        {
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            db.AddRange(
                new SurveyImprovement
                {
                    BranchId = branch, Segment = "Channel:Counter", Title = "高峰时段增开窗口", StandardKind = SurveyStandardKind.BlueprintStep, StandardRef = "网点服务蓝图 · 取号与叫号",
                    Proposal = "留言关键词“排队”“等待”居首，CSAT 低于目标。提议：11:00–14:00 至少开放 3 个现金窗口，大堂经理每 15 分钟巡视一次等候区。",
                    OwnerId = owner, DueOn = today.AddDays(-35), Status = SurveyImprovementStatus.Done, CreatedAt = now.AddDays(-50), DoneAt = now.AddDays(-30),
                    DoneNote = "蓝图第 3 步已修订并发布；排班表自下月起执行。",
                },
                new SurveyImprovement
                {
                    BranchId = branch, Segment = "Kind:Consultation", Title = "咨询类首次答复说明处理进度", StandardKind = SurveyStandardKind.Script, StandardRef = "首次答复话术 · 咨询",
                    Proposal = "回访发现客户多次来电询问进度。提议：首次答复话术中写明预计办结时间和查询方式。", OwnerId = owner, DueOn = today.AddDays(14),
                    Status = SurveyImprovementStatus.Open, CreatedAt = now.AddDays(-5),
                },
                new SurveyImprovement
                {
                    BranchId = branch, Segment = "Kind:Complaint", Title = "投诉首次响应时限缩短为 12 小时", StandardKind = SurveyStandardKind.SlaRule, StandardRef = "投诉 · 首次响应",
                    Proposal = "投诉客户的努力度评分偏高。提议：把投诉的首次响应时限从 24 小时缩短为 12 小时。", OwnerId = owner, DueOn = today.AddDays(-3),
                    Status = SurveyImprovementStatus.Open, CreatedAt = now.AddDays(-20),
                });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Answers every other sent invitation (by id), two to five hours after it was sent, oldest first, on a demo clock.</summary>
    public static async Task AnswerAsync(IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var db = services.GetRequiredService<StewardDbContext>();
        var sent = await db.Set<SurveyInvitation>().AsNoTracking().Where(i => i.Status == SurveyInvitationStatus.Sent && i.SendAt < now.AddHours(-2))
            .OrderBy(i => i.SendAt).Select(i => new { i.Id, i.SendAt, i.DefinitionId }).ToListAsync(ct);
        if (sent.Count == 0)
        {
            return;
        }

        await using var scope = new DemoScope(services, new DemoClock(sent[0].SendAt));
        var responses = scope.GetRequiredService<SurveyResponses>();
        foreach (var s in sent.Where(s => s.Id % 2 == 0))
        {
            scope.Clock.MoveTo(s.SendAt.AddHours(2 + s.Id % 4) is var at && at < now ? at : now);
            var invitation = await scope.Db.Set<SurveyInvitation>().SingleAsync(i => i.Id == s.Id, ct);
            var answers = AnswersFor(s.Id, await scope.Db.Set<SurveyDefinition>().Where(d => d.Id == s.DefinitionId).Select(d => d.Code).SingleAsync(ct));
            await responses.RecordAsync(invitation, answers, s.Id % 5 == 0 ? Cultures.English : Cultures.Chinese, ct);
            scope.Db.ChangeTracker.Clear();
        }
    }

    // A spread like a real branch's: mostly satisfied, about one in eight a detractor.
    private static Dictionary<string, IReadOnlyList<string>> AnswersFor(long id, string code)
    {
        var bucket = (int)(id * 7919 % 16);
        var (csat, nps, effort) = bucket switch
        {
            0 => (1, 2, 7),
            1 => (2, 5, 6),
            2 or 3 => (3, 7, 4),
            4 or 5 or 6 or 7 => (4, 8, 3),
            _ => (5, bucket % 2 == 0 ? 10 : 9, bucket % 3 == 0 ? 1 : 2),
        };
        var answers = new Dictionary<string, IReadOnlyList<string>> { ["csat"] = [Text(csat)] };
        if (code == "case-service")
        {
            answers["nps"] = [Text(nps)];
            answers["effort"] = [Text(effort)];
            answers["good"] = csat >= 4 ? (bucket % 2 == 0 ? ["speed", "attitude"] : ["knowledge"]) : [];
            if (ServiceComments.GetValueOrDefault(bucket) is { } comment && (bucket < 4 || id % 3 == 0))
            {
                answers["comment"] = [comment];
            }
        }
        else if (code == "queue-visit")
        {
            answers["effort"] = [Text(effort)];
            if (VisitComments.GetValueOrDefault(bucket) is { } comment && (bucket < 4 || id % 2 == 0))
            {
                answers["comment"] = [comment];
            }
        }
        else
        {
            answers["fair"] = [csat >= 4 ? "yes" : csat == 3 ? "partly" : "no"];
        }

        return answers;
    }

    // Comments by score bucket, so the keyword analysis has something to find: waiting, repeating oneself, courtesy; one
    // that meets the complaint definition (a wrong fee, a refund asked for) so a follow-up offers the complaint intake.
    private static readonly Dictionary<int, string> ServiceComments = new()
    {
        [0] = "等了很久才有人处理，而且要我重复说明了三次情况。",
        [1] = "问题解决了，但处理过程太慢，等待时间太长。",
        [2] = "手续费扣错了，要求退还多扣的手续费，这样乱收费我很不满。",
        [3] = "The wait was too long and nobody told me what was happening.",
        [8] = "客户经理很耐心，讲解清楚。",
        [10] = "办理速度快，态度很好。",
        [12] = "Quick and friendly staff, thank you.",
        [14] = "客户经理态度很好，处理结果满意。",
    };

    private static readonly Dictionary<int, string> VisitComments = new()
    {
        [0] = "排队时间太长，窗口开得太少。",
        [1] = "排队等了四十分钟，叫号屏也看不清楚。",
        [2] = "排队时间有点长，柜员态度还可以。",
        [3] = "Long queue at lunchtime, only two counters open.",
        [8] = "柜员态度很好，办理很快。",
        [11] = "柜员很耐心，帮我把手续一次办完。",
    };

    private static string Text(int score) => score.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
