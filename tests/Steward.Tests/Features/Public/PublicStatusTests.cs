using System.Net.Http.Json;
using System.Text.Json;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CasePagesTests;

namespace Steward.Tests.Features.Public;

/// <summary>The public status in the branch's own time, with its progress steps translated.</summary>
public sealed class PublicStatusTests
{
    [Theory, BothDatabases]
    public async Task Status_OfABranchInNewYork_CarriesItsZone_AndThePageShowsNewYorkTime(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync("NY02", "America/New_York");
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent);
        var (id, reference) = (created.GetProperty("id").GetInt64(), created.GetProperty("reference").GetString()!);
        var version = created.GetProperty("version").GetInt32();
        (await agent.PostAsJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "Review", version }, StewardApp.Json)).EnsureSuccessStatusCode();

        var status = await (await app.AnonymousClient().PostAsJsonAsync("/api/v1/public/cases/status", new { reference, contact = "13800138000" }, StewardApp.Json))
            .Content.ReadFromJsonAsync<JsonElement>();
        var page = await AnonymousPage(app).PostFormAsync("/Public/Status", new() { ["Reference"] = reference, ["Contact"] = "13800138000" });
        var html = await page.Content.ReadAsStringAsync();

        // The fake clock stands at 2026-11-23 01:00 UTC: 2026-11-22 20:00 in New York (EST, UTC−5).
        Assert.Equal("America/New_York", status.GetProperty("timeZone").GetString());
        Assert.Equal(["Created", "Transitioned"], status.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Contains("2026-11-22 20:00 EST (UTC-05:00) · 已提交", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-22 20:00 EST (UTC-05:00) · 审核中", html, StringComparison.Ordinal);
    }
}
