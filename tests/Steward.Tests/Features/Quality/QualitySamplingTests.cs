using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Quality;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Quality;

/// <summary>
/// Sampling plans and rectifications (issue 16, decision 0048): a draw's guaranteed minimum per staff member and targeted items,
/// the same seed drawing the same sample; a critical fail's rectification closing only with evidence and a passing re-check;
/// bad input and who may do what. The test clock starts Mon 2026-11-23 01:00 UTC (09:00 in Shanghai), so the last ended monthly
/// period in Asia/Shanghai is October: 2026-09-30 16:00 UTC to 2026-10-31 16:00 UTC.
/// </summary>
public sealed class QualitySamplingTests
{
    private static readonly DateTimeOffset InOctober = new(2026, 10, 15, 2, 0, 0, TimeSpan.Zero);

    private static int counter;

    private static Task<long> CaseAsync(StewardApp app, long branchId, long assigneeId, DateTimeOffset resolvedAt, long? customerId = null) => app.WithDbAsync(async db =>
    {
        var c = new Case
        {
            Reference = FormattableString.Invariant($"QS{Interlocked.Increment(ref counter):D8}"), Kind = CaseKind.Consultation, Channel = CaseChannel.Phone,
            Status = CaseStatus.Resolved, Subject = "咨询", Description = "客户咨询。", BranchId = branchId, AssigneeId = assigneeId, ResolvedAt = resolvedAt,
            CustomerId = customerId,
        };
        db.Add(c);
        await db.SaveChangesAsync();
        return c.Id;
    });

    private static object Plan(decimal percent = 10, int minimum = 2, string[]? rules = null, string name = "月度抽样") => new
    {
        name, cycle = "Monthly", randomPercent = percent, minimumPerStaff = minimum, targetedPerStaff = 0, rules = rules ?? ["customer-65"],
        branchIds = Array.Empty<long>(), passThreshold = 80, timeZone = "Asia/Shanghai",
    };

    private static long[] Ids(JsonElement items, string property = "caseId") => [.. items.EnumerateArray().Select(i => i.GetProperty(property).GetInt64()).Order()];

    [Theory, BothDatabases]
    public async Task ADraw_GivesEachStaffMemberTheMinimum_AndEveryTargetedCase_AndTheSameSeedDrawsTheSameSample(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var a = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var b = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var c = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var inspector = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var api = await app.ApiClientAsync(inspector.Username);
        // A customer born 1950-05-01 is 76 on 2026-10-31: the 65+ rule picks both cases about them.
        var elder = await app.CreateCustomerAsync(branch.Id);
        await app.WithDbAsync(async db =>
        {
            await db.Set<Steward.Features.Customers.Customer>().Where(x => x.Id == elder.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.BirthDate, new DateOnly(1950, 5, 1)));
        });
        var aged = new[] { await CaseAsync(app, branch.Id, a.Id, InOctober, elder.Id), await CaseAsync(app, branch.Id, a.Id, InOctober.AddDays(1), elder.Id) };
        for (var i = 0; i < 8; i++)
        {
            await CaseAsync(app, branch.Id, a.Id, InOctober.AddHours(i));
        }

        for (var i = 0; i < 10; i++)
        {
            await CaseAsync(app, branch.Id, b.Id, InOctober.AddHours(i));
        }

        var onlyC = await CaseAsync(app, branch.Id, c.Id, InOctober);
        // Outside the period (resolved 2026-11-02): never in October's pool.
        await CaseAsync(app, branch.Id, b.Id, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));

        var plan = await (await api.PostJsonAsync("/api/v1/qa/plans", Plan())).ShouldBeJsonAsync(HttpStatusCode.Created);
        var planId = plan.GetProperty("id").GetInt64();

        // By hand: pool = a 10 + b 10 + c 1 = 21. Targeted (65+): a's 2. Minimum 2: a has 2 already, b gets 2, c its only 1 → 5.
        // The rest: 21 − 5 = 16; 10 % of 16 = 1.6 → 2 at random. In all 7.
        var first = await (await api.PostJsonAsync($"/api/v1/qa/plans/{planId}/draws/preview", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(21, first.GetProperty("poolSize").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 9, 30, 16, 0, 0, TimeSpan.Zero), first.GetProperty("periodStart").GetDateTimeOffset());
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, items.Count);
        Assert.Equal(aged.Order().ToArray(), items.Where(i => i.GetProperty("reason").GetString() == "Targeted").Select(i => i.GetProperty("caseId").GetInt64()).Order().ToArray());
        Assert.All(items.Where(i => i.GetProperty("reason").GetString() == "Targeted"), i => Assert.Equal("customer-65", i.GetProperty("rule").GetString()));
        Assert.Equal(3, items.Count(i => i.GetProperty("reason").GetString() == "StaffMinimum"));
        Assert.Equal(2, items.Count(i => i.GetProperty("reason").GetString() == "Random"));
        Assert.True(items.Count(i => i.GetProperty("staffId").GetInt64() == b.Id) >= 2);
        Assert.Contains(onlyC, items.Select(i => i.GetProperty("caseId").GetInt64()));

        // The same seed over the same pool: the same cases. Another seed: another sample (b's 2 of 10 and 2 random of 16 change).
        var again = await (await api.PostJsonAsync($"/api/v1/qa/plans/{planId}/draws/preview", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Ids(first.GetProperty("items")), Ids(again.GetProperty("items")));
        var seed = first.GetProperty("seed").GetInt64();
        var other = await (await api.PostJsonAsync($"/api/v1/qa/plans/{planId}/draws/preview", new { seed = seed + 1 })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(Ids(first.GetProperty("items")), Ids(other.GetProperty("items")));
        // The default seed: plan id × 100 000 + the day number of 2026-10-01.
        Assert.Equal((planId * 100_000) + new DateOnly(2026, 10, 1).DayNumber, seed);

        // The draw stores what the preview showed, with its seed; the period is drawn once.
        var draw = await (await api.PostJsonAsync($"/api/v1/qa/plans/{planId}/draws", new { })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Ids(first.GetProperty("items")), Ids(draw.GetProperty("items")));
        Assert.Equal(seed, draw.GetProperty("seed").GetInt64());
        var twice = await (await api.PostJsonAsync($"/api/v1/qa/plans/{planId}/draws", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qa-already-drawn", twice.GetProperty("code").GetString());

        // A second plan over the same month leaves out the 7 sampled: its pool is 21 − 7 = 14.
        var second = await (await api.PostJsonAsync("/api/v1/qa/plans", Plan(percent: 0, minimum: 0, rules: [], name: "第二方案"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var secondDraw = await (await api.PostJsonAsync($"/api/v1/qa/plans/{second.GetProperty("id").GetInt64()}/draws/preview", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(14, secondDraw.GetProperty("poolSize").GetInt32());

        // An item removed with a reason stays, removed; without a reason it is refused at the field.
        var itemId = draw.GetProperty("items")[0].GetProperty("id").GetInt64();
        var noReason = await (await api.PostJsonAsync($"/api/v1/qa/sample-items/{itemId}/remove", new { reason = " " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var removed = await (await api.PostJsonAsync($"/api/v1/qa/sample-items/{itemId}/remove", new { reason = "客户已撤诉，案件不具代表性。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Removed", removed.GetProperty("status").GetString());

        // The pages: the plan, its draw with why each case was picked, in Chinese.
        var page = await PageClient.SignInAsync(app, inspector.Username, language: "zh-CN");
        var (status, html) = await page.GetAsync($"/Quality/Draws/{draw.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("65 岁及以上客户", html, StringComparison.Ordinal);
        Assert.Contains("每人保底", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync($"/Quality/Plans/{planId}")).Item1);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task TheJob_DrawsEachActivePlan_WhenItsPeriodEnds(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var inspector = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var api = await app.ApiClientAsync(inspector.Username);
        await CaseAsync(app, branch.Id, agent.Id, InOctober);
        await (await api.PostJsonAsync("/api/v1/qa/plans", Plan(percent: 100, minimum: 0, rules: []))).ShouldBeJsonAsync(HttpStatusCode.Created);
        // October ended before the plan was made (2026-11-23): the job does not draw it.
        await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(QualitySampling.JobName);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualitySampleDraw>().CountAsync()));
        // A case resolved in November; on 2026-12-01 09:00 Shanghai November has ended: the job draws it, 100 % → the one case.
        var november = await CaseAsync(app, branch.Id, agent.Id, new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));
        app.Clock.Advance(TimeSpan.FromDays(8));
        await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(QualitySampling.JobName);
        var items = await app.WithDbAsync(db => db.Set<QualitySampleItem>().Select(i => new { i.CaseId, i.Reason, i.DrawId }).ToListAsync());
        Assert.Equal([(november, QaSampleReason.Random)], items.Select(i => (i.CaseId, i.Reason)).ToArray());
        var drawn = await app.WithDbAsync(db => db.Set<QualitySampleDraw>().SingleAsync());
        Assert.Null(drawn.DrawnById);
        // The inspector sees it to review on /Quality.
        var page = await PageClient.SignInAsync(app, inspector.Username, language: "en");
        var (_, html) = await page.GetAsync("/Quality");
        Assert.Contains("qa-sampled-row", html, StringComparison.Ordinal);
    }

    private static object Card() => new
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
                        new { id = "a", text = "核实身份", textEn = "Identity verified", scale = "YesNo", weight = 50, critical = true },
                        new { id = "b", text = "理解诉求", textEn = "Understood", scale = "FivePoint", weight = 50 },
                    },
                },
            },
        },
    };

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient api, long caseId, int a, int b) =>
        api.PostJsonAsync("/api/v1/qa/reviews", new { caseId, scorecard = "t-card", answers = new Dictionary<string, object> { ["a"] = new { value = a }, ["b"] = new { value = b } } });

    [Theory, BothDatabases]
    public async Task ACriticalFail_OpensARectification_ThatClosesOnlyWithEvidenceAndAPassingRecheck(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var otherTeam = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var otherLead = await app.CreateStaffAsync(branch.Id, otherTeam.Id, StaffRole.TeamLead);
        var inspector = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var api = await app.ApiClientAsync(inspector.Username);
        await (await api.PostJsonAsync("/api/v1/qa/scorecards", Card())).ShouldBeJsonAsync(HttpStatusCode.OK);
        var agentApi = await app.ApiClientAsync(agent.Username);

        // a = no on the critical item: 0 % < 50 % → the review is 0 and a rectification opens for the agent, due in 7 days.
        var first = await CaseAsync(app, branch.Id, agent.Id, InOctober);
        await (await ReviewAsync(api, first, 0, 5)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var list = await (await agentApi.GetAsync("/api/v1/qa/rectifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var rect = Assert.Single(list.EnumerateArray());
        var id = rect.GetProperty("id").GetInt64();
        Assert.Equal(("CriticalFail", "Open"), (rect.GetProperty("reason").GetString(), rect.GetProperty("status").GetString()));
        Assert.Equal("a", Assert.Single(rect.GetProperty("failedItems").EnumerateArray()).GetString());
        var named = Assert.Single(rect.GetProperty("failedItemNames").EnumerateArray());
        Assert.Equal(("核实身份", "Identity verified"), (named.GetProperty("text").GetString(), named.GetProperty("textEn").GetString()));
        Assert.Equal("Asia/Shanghai", rect.GetProperty("branchTimeZone").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero), rect.GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(await app.WithDbAsync(db => db.Set<Steward.Features.Notifications.Notification>().AnyAsync(n => n.StaffId == lead.Id && n.Kind == "qa.rectification")));

        // Leads: their team's only. Someone else's rectification: 404.
        var leadApi = await app.ApiClientAsync(lead.Username);
        Assert.Single((await (await leadApi.GetAsync("/api/v1/qa/rectifications")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        var otherLeadApi = await app.ApiClientAsync(otherLead.Username);
        Assert.Empty((await (await otherLeadApi.GetAsync("/api/v1/qa/rectifications")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await otherLeadApi.GetAsync($"/api/v1/qa/rectifications/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        // Empty evidence: refused at the field; the lead cannot give the agent's evidence.
        var empty = await (await agentApi.PostJsonAsync($"/api/v1/qa/rectifications/{id}/evidence", new { evidence = "  " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(empty.GetProperty("errors").TryGetProperty("evidence", out _));
        await (await leadApi.PostJsonAsync($"/api/v1/qa/rectifications/{id}/evidence", new { evidence = "代写" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        // Evidence without a re-check: still open (no later case yet, so nothing to re-check; verifying now is refused at reviewId).
        var given = await (await agentApi.PostJsonAsync($"/api/v1/qa/rectifications/{id}/evidence", new { evidence = "已学习身份核实规程，每笔业务先核验证件。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("EvidenceSubmitted", given.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, given.GetProperty("recheck").ValueKind);
        var noRecheck = await (await api.PostJsonAsync($"/api/v1/qa/rectifications/{id}/verify", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noRecheck.GetProperty("errors").TryGetProperty("reviewId", out _));

        // A later case; the job draws it as the re-check. The re-check review fails (a = no again): still open, new evidence wanted.
        var second = await CaseAsync(app, branch.Id, agent.Id, TestClock.DefaultStart.AddMinutes(30));
        await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(QualitySampling.JobName);
        var withRecheck = await (await agentApi.GetAsync($"/api/v1/qa/rectifications/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((second, "Recheck"), (withRecheck.GetProperty("recheck").GetProperty("caseId").GetInt64(), withRecheck.GetProperty("recheck").GetProperty("reason").GetString()));
        await (await ReviewAsync(api, second, 0, 5)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var failedRecheck = await (await agentApi.GetAsync($"/api/v1/qa/rectifications/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Open", 1), (failedRecheck.GetProperty("status").GetString(), failedRecheck.GetProperty("failedRechecks").GetInt32()));
        // The failing re-check opens no second rectification of its own.
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<QualityRectification>().CountAsync()));

        // New evidence draws the next later case at once; its review passes (a yes, b 4 → (50·100 + 50·75) / 100 = 87.5 ≥ 80): closed.
        var third = await CaseAsync(app, branch.Id, agent.Id, TestClock.DefaultStart.AddMinutes(40));
        var again = await (await agentApi.PostJsonAsync($"/api/v1/qa/rectifications/{id}/evidence", new { evidence = "经组长带教，已连续十笔业务规范核验身份。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(third, again.GetProperty("recheck").GetProperty("caseId").GetInt64());
        var passed = await (await ReviewAsync(api, third, 1, 4)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(87.5m, passed.GetProperty("score").GetDecimal());
        var closed = await (await agentApi.GetAsync($"/api/v1/qa/rectifications/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.False(closed.GetProperty("trainingNeeded").GetBoolean());

        // The same item failing again within 90 days: a new rectification that says training is needed.
        var fourth = await CaseAsync(app, branch.Id, agent.Id, TestClock.DefaultStart.AddMinutes(50));
        await (await ReviewAsync(api, fourth, 0, 5)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var repeat = await app.WithDbAsync(db => db.Set<QualityRectification>().OrderByDescending(r => r.Id).FirstAsync());
        Assert.Equal((fourth, true), (repeat.CaseId, repeat.TrainingNeeded));

        // The pages, in Chinese: the list and the detail with the evidence form for the agent.
        var page = await PageClient.SignInAsync(app, agent.Username, language: "zh-CN");
        var (status, html) = await page.GetAsync($"/Quality/Rectifications/{repeat.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("qa-evidence-form", html, StringComparison.Ordinal);
        Assert.Contains("需安排培训", html, StringComparison.Ordinal);
        // What to rectify is the item as the scorecard words it, in the reader's language; the due time is the branch's
        // (opened 2026-11-23 01:00 UTC + 7 days = 2026-11-30 01:00 UTC = 09:00 in Shanghai).
        Assert.Contains("<li>核实身份</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Identity verified", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-30 09:00 CST", html, StringComparison.Ordinal);
        var posted = await page.PostFormAsync($"/Quality/Rectifications/{repeat.Id}?handler=Evidence", new() { ["Evidence"] = "" }, $"/Quality/Rectifications/{repeat.Id}");
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("请填写整改措施及其证明", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task BadPlans_AnAgentsPlan_AndVerifyingOnesOwnRectification_AreRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var inspector = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var api = await app.ApiClientAsync(inspector.Username);

        // Percent 150, minimum −1, an unknown rule: each at its field, in the request's language; nothing stored.
        var bad = new
        {
            name = "坏方案", cycle = "Monthly", randomPercent = 150, minimumPerStaff = -1, targetedPerStaff = 0, rules = new[] { "bogus" },
            branchIds = Array.Empty<long>(), passThreshold = 80,
        };
        var problem = await (await api.PostJsonAsync("/api/v1/qa/plans", bad)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["minimumPerStaff", "randomPercent", "rules"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualitySamplingPlan>().CountAsync()));

        // On the page: at the field, in Chinese.
        var page = await PageClient.SignInAsync(app, inspector.Username, language: "zh-CN");
        var posted = await page.PostFormAsync("/Quality/Plans", new()
        {
            ["Form.Name"] = "坏方案", ["Form.Cycle"] = "Monthly", ["Form.RandomPercent"] = "101", ["Form.MinimumPerStaff"] = "2", ["Form.TargetedPerStaff"] = "1",
            ["Form.PassThreshold"] = "80", ["Form.TimeZone"] = "Asia/Shanghai",
        });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Contains("e-plan-percent", html, StringComparison.Ordinal);
        Assert.Contains("随机抽样比例须在 0 到 100 之间", html, StringComparison.Ordinal);

        // An agent may not create a plan (403) nor see the plans page.
        var agentApi = await app.ApiClientAsync(agent.Username);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentApi.PostJsonAsync("/api/v1/qa/plans", Plan())).StatusCode);
        var agentPage = await PageClient.SignInAsync(app, agent.Username, language: "zh-CN");
        Assert.Equal(HttpStatusCode.Forbidden, (await agentPage.GetAsync("/Quality/Plans")).Item1);

        // An inspector who also handles cases fails a review by another inspector; they may not verify their own rectification.
        var handler = await app.CreateStaffAsync(branch.Id, StaffRole.Agent, StaffRole.QaInspector);
        await (await api.PostJsonAsync("/api/v1/qa/scorecards", Card())).ShouldBeJsonAsync(HttpStatusCode.OK);
        var theirs = await CaseAsync(app, branch.Id, handler.Id, InOctober);
        await (await ReviewAsync(api, theirs, 0, 5)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var rectId = await app.WithDbAsync(db => db.Set<QualityRectification>().Select(r => r.Id).SingleAsync());
        var handlerApi = await app.ApiClientAsync(handler.Username);
        await (await handlerApi.PostJsonAsync($"/api/v1/qa/rectifications/{rectId}/evidence", new { evidence = "已整改。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var own = await (await handlerApi.PostJsonAsync($"/api/v1/qa/rectifications/{rectId}/verify", new { })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("qa-own-rectification", own.GetProperty("code").GetString());
    }
}
