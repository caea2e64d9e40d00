using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Quality;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Quality;

/// <summary>
/// Quality reviews (issue 16, decision 0046): the scores of hand-worked examples (weights, N/A, a bonus item, its cap, critical
/// fails), a newer scorecard version leaving a review made unchanged; bad input and one's own case refused with nothing stored;
/// the dispute flow and who may do what in it. The test clock starts Mon 2026-11-23 01:00 UTC.
/// </summary>
public sealed class QualityReviewTests
{
    // The test scorecard: a yes/no critical item (weight 20), a 5-point item (30), a 3-point item that allows N/A (10),
    // a 4-point critical item (40) and a yes/no bonus item (10).
    private static object Card(int bWeight = 30) => new
    {
        code = "t-card", basedOn = (int?)null, name = "测试评分表", nameEn = "Test scorecard", subjectKind = "CaseHandling",
        content = new
        {
            sections = new object[]
            {
                new
                {
                    id = "s1", title = "处理", titleEn = "Handling",
                    items = new object[]
                    {
                        new { id = "a", text = "核实身份", textEn = "Identity verified", scale = "YesNo", weight = 20, critical = true },
                        new { id = "b", text = "理解诉求", textEn = "Understood", scale = "FivePoint", weight = bWeight },
                        new { id = "c", text = "解释清楚", textEn = "Explained", scale = "ThreePoint", weight = 10, allowNa = true },
                        new { id = "d", text = "方案正确", textEn = "Correct", scale = "FourPoint", weight = 40, critical = true },
                        new { id = "e", text = "额外帮助", textEn = "Extra help", scale = "YesNo", weight = 10, bonus = true },
                    },
                },
            },
        },
    };

    private static Dictionary<string, object> Answers(int? a, int? b, int? c, int? d, int? e)
    {
        var answers = new Dictionary<string, object>();
        void Add(string id, int? v, bool na = false)
        {
            if (na)
            {
                answers[id] = new { na = true };
            }
            else if (v is { } value)
            {
                answers[id] = new { value, comment = "备注 " + id };
            }
        }

        Add("a", a);
        Add("b", b);
        Add("c", c, na: c is null);
        Add("d", d);
        Add("e", e);
        return answers;
    }

    private sealed record Setup(StewardApp App, Staff Agent, Staff Agent2, Staff Lead, Staff OtherLead, Staff Inspector, Staff Inspector2, HttpClient InspectorApi, long CaseId);

    private static async Task<Setup> SetUpAsync(StewardApp app)
    {
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var otherTeam = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var agent2 = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var otherLead = await app.CreateStaffAsync(branch.Id, otherTeam.Id, StaffRole.TeamLead);
        var inspector = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var inspector2 = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var agentApi = await app.ApiClientAsync(agent.Username);
        var created = await StewardApp.CreateCaseAsync(agentApi, branchId: branch.Id);
        var inspectorApi = await app.ApiClientAsync(inspector.Username);
        await (await inspectorApi.PostJsonAsync("/api/v1/qa/scorecards", Card())).ShouldBeJsonAsync(HttpStatusCode.OK);
        return new Setup(app, agent, agent2, lead, otherLead, inspector, inspector2, inspectorApi, created.GetProperty("id").GetInt64());
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient api, long caseId, Dictionary<string, object> answers, int? number = null) =>
        api.PostJsonAsync("/api/v1/qa/reviews", new { caseId, scorecard = "t-card", scorecardNumber = number, answers, comment = "总评" });

    [Theory, BothDatabases]
    public async Task Scores_MatchHandWorkedExamples_AndANewScorecardVersionLeavesAReviewMadeUnchanged(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var s = await SetUpAsync(app);

        // 1. Weights and N/A. a yes = 100; b 4 of 1–5 = (4−1)/(5−1) = 75; c N/A (left out); d 3 of 1–4 = 2/3 = 66.667; e no bonus.
        //    (20·100 + 30·75 + 40·66.667) / (20 + 30 + 40) = (2000 + 2250 + 2666.67) / 90 = 6916.67 / 90 = 76.852 → 76.85.
        var first = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 4, null, 3, 0), number: 1)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(76.85m, first.GetProperty("score").GetDecimal());
        Assert.False(first.GetProperty("criticalFailed").GetBoolean());
        Assert.Equal(s.Agent.Id, first.GetProperty("staffId").GetInt64());
        Assert.Equal(75m, first.GetProperty("itemScores").GetProperty("b").GetDecimal());
        Assert.False(first.GetProperty("itemScores").TryGetProperty("c", out _));

        // 2. A bonus on top. a 100; b 3 → 50; c 2 of 1–3 → 50; d 3 → 66.667; e yes → +10 × 100 / 100 = +10 points.
        //    (2000 + 1500 + 500 + 2666.67) / 100 = 66.667; + 10 = 76.667 → 76.67.
        var bonus = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 3, 2, 3, 1))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(76.67m, bonus.GetProperty("score").GetDecimal());

        // 3. The cap: every item at its best (100) plus the bonus's 10 points = 110 → 100.
        var capped = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 5, 3, 4, 1))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(100m, capped.GetProperty("score").GetDecimal());

        // 4. A critical fail: a no = 0 % (< 50 %) sets the review to 0 though the rest is perfect (it would be 80 + 10 = 90).
        var failed = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(0, 5, 3, 4, 1))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal((0m, true), (failed.GetProperty("score").GetDecimal(), failed.GetProperty("criticalFailed").GetBoolean()));

        // 5. A critical item at 2 of 1–4 = 33.3 % also fails; at 3 of 1–5 = exactly 50 % it would not (not below 50 %).
        var d2 = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 5, 3, 2, 0))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(0m, d2.GetProperty("score").GetDecimal());

        // Version 2 weighs b at 60. The review made with version 1 keeps version 1 and its 76.85; a form opened on version 1 is stale.
        var v2 = Card(bWeight: 60) is var card ? JsonSerializer.SerializeToElement(card, StewardApp.Json) : default;
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(v2.GetRawText())!;
        body["basedOn"] = JsonSerializer.SerializeToElement(1);
        var published = await (await s.InspectorApi.PostJsonAsync("/api/v1/qa/scorecards", body)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, published.GetProperty("number").GetInt32());
        var again = await (await s.InspectorApi.GetAsync($"/api/v1/qa/reviews/{first.GetProperty("id").GetInt64()}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((1, 76.85m), (again.GetProperty("scorecardNumber").GetInt32(), again.GetProperty("score").GetDecimal()));
        Assert.Equal(75m, again.GetProperty("itemScores").GetProperty("b").GetDecimal());
        var stale = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 4, null, 3, 0), number: 1)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("stale-version", stale.GetProperty("code").GetString());
        // With version 2 the same answers weigh b at 60: (2000 + 60·75 + 2666.67) / 120 = 9166.67 / 120 = 76.389 → 76.39.
        var onV2 = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 4, null, 3, 0), number: 2)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal((2, 76.39m), (onV2.GetProperty("scorecardNumber").GetInt32(), onV2.GetProperty("score").GetDecimal()));
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task BadInput_AndOnesOwnCase_AreRefused_AndStoreNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var s = await SetUpAsync(app);

        // A required item missing (b), a score off the scale (d = 5 on 1–4), N/A where forbidden (a), an unknown item: each at its field.
        var missing = Answers(1, null, 2, 3, null);
        var problem = await (await ReviewAsync(s.InspectorApi, s.CaseId, missing)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["answers.b"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray());
        var off = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 4, 2, 5, 0))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["answers.d"], off.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray());
        var naForbidden = Answers(1, 4, 2, 3, 0);
        naForbidden["a"] = new { na = true };
        naForbidden["zz"] = new { value = 1 };
        var na = await (await ReviewAsync(s.InspectorApi, s.CaseId, naForbidden)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["answers.a", "answers.zz"], na.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());

        // On the page: the message at the item, in the reader's language, the answers kept, nothing stored.
        var page = await PageClient.SignInAsync(app, s.Inspector.Username, language: "zh-CN");
        var url = $"/Quality/Review?caseId={s.CaseId}";
        var posted = await page.PostFormAsync(url, new() { ["caseId"] = s.CaseId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["scorecard"] = "t-card", ["a.a"] = "1", ["a.b"] = "9", ["a.c"] = "na", ["a.d"] = "3", ["c.b"] = "语速太快" });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Contains("请选择 1 到 5 之间的分数", html, StringComparison.Ordinal);
        Assert.Contains("语速太快", html, StringComparison.Ordinal);

        // Not an inspector: 403. The inspector's own case (they created it): 403 on the API and said on the page.
        var agentApi = await app.ApiClientAsync(s.Agent2.Username);
        await (await ReviewAsync(agentApi, s.CaseId, Answers(1, 4, 2, 3, 0))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var ownCase = await StewardApp.CreateCaseAsync(s.InspectorApi, branchId: s.Agent.HomeBranchId);
        var ownId = ownCase.GetProperty("id").GetInt64();
        var own = await (await ReviewAsync(s.InspectorApi, ownId, Answers(1, 4, 2, 3, 0))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("qa-own-work", own.GetProperty("code").GetString());
        var (ownStatus, ownHtml) = await page.GetAsync($"/Quality/Review?caseId={ownId}");
        Assert.Equal(HttpStatusCode.Forbidden, ownStatus);
        Assert.Contains("qa-refused", ownHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("qa-review-form", ownHtml, StringComparison.Ordinal);

        // One who only added a note to the case worked on it too.
        var inspector2Api = await app.ApiClientAsync(s.Inspector2.Username);
        var detail = await (await inspector2Api.GetAsync($"/api/v1/cases/{s.CaseId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await inspector2Api.PostJsonAsync($"/api/v1/cases/{s.CaseId}/notes", new { body = "质检前的内部备注。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var noted = await (await ReviewAsync(inspector2Api, s.CaseId, Answers(1, 4, 2, 3, 0))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("qa-own-work", noted.GetProperty("code").GetString());
        Assert.True(detail.GetProperty("version").GetInt32() > 0);

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualityReview>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task TheStaffMemberDisputes_TheirLeadResolves_AndOnlyThoseMayDoSo(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var s = await SetUpAsync(app);
        var made = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 4, null, 3, 0))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = made.GetProperty("id").GetInt64();
        // Made at 01:00 UTC on Nov 23; the window is 7 days.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero), made.GetProperty("disputeUntil").GetDateTimeOffset());

        var agent = await app.ApiClientAsync(s.Agent.Username);
        var colleague = await app.ApiClientAsync(s.Agent2.Username);
        var lead = await app.ApiClientAsync(s.Lead.Username);
        var otherLead = await app.ApiClientAsync(s.OtherLead.Username);
        var inspector2 = await app.ApiClientAsync(s.Inspector2.Username);

        // Who reads it: the agent, their lead, inspectors; not a colleague, not another team's lead.
        await (await agent.GetAsync($"/api/v1/qa/reviews/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await lead.GetAsync($"/api/v1/qa/reviews/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await colleague.GetAsync($"/api/v1/qa/reviews/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await otherLead.GetAsync($"/api/v1/qa/reviews/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await colleague.GetAsync("/api/v1/qa/reviews")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await colleague.GetAsync("/api/v1/qa/scorecards")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        // Only the agent answers it; a bad suggestion changes nothing; then the dispute.
        await (await lead.PostJsonAsync($"/api/v1/qa/reviews/{id}/dispute", new { suggestedScore = 90, comment = "代为申诉" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var bad = await (await agent.PostJsonAsync($"/api/v1/qa/reviews/{id}/dispute", new { suggestedScore = 150, comment = "" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["comment", "suggestedScore"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(QaReviewStatus.Open, await app.WithDbAsync(db => db.Set<QualityReview>().Where(r => r.Id == id).Select(r => r.Status).SingleAsync()));
        var disputed = await (await agent.PostJsonAsync($"/api/v1/qa/reviews/{id}/dispute", new { suggestedScore = 85, comment = "客户已确认理解，请复核第 4 项。" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Disputed", disputed.GetProperty("status").GetString());
        // The agent heard of the review, the lead of the dispute (with its link); the other team's lead of nothing.
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Steward.Features.Notifications.Notification>().CountAsync(n => n.StaffId == s.Agent.Id && n.Kind == "qa.review")));
        Assert.Equal($"/Quality/Reviews/{id}", await app.WithDbAsync(db => db.Set<Steward.Features.Notifications.Notification>().Where(n => n.StaffId == s.Lead.Id && n.Kind == "qa.dispute").Select(n => n.Link).SingleAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Steward.Features.Notifications.Notification>().CountAsync(n => n.StaffId == s.OtherLead.Id)));

        // Who resolves: not the inspector who made it, not the agent, not another team's lead (cannot see it).
        var change = new { uphold = false, score = 85, comment = "复核录音后同意改分。" };
        await (await s.InspectorApi.PostJsonAsync($"/api/v1/qa/reviews/{id}/resolve", change)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.PostJsonAsync($"/api/v1/qa/reviews/{id}/resolve", change)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await otherLead.PostJsonAsync($"/api/v1/qa/reviews/{id}/resolve", change)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var noComment = await (await lead.PostJsonAsync($"/api/v1/qa/reviews/{id}/resolve", new { uphold = false, score = 85 })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noComment.GetProperty("errors").TryGetProperty("resolutionComment", out _));

        // The lead, on the page: the dispute is waiting for them on /Quality; they change the score to 85.
        var leadPage = await PageClient.SignInAsync(app, s.Lead.Username, language: "en");
        var (_, index) = await leadPage.GetAsync("/Quality");
        Assert.Contains("qa-disputes", index, StringComparison.Ordinal);
        var resolved = await leadPage.PostFormAsync($"/Quality/Reviews/{id}?handler=Change", new() { ["resolveScore"] = "85", ["resolutionComment"] = "Agreed after listening to the call." }, $"/Quality/Reviews/{id}");
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var after = await (await agent.GetAsync($"/api/v1/qa/reviews/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Changed", 76.85m, 85m, s.Lead.Id), (after.GetProperty("status").GetString(), after.GetProperty("score").GetDecimal(),
            after.GetProperty("finalScore").GetDecimal(), after.GetProperty("resolvedById").GetInt64()));
        await (await agent.PostJsonAsync($"/api/v1/qa/reviews/{id}/dispute", new { suggestedScore = 95, comment = "再次申诉" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await inspector2.PostJsonAsync($"/api/v1/qa/reviews/{id}/resolve", change)).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // A second review; 8 days later the window has closed: a dispute is refused, accepting still works.
        var second = await (await ReviewAsync(s.InspectorApi, s.CaseId, Answers(1, 5, 3, 4, 0))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var secondId = second.GetProperty("id").GetInt64();
        app.Clock.Advance(TimeSpan.FromDays(8));
        agent = await app.ApiClientAsync(s.Agent.Username);
        var late = await (await agent.PostJsonAsync($"/api/v1/qa/reviews/{secondId}/dispute", new { suggestedScore = 100, comment = "晚了" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qa-dispute-window-closed", late.GetProperty("code").GetString());
        var accepted = await (await agent.PostJsonAsync($"/api/v1/qa/reviews/{secondId}/accept", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());

        // Every step is in the audit log: made, disputed, resolved.
        var entries = await app.AuditEntriesAsync("QualityReview", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, entries.Count);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }
}
