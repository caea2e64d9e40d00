using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Cases;

/// <summary>Names masked by permission in the case API and pages; the audited reveal of full contact details.</summary>
public sealed class CasePersonalDataTests
{
    [Theory, BothDatabases]
    public async Task ListAndGet_AsAgent_MaskTheNameAndCarryTeamAssigneeAndZone(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id, "对公一组");
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var api = await app.ApiClientAsync(agent.Username);
        var id = (await StewardApp.CreateCaseAsync(api, teamId: team.Id)).GetProperty("id").GetInt64();
        (await api.PostAsync($"/api/v1/cases/{id}/pick", null)).EnsureSuccessStatusCode();

        var item = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cases?assignee=me", StewardApp.Json)).GetProperty("items")[0];
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}", StewardApp.Json);

        // The contact 李雷, 13800138000 (StewardApp.CreateCaseAsync), as someone without PersonalDataReveal sees it.
        Assert.Equal("李*", item.GetProperty("customerName").GetString());
        Assert.Equal("对公一组", item.GetProperty("teamName").GetString());
        Assert.Equal("测试员工", item.GetProperty("assigneeName").GetString());
        Assert.Equal("Asia/Shanghai", item.GetProperty("branchTimeZone").GetString());
        Assert.Equal("李*", detail.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("138****8000", detail.GetProperty("contact").GetProperty("phone").GetString());
    }

    [Theory, BothDatabases]
    public async Task CustomerName_IsMaskedForAgents_AndFullForRevealers(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var customer = await app.CreateCustomerAsync(branch.Id, phone: "13700137000");
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var created = await agent.PostAsJsonAsync("/api/v1/cases", new { kind = "Consultation", channel = "Counter", subject = "咨询", description = "客户咨询。", customerId = customer.Id }, StewardApp.Json);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var asAgent = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}", StewardApp.Json);
        var asCompliance = await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}", StewardApp.Json);
        var listed = (await compliance.GetFromJsonAsync<JsonElement>("/api/v1/cases", StewardApp.Json)).GetProperty("items")[0];

        // The customer file's name is 王小明 (StewardApp.CreateCustomerAsync).
        Assert.Equal("王*明", asAgent.GetProperty("customerName").GetString());
        Assert.Equal("王小明", asCompliance.GetProperty("customerName").GetString());
        Assert.Equal("王小明", listed.GetProperty("customerName").GetString());
    }

    [Theory, BothDatabases]
    public async Task Contact_WithoutReveal_Is403AndRecordsNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var problem = await (await agent.GetAsync($"/api/v1/cases/{id}/contact")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PersonalDataAccess>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Contact_AsCompliance_ReturnsFullDetails_AndEveryCallIsLoggedAndAudited(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (officer, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var contact = await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}/contact", StewardApp.Json);
        await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}/contact", StewardApp.Json);

        Assert.Equal("李雷", contact.GetProperty("name").GetString());
        Assert.Equal("13800138000", contact.GetProperty("phone").GetString());
        var log = await app.WithDbAsync(db => db.Set<PersonalDataAccess>().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(2, log.Count);
        Assert.All(log, a =>
        {
            Assert.Equal(officer.Id, a.StaffId);
            Assert.Equal("Case", a.SubjectType);
            Assert.Equal(id, a.SubjectId);
            Assert.Equal(branch.Id, a.BranchId);
            Assert.Equal("case-contact (API)", a.Purpose);
        });
        var audited = await app.AuditEntriesAsync("PersonalDataAccess", log[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(officer.Id, Assert.Single(audited).ActorId);
    }

    [Theory, BothDatabases]
    public async Task CasePage_RevealButton_OnlyForRevealers_ShowsTheFullContactAndIsLogged(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var officer = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var id = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        var agentPage = await PageClient.SignInAsync(app, agent.Username);
        var compliancePage = await PageClient.SignInAsync(app, officer.Username);

        var (_, asAgent) = await agentPage.GetAsync($"/Cases/{id}");
        var (_, asOfficer) = await compliancePage.GetAsync($"/Cases/{id}");
        var revealed = await compliancePage.PostFormAsync($"/Cases/{id}?handler=Reveal", [], $"/Cases/{id}");
        var html = await revealed.Content.ReadAsStringAsync();

        Assert.DoesNotContain("data-testid=\"reveal\"", asAgent, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reveal\"", asOfficer, StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", asOfficer, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Contains("13800138000", html, StringComparison.Ordinal);
        Assert.Equal("case-contact (page)", Assert.Single(await app.WithDbAsync(db => db.Set<PersonalDataAccess>().ToListAsync())).Purpose);
    }
}
