using System.Net;
using System.Text.Json;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CaseLifecycleTests;

namespace Steward.Tests.Features.Cases;

/// <summary>Case lists page by cursor and count up to a cap (docs/decisions/0013-case-lists-counts-and-search-order.md).</summary>
public sealed class CaseListTests
{
    [Theory, BothDatabases]
    public async Task List_WalkingEveryPageByDue_ReturnsEveryCaseOnceInDeadlineOrder(DatabaseProvider provider)
    {
        await using var app = await StartWithCasesAsync(provider, 8);
        var (agent, ids) = (app.Agent, app.Ids);
        var start = app.App.Clock.GetUtcNow();
        // Deadlines by hand: case 5 first (+30 min), case 2 (+1 h), then cases 0, 6 and 3 due at the same instant
        // (+2 h, so by id), then the three without a deadline (1, 4, 7) by id.
        await SetDueAsync(app.App, (ids[5], start.AddMinutes(30)), (ids[2], start.AddHours(1)),
            (ids[0], start.AddHours(2)), (ids[6], start.AddHours(2)), (ids[3], start.AddHours(2)));
        long[] expected = [ids[5], ids[2], ids[0], ids[3], ids[6], ids[1], ids[4], ids[7]];

        foreach (var limit in new[] { 1, 2, 3, 4 })
        {
            Assert.Equal(expected, await WalkAsync(agent, $"/api/v1/cases?sort=due&limit={limit}"));
        }

        // The same walk with a filter (the team's list, as the workbench's team tab asks for it).
        Assert.Equal(expected, await WalkAsync(agent, $"/api/v1/cases?teamId={app.TeamId}&limit=3"));
    }

    [Theory, BothDatabases]
    public async Task List_WalkingEveryPageNewestFirst_ReturnsEveryCaseOnceByDescendingId(DatabaseProvider provider)
    {
        await using var app = await StartWithCasesAsync(provider, 5);
        await SetDueAsync(app.App, (app.Ids[1], app.App.Clock.GetUtcNow().AddHours(1)));

        Assert.Equal(app.Ids.AsEnumerable().Reverse(), await WalkAsync(app.Agent, "/api/v1/cases?sort=newest&limit=2"));
    }

    [Theory, BothDatabases]
    public async Task List_CursorOfTheOtherSort_IsRejected(DatabaseProvider provider)
    {
        await using var app = await StartWithCasesAsync(provider, 3);
        var newest = await Ok(app.Agent.GetAsync("/api/v1/cases?sort=newest&limit=1"));
        var cursor = newest.GetProperty("nextCursor").GetString();

        await (await app.Agent.GetAsync("/api/v1/cases?sort=due&cursor=" + cursor)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task Count_AboveTheCap_IsTheCapAndSaysCapped(DatabaseProvider provider)
    {
        await using var app = await StartWithCasesAsync(provider, 5, new Dictionary<string, string?> { ["Cases:CountCap"] = "3" });

        var all = await Ok(app.Agent.GetAsync("/api/v1/cases/count"));
        var atCap = await Ok(app.Agent.GetAsync("/api/v1/cases/count?q=" + Uri.EscapeDataString("第一件") + "&limit=1"));
        await SetDueAsync(app.App, (app.Ids[0], app.App.Clock.GetUtcNow().AddHours(1)), (app.Ids[1], app.App.Clock.GetUtcNow().AddHours(1)),
            (app.Ids[2], app.App.Clock.GetUtcNow().AddHours(1)));
        var exactlyTheCap = await Ok(app.Agent.GetAsync("/api/v1/cases/count?dueBefore=" + Uri.EscapeDataString(app.App.Clock.GetUtcNow().AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(3, all.GetProperty("count").GetInt32());
        Assert.True(all.GetProperty("capped").GetBoolean());
        Assert.Equal(1, atCap.GetProperty("count").GetInt32());
        Assert.False(atCap.GetProperty("capped").GetBoolean());
        Assert.Equal(3, exactlyTheCap.GetProperty("count").GetInt32());
        Assert.False(exactlyTheCap.GetProperty("capped").GetBoolean());
    }

    [Theory, BothDatabases]
    public async Task WorkbenchTab_AboveTheCap_ShowsTheCapWithAPlusInBothLanguages(DatabaseProvider provider)
    {
        await using var app = await StartWithCasesAsync(provider, 4, new Dictionary<string, string?> { ["Cases:CountCap"] = "3" });
        var english = await PageClient.SignInAsync(app.App, app.Username, language: "en");
        var chinese = await PageClient.SignInAsync(app.App, app.Username, language: "zh-CN");

        var (_, en) = await english.GetAsync("/Cases?tab=team");
        var (_, zh) = await chinese.GetAsync("/Cases?tab=team");

        Assert.Contains("data-testid=\"count-team\" title=\"More than 3 cases match; counts stop there.\">3+</span>", en, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"count-team\" title=\"超过 3 件案件符合条件，计数到此为止。\">3+</span>", zh, StringComparison.Ordinal);
    }

    private sealed record Started(StewardApp App, HttpClient Agent, string Username, long TeamId, List<long> Ids) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    /// <summary>An agent of a new branch who created <paramref name="count"/> cases 第一件, 第2件 …, all in the agent's team.</summary>
    private static async Task<Started> StartWithCasesAsync(DatabaseProvider provider, int count, IDictionary<string, string?>? settings = null)
    {
        var app = await StewardApp.StartAsync(provider, settings);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var staff = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var agent = await app.ApiClientAsync(staff.Username);
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var subject = i == 0 ? "第一件" : $"第{i + 1}件";
            ids.Add((await StewardApp.CreateCaseAsync(agent, subject: subject, teamId: team.Id)).GetProperty("id").GetInt64());
        }

        // Created cases get SLA deadlines; these tests set their own, so start from none.
        await app.WithDbAsync(async db =>
        {
            foreach (var id in ids)
            {
                (await db.Set<Case>().FindAsync(id))!.DueAt = null;
            }

            await db.SaveChangesAsync();
        });
        return new Started(app, agent, staff.Username, team.Id, ids);
    }

    private static Task SetDueAsync(StewardApp app, params (long Id, DateTimeOffset Due)[] deadlines) => app.WithDbAsync(async db =>
    {
        foreach (var (id, due) in deadlines)
        {
            (await db.Set<Case>().FindAsync(id))!.DueAt = due;
        }

        await db.SaveChangesAsync();
    });

    /// <summary>Follows nextCursor from the first page to the last and returns the ids in the order received.</summary>
    internal static async Task<List<long>> WalkAsync(HttpClient client, string url)
    {
        var ids = new List<long>();
        string? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var body = await Ok(client.GetAsync(cursor is null ? url : url + "&cursor=" + cursor));
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
            if (body.GetProperty("nextCursor").ValueKind == JsonValueKind.Null)
            {
                return ids;
            }

            cursor = body.GetProperty("nextCursor").GetString();
        }

        throw new InvalidOperationException("More than 100 pages: the cursor does not advance.");
    }
}
