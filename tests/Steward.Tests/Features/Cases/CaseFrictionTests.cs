using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CaseLifecycleTests;

namespace Steward.Tests.Features.Cases;

/// <summary>Work friction (issue 10 item 10): handle now, eligible assignees, the assignee told, assignment sentences, open tabs, refused actions in words.</summary>
public sealed class CaseFrictionTests
{
    [Theory, BothDatabases]
    public async Task HandleNow_CreatesAnInProgressCaseOfTheCreator_WithEachMoveOnTheTimelineAndInTheAudit(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, client) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var response = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            kind = "Consultation", channel = "Counter", subject = "柜台咨询", description = "客户在柜台询问转账限额。",
            contact = new { name = "李雷", phone = "13800138000" }, handleNow = true,
        }, StewardApp.Json);
        var created = await response.ShouldBeJsonAsync(HttpStatusCode.Created);

        Assert.Equal("InProgress", created.GetProperty("status").GetString());
        Assert.Equal(agent.Id, created.GetProperty("assigneeId").GetInt64());
        Assert.Contains("Resolve", created.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var id = created.GetProperty("id").GetInt64();
        var detail = await Ok(client.GetAsync($"/api/v1/cases/{id}"));
        var moves = detail.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "Transitioned")
            .Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("fromStatus").GetString()}>{e.GetProperty("toStatus").GetString()}").ToList();
        Assert.Equal(["Review:Submitted>UnderReview", "Start:UnderReview>InProgress"], moves);
        var audit = await app.AuditEntriesAsync(nameof(Case), id.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(audit, e => e.Changes.Contains("UnderReview", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Changes.Contains("InProgress", StringComparison.Ordinal));
        // Taking one's own case tells nobody.
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Notification>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task HandleNow_WithAnotherAssignee_IsRefusedAtTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        var problem = await (await lead.PostAsJsonAsync("/api/v1/cases", new
        {
            kind = "Consultation", channel = "Counter", subject = "柜台咨询", description = "描述",
            contact = new { name = "李雷", phone = "13800138000" }, handleNow = true, assigneeId = agent.Id,
        }, StewardApp.Json)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("handleNow", out _));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task PickAndStart_TakesAnUnassignedCaseToInProgressInOneCall(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, creator) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (agent, client) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(creator)).GetProperty("id").GetInt64();

        var started = await Ok(client.PostAsync($"/api/v1/cases/{id}/pick-and-start", null));

        Assert.Equal("InProgress", started.GetProperty("status").GetString());
        Assert.Equal(agent.Id, started.GetProperty("assigneeId").GetInt64());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.StaffId == agent.Id)));
    }

    [Theory, BothDatabases]
    public async Task Assign_ToComplianceOrAnotherBranch_IsRefusedAsIneligible_AnAgentIsAcceptedAndTold(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var elsewhere = await app.CreateStaffAsync(other.Id, StaffRole.Agent);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(lead, subject: "账户冻结咨询");
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt32();
        lead.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var refused = await (await lead.PostAsJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = compliance.Id, version }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var away = await (await lead.PostAsJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = elsewhere.Id, version }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var assigned = await Ok(lead.PostAsJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = agent.Id, version }));

        Assert.Equal("ineligible-assignee", refused.GetProperty("code").GetString());
        Assert.Equal("Choose an agent, back-office colleague or team lead of the case's branch.", refused.GetProperty("errors").GetProperty("staffId")[0].GetString());
        Assert.Equal("ineligible-assignee", away.GetProperty("code").GetString());
        Assert.Equal(agent.Id, assigned.GetProperty("assigneeId").GetInt64());
        var reference = created.GetProperty("reference").GetString();
        var told = await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().ToListAsync());
        var note = Assert.Single(told);
        Assert.Equal(agent.Id, note.StaffId);
        Assert.Equal("case.assigned", note.Kind);
        Assert.Equal($"案件 {reference} 已指派给您：账户冻结咨询", note.TextZh);
        Assert.Equal($"Case {reference} was assigned to you: 账户冻结咨询", note.TextEn);
        Assert.Equal($"/Cases/{id}", note.Link);
    }

    [Theory, BothDatabases]
    public async Task Reassignment_ReadsAsASentenceInTheReadersLanguage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id, "个人业务组");
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var zhang = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var huang = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        await app.WithDbAsync(async db =>
        {
            await db.Set<Team>().Where(t => t.Id == team.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.NameEn, "Retail team"));
            await db.Set<Staff>().Where(s => s.Id == zhang.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.DisplayName, "张三"));
            await db.Set<Staff>().Where(s => s.Id == huang.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.DisplayName, "黄敏"));
        });
        var created = await StewardApp.CreateCaseAsync(lead);
        var id = created.GetProperty("id").GetInt64();

        var first = await Ok(lead.PostAsJsonAsync($"/api/v1/cases/{id}/assign", new { teamId = team.Id, staffId = zhang.Id, version = created.GetProperty("version").GetInt32() }));
        var second = await Ok(lead.PostAsJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = huang.Id, reason = "张三休假", version = first.GetProperty("version").GetInt32() }));

        var events = second.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("action").GetString() == "Assign")
            .Select(e => JsonSerializer.Deserialize<CaseEventDto>(e.GetRawText(), StewardApp.Json)!).ToList();
        var l = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal(["指派给 张三（个人业务组）", "从 张三 改派给 黄敏（个人业务组）"], events.Select(e => CaseEventText.Describe(l, e)));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal(["Assigned to 张三 (Retail team)", "Reassigned from 张三 to 黄敏 (Retail team)"], events.Select(e => CaseEventText.Describe(l, e)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory, BothDatabases]
    public async Task WorkbenchTeamTab_ListsOpenCasesOnly(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var staff = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var agent = await app.ApiClientAsync(staff.Username);
        var open = (await StewardApp.CreateCaseAsync(agent, subject: "仍在办理的案件", teamId: team.Id)).GetProperty("id").GetInt64();
        var done = await StewardApp.CreateCaseAsync(agent, subject: "已经取消的案件", teamId: team.Id);
        await Ok(agent.PostAsJsonAsync($"/api/v1/cases/{done.GetProperty("id").GetInt64()}/transitions",
            new { action = "Cancel", cancelReason = "Withdrawn", version = done.GetProperty("version").GetInt32() }, StewardApp.Json));
        var page = await PageClient.SignInAsync(app, staff.Username, language: "zh-CN");

        var (_, teamTab) = await page.GetAsync("/Cases?tab=team");
        var (_, cancelledFilter) = await page.GetAsync("/Cases?tab=team&status=Cancelled");

        Assert.Contains("仍在办理的案件", teamTab, StringComparison.Ordinal);
        Assert.DoesNotContain("已经取消的案件", teamTab, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"count-team\">1<", teamTab.Replace(" title=\"\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("已经取消的案件", cancelledFilter, StringComparison.Ordinal);
        Assert.True(open > 0);
    }

    [Theory, BothDatabases]
    public async Task RefusedAction_NamesStatusAndActionsInTheReadersLanguage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent);
        var id = created.GetProperty("id").GetInt64();
        var body = new { action = "Resolve", version = created.GetProperty("version").GetInt32() };

        var en = await Send("en");
        var zh = await Send("zh-CN");

        Assert.Equal("illegal-transition", en.GetProperty("code").GetString());
        Assert.StartsWith("Resolve is not possible from Submitted. The case is Submitted; allowed now: ", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Cancel case", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("案件", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("案件当前状态为已提交，可执行的操作：", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Submitted", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Cancel", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);

        async Task<JsonElement> Send(string language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{id}/transitions") { Content = JsonContent.Create(body) };
            request.Headers.AcceptLanguage.ParseAdd(language);
            return await (await agent.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        }
    }
}
