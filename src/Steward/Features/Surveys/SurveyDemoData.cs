using Microsoft.EntityFrameworkCore;
using Steward.Features.Demo;
using Steward.Platform.Database;
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
            TriggerEvent = SurveyTrigger.CaseClosed, Kinds = "Complaint", Channels = "", DelayMinutes = 0, ExpiryDays = 14, PublishedAt = now.AddDays(-120),
        });
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
            if (bucket < 2)
            {
                answers["comment"] = [bucket == 0 ? "等了很久才有人处理，而且要我重复说明了三次情况。" : "问题解决了，但过程太慢。"];
            }
        }
        else
        {
            answers["fair"] = [csat >= 4 ? "yes" : csat == 3 ? "partly" : "no"];
        }

        return answers;
    }

    private static string Text(int score) => score.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
