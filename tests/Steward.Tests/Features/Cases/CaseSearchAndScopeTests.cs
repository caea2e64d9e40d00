using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CaseLifecycleTests;
using static Steward.Tests.Features.Cases.CaseListTests;

namespace Steward.Tests.Features.Cases;

public sealed class CaseSearchAndScopeTests
{
    [Theory, BothDatabases]
    public async Task Search_ByATwoCharacterChineseWordFromTheDescription_FindsTheCase(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var wanted = await StewardApp.CreateCaseAsync(agent, subject: "账户问题", description: "客户的信用卡被盗刷，要求冻结账户。");
        await StewardApp.CreateCaseAsync(agent, subject: "账户问题", description: "客户要求修改预留手机号码。");

        var found = await Ok(agent.GetAsync("/api/v1/cases?q=" + Uri.EscapeDataString("盗刷")));
        var single = await Ok(agent.GetAsync("/api/v1/cases?q=" + Uri.EscapeDataString("盗")));
        var both = await Ok(agent.GetAsync("/api/v1/cases?q=" + Uri.EscapeDataString("账户")));
        var none = await Ok(agent.GetAsync("/api/v1/cases?q=" + Uri.EscapeDataString("贷款")));

        Assert.Equal([wanted.GetProperty("id").GetInt64()], Ids(found));
        Assert.Equal([wanted.GetProperty("id").GetInt64()], Ids(single));
        Assert.Equal(2, Ids(both).Count);
        Assert.Empty(Ids(none));
    }

    [Theory, BothDatabases]
    public async Task Search_ByAnEnglishWordFromAReply_FindsTheCase(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var wanted = await StewardApp.CreateCaseAsync(agent, subject: "Card question", description: "The customer asks about a card.");
        await StewardApp.CreateCaseAsync(agent, subject: "Card question", description: "The customer asks about a card.");
        var id = wanted.GetProperty("id").GetInt64();
        await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/replies", new { body = "Your replacement card was DISPATCHED today." }));

        var found = await Ok(agent.GetAsync("/api/v1/cases?q=dispatched"));
        var count = await Ok(agent.GetAsync("/api/v1/cases/count?q=Dispatched"));

        Assert.Equal([id], Ids(found));
        Assert.Equal(1, count.GetProperty("count").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task CaseOfAnotherBranch_IsInvisible_InReadsChangesListsCountsAndSearch(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var a = await app.CreateBranchAsync("A");
        var b = await app.CreateBranchAsync("B");
        var (_, agentA) = await app.SignInAsync(a.Id, StaffRole.Agent);
        var (_, agentB) = await app.SignInAsync(b.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(a.Id, StaffRole.Compliance);
        var mine = await StewardApp.CreateCaseAsync(agentA, description: "客户投诉理财亏损。");
        var theirs = await StewardApp.CreateCaseAsync(agentB, description: "客户投诉理财亏损。");
        var theirId = theirs.GetProperty("id").GetInt64();

        await (await agentA.GetAsync($"/api/v1/cases/{theirId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agentA.GetAsync($"/api/v1/cases/by-reference/{theirs.GetProperty("reference").GetString()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agentA.PostJsonAsync($"/api/v1/cases/{theirId}/transitions", new { action = "Review", version = 1 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agentA.PostJsonAsync($"/api/v1/cases/{theirId}/replies", new { body = "越权回复" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agentA.PostAsync($"/api/v1/cases/{theirId}/pick", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal([mine.GetProperty("id").GetInt64()], Ids(await Ok(agentA.GetAsync("/api/v1/cases"))));
        Assert.Equal([mine.GetProperty("id").GetInt64()], Ids(await Ok(agentA.GetAsync("/api/v1/cases?q=" + Uri.EscapeDataString("亏损")))));
        Assert.Empty(Ids(await Ok(agentA.GetAsync($"/api/v1/cases?branchId={b.Id}"))));
        Assert.Equal(1, (await Ok(agentA.GetAsync("/api/v1/cases/count"))).GetProperty("count").GetInt32());

        var unchanged = await Ok(agentB.GetAsync($"/api/v1/cases/{theirId}"));
        Assert.Equal("Submitted", unchanged.GetProperty("status").GetString());
        Assert.Empty(unchanged.GetProperty("messages").EnumerateArray());

        // Institution scope (compliance) sees both.
        Assert.Equal(2, (await Ok(compliance.GetAsync("/api/v1/cases/count?q=" + Uri.EscapeDataString("亏损")))).GetProperty("count").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Create_ForACustomerOfAnotherBranch_IsRefusedLikeAnUnknownCustomer_AndStoresNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var a = await app.CreateBranchAsync("A");
        var b = await app.CreateBranchAsync("B");
        var theirs = await app.CreateCustomerAsync(b.Id, Steward.Features.Customers.CustomerTier.Private, name: "欧阳娜娜");
        var (_, agentA) = await app.SignInAsync(a.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(a.Id, StaffRole.Compliance);
        object Case(long customerId) => new { kind = "Consultation", channel = "Counter", subject = "咨询", description = "客户咨询。", customerId };

        var refused = await (await agentA.PostJsonAsync("/api/v1/cases", Case(theirs.Id))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var unknown = await (await agentA.PostJsonAsync("/api/v1/cases", Case(theirs.Id + 1000))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        // Exactly the answer for an id that does not exist: the field, the message, nothing of the customer.
        foreach (var member in new[] { "code", "title", "detail", "errors" })
        {
            Assert.Equal(unknown.GetProperty(member).GetRawText(), refused.GetProperty(member).GetRawText());
        }

        Assert.Equal(["客户不存在。"], refused.GetProperty("errors").GetProperty("customerId").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(theirs.Reference, refused.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("欧阳", refused.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));

        // Institution scope (compliance) may name any branch's customer; the case goes to the compliance officer's branch.
        var created = await (await compliance.PostJsonAsync("/api/v1/cases", Case(theirs.Id))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(theirs.Id, created.GetProperty("customerId").GetInt64());
        Assert.Equal("欧阳娜娜", created.GetProperty("customerName").GetString());
    }

    [Theory, BothDatabases]
    public async Task List_WithCursor_PagesByDueTimeWithNullsLast(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await StewardApp.CreateCaseAsync(agent, subject: $"第{i}件")).GetProperty("id").GetInt64());
        }

        // Due times as the SLA feature would set them: case 3 first, then case 1; the rest have none.
        var start = app.Clock.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            (await db.Set<Steward.Features.Cases.Case>().FindAsync(ids[3]))!.DueAt = start.AddHours(1);
            (await db.Set<Steward.Features.Cases.Case>().FindAsync(ids[1]))!.DueAt = start.AddHours(2);
            await db.SaveChangesAsync();
        });

        var first = await Ok(agent.GetAsync("/api/v1/cases?limit=2"));
        var second = await Ok(agent.GetAsync("/api/v1/cases?limit=2&cursor=" + first.GetProperty("nextCursor").GetString()));
        var third = await Ok(agent.GetAsync("/api/v1/cases?limit=2&cursor=" + second.GetProperty("nextCursor").GetString()));
        var dueSoon = await Ok(agent.GetAsync("/api/v1/cases?dueBefore=" + Uri.EscapeDataString(start.AddMinutes(90).ToString("O", System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal([ids[3], ids[1]], Ids(first));
        Assert.Equal([ids[0], ids[2]], Ids(second));
        Assert.Equal([ids[4]], Ids(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
        Assert.Equal([ids[3]], Ids(dueSoon));
        var huge = await Ok(agent.GetAsync("/api/v1/cases?limit=100000"));
        Assert.Equal(5, Ids(huge).Count); // clamped to 100, never unbounded
        await (await agent.GetAsync("/api/v1/cases?cursor=not-a-cursor")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task Search_WithoutSort_ListsNewestFirstAndPagesThroughEveryMatchOnce(DatabaseProvider provider)
    {
        await using var app = await StartWithAgentAsync(provider);
        var agent = app.Agent;
        var ids = new List<long>();
        foreach (var (subject, description) in new[]
        {
            ("Mortgage question", "The customer asks about the mortgage rate."),
            ("房贷咨询", "客户询问房贷利率和月供。"),
            ("Card question", "Nothing about loans here."),
            ("房贷提前还款", "客户要求提前还清房贷。"),
            ("Mortgage transfer", "Move the MORTGAGE payments to another account."),
            ("转账失败", "客户的转账未到账。"),
        })
        {
            ids.Add((await StewardApp.CreateCaseAsync(agent, subject: subject, description: description)).GetProperty("id").GetInt64());
        }

        // Case 4 has the earliest deadline, so sort=due lists it first; by default a search ignores deadlines.
        await app.App.WithDbAsync(async db =>
        {
            foreach (var id in ids)
            {
                (await db.Set<Steward.Features.Cases.Case>().FindAsync(id))!.DueAt = id == ids[4] ? app.App.Clock.GetUtcNow().AddHours(1) : null;
            }

            await db.SaveChangesAsync();
        });

        Assert.Equal([ids[4], ids[0]], await WalkAsync(agent, "/api/v1/cases?limit=1&q=mortgage"));
        Assert.Equal([ids[3], ids[1]], await WalkAsync(agent, "/api/v1/cases?limit=1&q=" + Uri.EscapeDataString("房贷")));
        Assert.Equal([ids[4], ids[0]], await WalkAsync(agent, "/api/v1/cases?limit=1&sort=due&q=mortgage"));
        Assert.Equal([ids[1], ids[3]], await WalkAsync(agent, "/api/v1/cases?limit=1&sort=due&q=" + Uri.EscapeDataString("房贷")));
        Assert.Equal([ids[4], ids[0]], await WalkAsync(agent, "/api/v1/cases?limit=1&sort=newest&q=MORTGAGE"));
        Assert.Equal([ids[0]], await WalkAsync(agent, "/api/v1/cases?limit=1&q=" + Uri.EscapeDataString("mortgage rate")));
        Assert.Equal([ids[5]], await WalkAsync(agent, "/api/v1/cases?q=" + Uri.EscapeDataString("转账")));
        Assert.Equal([ids[4], ids[0], ids[1], ids[2], ids[3], ids[5]], await WalkAsync(agent, "/api/v1/cases?limit=2")); // no search: by deadline
    }

    [Theory, BothDatabases]
    public async Task Search_WithSmallIdWindows_FindsMatchesAcrossWindowsNewestFirst(DatabaseProvider provider)
    {
        // A first window of 1 id, then 8, 64 …: matches spread over several windows, and pages that end inside one.
        await using var app = await StartWithAgentAsync(provider, new Dictionary<string, string?> { ["Cases:SearchWindow"] = "1" });
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            var description = i is 0 or 1 or 7 or 10 ? "The customer disputes a remittance. 客户对汇款有异议。" : "Nothing to find here. 无关内容。";
            ids.Add((await StewardApp.CreateCaseAsync(app.Agent, subject: $"Case {i}", description: description)).GetProperty("id").GetInt64());
        }

        long[] expected = [ids[10], ids[7], ids[1], ids[0]];
        Assert.Equal(expected, await WalkAsync(app.Agent, "/api/v1/cases?limit=3&q=remittance"));
        Assert.Equal(expected, await WalkAsync(app.Agent, "/api/v1/cases?limit=1&q=" + Uri.EscapeDataString("汇款")));
        Assert.Equal(expected, await WalkAsync(app.Agent, "/api/v1/cases?limit=100&q=" + Uri.EscapeDataString("disputes 汇款")));
        Assert.Empty(await WalkAsync(app.Agent, "/api/v1/cases?q=mortgage"));
    }

    private sealed record Started(StewardApp App, HttpClient Agent) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Started> StartWithAgentAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        var app = await StewardApp.StartAsync(provider, settings);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        return new Started(app, agent);
    }

    private static List<long> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
}
