using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Routing;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using Steward.Features.Cases.Public;

namespace Steward.Tests.Features.Cases;

public sealed class CaseLifecycleTests
{
    [Theory, BothDatabases]
    public async Task Create_ThroughPublicApiAndService_LandsInTheRightQueueAndWalksTheWholeLifecycle(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync("SH01");
        var complaints = await app.CreateTeamAsync(branch.Id, "投诉组");
        var general = await app.CreateTeamAsync(branch.Id, "综合组");
        await app.SetTeamCaseSettingsAsync(complaints.Id, AssignmentMode.Manual, CaseKind.Complaint);
        await app.SetTeamCaseSettingsAsync(general.Id, AssignmentMode.Manual, CaseKind.Consultation, CaseKind.BusinessHandling);
        var (agentStaff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        // 1. The public web form: a complaint goes to the complaints team's queue, unassigned.
        var anonymous = app.AnonymousClient();
        var receipt = await (await anonymous.PostJsonAsync("/api/v1/public/cases", new
        {
            branchId = branch.Id, kind = "Complaint", subject = "转账未到账", description = "三天前的转账至今未到账。", name = "韩梅梅", phone = "139-0000-1111",
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var publicRef = receipt.GetProperty("reference").GetString();
        Assert.Equal("SV-20261123-000001", publicRef); // 01:00 UTC is 09:00 on 23 November in Shanghai
        var queue = await (await agent.GetAsync($"/api/v1/cases?teamId={complaints.Id}&assignee=none")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var queued = Assert.Single(queue.GetProperty("items").EnumerateArray());
        Assert.Equal(publicRef, queued.GetProperty("reference").GetString());
        Assert.Equal("WebForm", queued.GetProperty("channel").GetString());
        Assert.Equal("High", queued.GetProperty("priority").GetString()); // complaint ⇒ at least High

        // 2. The API: a consultation without a team goes to the general team of the agent's branch.
        var viaApi = await StewardApp.CreateCaseAsync(agent, kind: "Consultation");
        Assert.Equal(general.Id, viaApi.GetProperty("teamId").GetInt64());
        Assert.Equal(branch.Id, viaApi.GetProperty("branchId").GetInt64());
        Assert.Equal("SV-20261123-000002", viaApi.GetProperty("reference").GetString());

        // 3. An agent through the service, as the workbench pages call it.
        var viaService = await app.AsStaffAsync(agentStaff, sp => sp.GetRequiredService<CaseService>().CreateAsync(new CaseCreateRequest(
            CaseKind.BusinessHandling, CaseChannel.Counter, "挂失银行卡", "客户银行卡丢失，需要挂失。", Contact: new CaseContactInput("李雷", "13800138000", null))));
        Assert.True(viaService.Succeeded, viaService.Error?.Detail);
        Assert.Equal(general.Id, viaService.Value!.TeamId);
        Assert.Equal(CaseStatus.Submitted, viaService.Value.Status);

        // The whole lifecycle of the public case, via the API.
        var id = queued.GetProperty("id").GetInt64();
        await Ok(agent.PostAsync($"/api/v1/cases/{id}/pick", null));
        var version = 2;
        foreach (var (action, reason) in new[]
        {
            ("Review", "材料齐全"), ("Start", "开始调查"), ("WaitOnCustomer", "等待客户提供转账凭证"), ("Resume", "凭证已收到"),
            ("Resolve", "款项已退回"), ("FollowUp", "电话回访"), ("Close", "客户确认满意"),
        })
        {
            var moved = await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action, reason, version }));
            version++;
            Assert.Equal(version, moved.GetProperty("version").GetInt32());
        }

        await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/notes", new { body = "内部：核查流水号 123" }));
        var detail = await Ok(agent.GetAsync($"/api/v1/cases/{id}"));
        Assert.Equal("Closed", detail.GetProperty("status").GetString());
        Assert.Contains("Reopen", detail.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(
            ["Created", "Assigned", "Transitioned", "Transitioned", "Transitioned", "Transitioned", "Transitioned", "Transitioned", "Transitioned", "NoteAdded"],
            timeline.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(PublicCaseService.WebFormActor, timeline[0].GetProperty("actorName").GetString());
        Assert.All(timeline.Skip(1), e => Assert.Equal(agentStaff.Id, e.GetProperty("actorId").GetInt64()));
        Assert.All(timeline.Skip(1), e => Assert.Equal("测试员工", e.GetProperty("actorName").GetString()));
        var transitions = timeline.Where(e => e.GetProperty("type").GetString() == "Transitioned").ToList();
        Assert.Equal(["材料齐全", "开始调查", "等待客户提供转账凭证", "凭证已收到", "款项已退回", "电话回访", "客户确认满意"],
            transitions.Select(e => e.GetProperty("reason").GetString()));
        Assert.Equal(["Submitted", "UnderReview", "InProgress", "InProgress", "InProgress", "Resolved", "FollowUp"],
            transitions.Select(e => e.GetProperty("fromStatus").GetString()));
        Assert.Equal(["UnderReview", "InProgress", "InProgress", "InProgress", "Resolved", "FollowUp", "Closed"],
            transitions.Select(e => e.GetProperty("toStatus").GetString()));
    }

    [Theory, BothDatabases]
    public async Task Transition_NotAllowedInCurrentState_Returns409NamingStateAndActionsAndChangesNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent);
        var id = created.GetProperty("id").GetInt64();

        var problem = await (await agent.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "Resolve", reason = "太早了", version = 1 }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("illegal-transition", problem.GetProperty("code").GetString());
        Assert.Equal("Submitted", problem.GetProperty("currentStatus").GetString());
        var allowed = problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("Review", allowed);
        Assert.Contains("Cancel", allowed);
        Assert.DoesNotContain("Resolve", allowed);
        var after = await Ok(agent.GetAsync($"/api/v1/cases/{id}"));
        Assert.Equal("Submitted", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("version").GetInt32());
        Assert.Equal(["Created"], after.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }

    [Theory, BothDatabases]
    public async Task Transition_TwoAgentsWithTheSameVersion_OneSucceedsTheOtherGets409(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, first) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, second) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(first)).GetProperty("id").GetInt64();

        var responses = await Task.WhenAll(
            first.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "Review", reason = "甲审核", version = 1 }),
            second.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "Cancel", cancelReason = "Withdrawn", reason = "乙取消", version = 1 }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal("stale-version", (await loser.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ShouldBeJsonAsync(HttpStatusCode.OK);
        var detail = await Ok(first.GetAsync($"/api/v1/cases/{id}"));
        Assert.Equal(winner.GetProperty("status").GetString(), detail.GetProperty("status").GetString());
        Assert.Equal(2, detail.GetProperty("version").GetInt32());
        Assert.Single(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "Transitioned");
    }

    [Theory, BothDatabases]
    public async Task Reopen_InsideTheWindow_IsAllowed_AndOutsideIsRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (staff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var early = await ClosedCaseAsync(agent);
        var late = await ClosedCaseAsync(agent);

        app.Clock.Advance(TimeSpan.FromDays(29));
        agent = await app.ApiClientAsync(staff.Username); // the first token expired meanwhile
        var reopened = await Ok(agent.PostJsonAsync($"/api/v1/cases/{early.Id}/transitions", new { action = "Reopen", reason = "客户反映问题未解决", version = early.Version }));
        Assert.Equal("InProgress", reopened.GetProperty("status").GetString());

        app.Clock.Advance(TimeSpan.FromDays(2)); // 31 days after closing, the default window is 30
        agent = await app.ApiClientAsync(staff.Username);
        var refused = await (await agent.PostJsonAsync($"/api/v1/cases/{late.Id}/transitions", new { action = "Reopen", reason = "客户反映问题未解决", version = late.Version }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("illegal-transition", refused.GetProperty("code").GetString());
        Assert.Equal("Closed", refused.GetProperty("currentStatus").GetString());
        var after = await Ok(agent.GetAsync($"/api/v1/cases/{late.Id}"));
        Assert.Equal("Closed", after.GetProperty("status").GetString());
        Assert.DoesNotContain("Reopen", after.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
    }

    [Theory, BothDatabases]
    public async Task Cancel_WithoutAReason_Returns400(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var problem = await (await agent.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "Cancel", version = 1 })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("cancelReason", out _));
    }

    private static async Task<(long Id, int Version)> ClosedCaseAsync(HttpClient agent)
    {
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();
        var version = 1;
        foreach (var action in new[] { "Review", "Start", "Resolve", "Close" })
        {
            await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action, version }));
            version++;
        }

        return (id, version);
    }

    internal static async Task<JsonElement> Ok(Task<HttpResponseMessage> call) => await (await call).ShouldBeJsonAsync(HttpStatusCode.OK);
}
