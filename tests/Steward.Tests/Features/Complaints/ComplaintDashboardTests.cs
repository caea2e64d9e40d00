using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Holdings;
using Steward.Features.Organisation;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>
/// The compliance dashboard (decision 0040) against complaints made in the test on known days with known outcomes; every figure
/// worked out by hand below, every drill-down link read back as the list of exactly the complaints counted; a branch manager sees
/// their own branch only, an agent no dashboard.
/// </summary>
public sealed class ComplaintDashboardTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    // Branch A and B, both under the PRC regime (decision within 15 days), Shanghai. Customers X, Y, W of A, Z of B.
    // X and W hold product P1. Period 2026-04-01 … 2026-06-30; now Tuesday 30 June 2026 10:00.
    //  #  br cust received    product outcome (decided)            remedy (approved)      open: due (end of day) → band at now
    //  1  A  X    04-10       P1      Upheld (04-20, 10 days)      fee refund 100.00
    //  2  A  X    05-06       P1      NotUpheld (05-16, 10 days)
    //  3  A  Y    06-01       P2      open                                                06-16 → overdue
    //  4  A  Y    06-17       —       open                                                07-02 → soon (≤ 3 days)
    //  5  A  W    06-25       P1      open, an extension pending                          07-10 → within
    //  6  A  W    03-20       P1      PartlyUpheld (04-05, 16 days) compensation 500.00  (received before the period)
    //  7  B  Z    04-15       P1      PartlyUpheld (04-25, 10 days) goodwill 50.00
    //  8  B  Z    06-10       —       open                                                06-25 → overdue
    [Theory, BothDatabases]
    public async Task Dashboard_FiguresWorkedOutByHand_EachLinkListsExactlyItsComplaints_AndAManagerSeesOwnBranchOnly(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(Local(2026, 3, 20, 10, 0)));
        var a = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var b = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var agentA = await app.CreateStaffAsync(a.Id, StaffRole.Agent);
        var agentB = await app.CreateStaffAsync(b.Id, StaffRole.Agent);
        var manager = await app.CreateStaffAsync(a.Id, StaffRole.BranchManager);
        var compliance = await app.CreateStaffAsync(a.Id, StaffRole.Compliance);
        var (x, y, w, z) = (await app.CreateCustomerAsync(a.Id), await app.CreateCustomerAsync(a.Id), await app.CreateCustomerAsync(a.Id), await app.CreateCustomerAsync(b.Id));
        var p1 = await app.CreateProductAsync("稳健理财 1 号", "Steady wealth No. 1");
        var p2 = await app.CreateProductAsync("稳健理财 2 号", "Steady wealth No. 2");
        await HoldAsync(app, p1.Id, x.Id, w.Id);

        var c6 = await ComplaintAsync(app, agentA, Local(2026, 3, 20, 9, 0), w.Id, p1.Id);
        await DecideAsync(app, agentA, c6, "PartlyUpheld", Local(2026, 4, 5, 9, 0), new { kind = "Compensation", amount = 500.00m });
        app.Clock.SetUtcNow(Local(2026, 4, 10, 10, 0));
        var c1 = await ComplaintAsync(app, agentA, Local(2026, 4, 10, 9, 0), x.Id, p1.Id);
        app.Clock.SetUtcNow(Local(2026, 4, 15, 10, 0));
        var c7 = await ComplaintAsync(app, agentB, Local(2026, 4, 15, 9, 0), z.Id, p1.Id);
        await DecideAsync(app, agentA, c1, "Upheld", Local(2026, 4, 20, 9, 0), new { kind = "FeeRefund", amount = 100.00m });
        await DecideAsync(app, agentB, c7, "PartlyUpheld", Local(2026, 4, 25, 9, 0), new { kind = "Goodwill", amount = 50.00m });
        app.Clock.SetUtcNow(Local(2026, 5, 6, 10, 0));
        var c2 = await ComplaintAsync(app, agentA, Local(2026, 5, 6, 9, 0), x.Id, p1.Id);
        await DecideAsync(app, agentA, c2, "NotUpheld", Local(2026, 5, 16, 9, 0));
        app.Clock.SetUtcNow(Local(2026, 6, 1, 10, 0));
        var c3 = await ComplaintAsync(app, agentA, Local(2026, 6, 1, 9, 0), y.Id, p2.Id);
        app.Clock.SetUtcNow(Local(2026, 6, 10, 10, 0));
        var c8 = await ComplaintAsync(app, agentB, Local(2026, 6, 10, 9, 0), z.Id, null);
        app.Clock.SetUtcNow(Local(2026, 6, 17, 10, 0));
        var c4 = await ComplaintAsync(app, agentA, Local(2026, 6, 17, 9, 0), y.Id, null);
        app.Clock.SetUtcNow(Local(2026, 6, 25, 10, 0));
        var c5 = await ComplaintAsync(app, agentA, Local(2026, 6, 25, 9, 0), w.Id, p1.Id);
        await PendingExtensionAsync(app, c5);
        app.Clock.SetUtcNow(Local(2026, 6, 30, 10, 0));

        var all = await app.ApiClientAsync(compliance.Username);
        var f = await (await all.GetAsync("/api/v1/complaints/dashboard?from=2026-04-01&to=2026-06-30")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var prc = f.GetProperty("open").EnumerateArray().Single();
        Assert.Equal(SlaPresets.PrcCode, prc.GetProperty("regime").GetString());
        Assert.Equal((1, 1, 2, 0), (Count(prc, "within"), Count(prc, "soon"), Count(prc, "overdue"), Count(prc, "noDeadline")));
        Assert.Equal((2, 1, 7, 3, 6), (Count(f, "overdue"), Count(f, "extensionsPending"), Count(f, "received"), f.GetProperty("repeat").GetProperty("customers").GetInt32(),
            Count(f.GetProperty("repeat"), "complaints")));
        Assert.Equal((4, 3, 75.0m, 3), (Count(f, "decided"), Count(f, "upheld"), f.GetProperty("upheldPercent").GetDecimal(), Count(f, "redressed")));
        Assert.Equal([("CNY", 650.00m)], RedressPaid(f));
        Assert.Equal(11.5m, f.GetProperty("averageDaysToDecision").GetDecimal()); // (10 + 10 + 16 + 10) / 4
        // A: 5 received, 3 customers → 16,666.7 per 10,000; B: 2 received, 1 customer → 20,000.0.
        Assert.Equal([(a.Code, 5, 3, 16666.7m), (b.Code, 2, 1, 20000.0m)], Rates(f, "byBranch"));
        // P1: 1, 2, 5, 7 received; held by X and W → 20,000.0; P2: 3, no holders → no rate.
        Assert.Equal([(p1.Code, 4, 2, (decimal?)20000.0m), (p2.Code, 1, 0, null)], RatesNullable(f, "byProduct"));

        // Every link lists exactly the complaints its figure counts.
        await AssertListsAsync(all, Link(prc, "within"), c5);
        await AssertListsAsync(all, Link(prc, "soon"), c4);
        await AssertListsAsync(all, Link(prc, "overdue"), c3, c8);
        await AssertListsAsync(all, Link(f, "overdue"), c3, c8);
        await AssertListsAsync(all, Link(f, "extensionsPending"), c5);
        await AssertListsAsync(all, Link(f, "received"), c1, c2, c3, c4, c5, c7, c8);
        await AssertListsAsync(all, Link(f.GetProperty("repeat"), "complaints"), c1, c2, c3, c4, c7, c8);
        await AssertListsAsync(all, Link(f, "decided"), c1, c2, c6, c7);
        await AssertListsAsync(all, Link(f, "upheld"), c1, c6, c7);
        await AssertListsAsync(all, Link(f, "redressed"), c1, c6, c7);
        await AssertListsAsync(all, f.GetProperty("byBranch")[1].GetProperty("complaints").GetProperty("link").GetString()!, c7, c8);
        await AssertListsAsync(all, f.GetProperty("byProduct")[0].GetProperty("complaints").GetProperty("link").GetString()!, c1, c2, c5, c7);

        // The branch manager of A: A's complaints only, in every figure and every list.
        var own = await app.ApiClientAsync(manager.Username);
        var m = await (await own.GetAsync("/api/v1/complaints/dashboard?from=2026-04-01&to=2026-06-30")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var mine = m.GetProperty("open").EnumerateArray().Single();
        Assert.Equal((1, 1, 1, 0), (Count(mine, "within"), Count(mine, "soon"), Count(mine, "overdue"), Count(mine, "noDeadline")));
        Assert.Equal((1, 1, 5, 2, 4), (Count(m, "overdue"), Count(m, "extensionsPending"), Count(m, "received"), m.GetProperty("repeat").GetProperty("customers").GetInt32(),
            Count(m.GetProperty("repeat"), "complaints")));
        Assert.Equal((3, 2, 66.7m, 2), (Count(m, "decided"), Count(m, "upheld"), m.GetProperty("upheldPercent").GetDecimal(), Count(m, "redressed")));
        Assert.Equal([("CNY", 600.00m)], RedressPaid(m));
        Assert.Equal(12.0m, m.GetProperty("averageDaysToDecision").GetDecimal()); // (10 + 10 + 16) / 3
        Assert.Equal([(a.Code, 5, 3, 16666.7m)], Rates(m, "byBranch"));
        Assert.Equal([(p1.Code, 3, 2, (decimal?)15000.0m), (p2.Code, 1, 0, null)], RatesNullable(m, "byProduct"));
        await AssertListsAsync(own, Link(mine, "overdue"), c3);
        await AssertListsAsync(own, Link(m, "received"), c1, c2, c3, c4, c5);
        await AssertListsAsync(own, Link(m.GetProperty("repeat"), "complaints"), c1, c2, c3, c4);
        await AssertListsAsync(own, Link(m, "redressed"), c1, c6);
        await (await own.GetAsync($"/api/v1/complaints/dashboard?branchId={b.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await (await app.ApiClientAsync(agentA.Username)).GetAsync("/api/v1/complaints/dashboard")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        // Compliance narrowed to B; the default period is the last 90 days to today (2 April … 30 June).
        var onlyB = await (await all.GetAsync($"/api/v1/complaints/dashboard?branchId={b.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("2026-04-02", "2026-06-30", 2, 1), (onlyB.GetProperty("from").GetString(), onlyB.GetProperty("to").GetString(), Count(onlyB, "received"), Count(onlyB, "overdue")));
        await AssertListsAsync(all, Link(onlyB, "received"), c7, c8);
    }

    [Theory, BothDatabases]
    public async Task DashboardAndFilteredList_RefuseBadInputAtTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var compliance = await app.ApiClientAsync((await app.CreateStaffAsync(branch.Id, StaffRole.Compliance)).Username);
        compliance.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var reversed = await (await compliance.GetAsync("/api/v1/complaints/dashboard?from=2026-06-30&to=2026-04-01")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("before the first", reversed.GetProperty("errors").GetProperty("to")[0].GetString(), StringComparison.Ordinal);
        var malformed = await (await compliance.GetAsync("/api/v1/complaints/dashboard?from=30.06.2026")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("from", out _));
        var list = await (await compliance.GetAsync("/api/v1/complaints?due=later&upheld=maybe")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(list.GetProperty("errors").TryGetProperty("due", out _));
        Assert.True(list.GetProperty("errors").TryGetProperty("upheld", out _));
    }

    [Theory, BothDatabases]
    public async Task DashboardPage_RendersInChineseAndEnglish_AndItsFigureLinksToTheFilteredList(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(Local(2026, 6, 1, 10, 0)));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var overdue = await ComplaintAsync(app, agent, Local(2026, 6, 1, 9, 0), null, null);
        app.Clock.SetUtcNow(Local(2026, 6, 30, 10, 0));

        var zh = await PageClient.SignInAsync(app, compliance.Username, language: "zh-CN");
        var (status, html) = await zh.GetAsync("/Complaints/Dashboard");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("合规看板", html, StringComparison.Ordinal);
        Assert.Contains("已超期", html, StringComparison.Ordinal);
        Assert.Contains("id=\"dashboard-charts\"", html, StringComparison.Ordinal);
        var page = HtmlForms.Parse(html);
        var link = page.QuerySelector("[data-testid=figure-overdue]")!;
        Assert.Equal("1", link.TextContent.Trim());
        var (listStatus, list) = await zh.GetAsync(link.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal([overdue], HtmlForms.Parse(list).QuerySelectorAll("[data-testid=complaint-row] a").Select(a => long.Parse(a.GetAttribute("href")!.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture)));

        var en = await PageClient.SignInAsync(app, compliance.Username, language: "en");
        var (enStatus, enHtml) = await en.GetAsync("/Complaints/Dashboard?from=2026-06-01&to=2026-06-30");
        Assert.Equal(HttpStatusCode.OK, enStatus);
        Assert.Contains("Compliance dashboard", enHtml, StringComparison.Ordinal);
        Assert.Contains("Overdue", enHtml, StringComparison.Ordinal);
        Assert.Equal("1", HtmlForms.Parse(enHtml).QuerySelector("[data-testid=figure-received]")!.TextContent.Trim());
        var (badStatus, bad) = await en.GetAsync("/Complaints/Dashboard?from=2026-06-30&to=2026-06-01");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("id=\"to-error\"", bad, StringComparison.Ordinal);

        // An agent has no dashboard, and the complaint list does not offer it.
        var agentPages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        Assert.Equal(HttpStatusCode.Forbidden, (await agentPages.GetAsync("/Complaints/Dashboard")).Item1);
        Assert.DoesNotContain("/Complaints/Dashboard", (await agentPages.GetAsync("/Complaints")).Item2, StringComparison.Ordinal);
    }


    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute) => new DateTimeOffset(year, month, day, hour, minute, 0, Shanghai).ToUniversalTime();

    internal static int Count(JsonElement e, string figure) => e.GetProperty(figure).GetProperty("count").GetInt32();

    private static string Link(JsonElement e, string figure) => e.GetProperty(figure).GetProperty("link").GetString()!;

    private static List<(string?, decimal)> RedressPaid(JsonElement f) =>
        [.. f.GetProperty("redressPaid").EnumerateArray().Select(m => (m.GetProperty("currency").GetString(), m.GetProperty("amount").GetDecimal()))];

    private static List<(string, int, int, decimal)> Rates(JsonElement f, string list) =>
        [.. f.GetProperty(list).EnumerateArray().Select(r => (r.GetProperty("code").GetString()!, Count(r, "complaints"), r.GetProperty("customers").GetInt32(),
            r.GetProperty("perTenThousand").ValueKind == JsonValueKind.Null ? -1m : r.GetProperty("perTenThousand").GetDecimal()))];

    private static List<(string, int, int, decimal?)> RatesNullable(JsonElement f, string list) =>
        [.. Rates(f, list).Select(r => (r.Item1, r.Item2, r.Item3, r.Item4 == -1m ? (decimal?)null : r.Item4))];

    /// <summary>The list API behind a dashboard link (/Complaints?… → /api/v1/complaints?…) lists exactly <paramref name="expected"/>.</summary>
    private static async Task AssertListsAsync(HttpClient client, string link, params long[] expected)
    {
        Assert.StartsWith("/Complaints?", link, StringComparison.Ordinal);
        var list = await (await client.GetAsync("/api/v1/complaints" + link["/Complaints".Length..])).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected.Order(), list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order());
    }

    /// <summary>A complaint on a new case of the agent's branch, received at <paramref name="receivedAt"/>, of the customer and product given.</summary>
    private static async Task<long> ComplaintAsync(StewardApp app, Staff agent, DateTimeOffset receivedAt, long? customerId, long? productId)
    {
        var client = await app.ApiClientAsync(agent.Username);
        var caseId = (await StewardApp.CreateCaseAsync(client)).GetProperty("id").GetInt64();
        if (customerId is { } customer)
        {
            await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == caseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, customer)));
        }

        var body = ComplaintBuilders.Intake(caseId, x => (x["receivedAt"], x["productId"]) = (receivedAt, productId));
        return (await (await client.PostJsonAsync("/api/v1/complaints", body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    private static async Task DecideAsync(StewardApp app, Staff agent, long id, string outcome, DateTimeOffset at, object? remedy = null)
    {
        app.Clock.SetUtcNow(at);
        var client = await app.ApiClientAsync(agent.Username);
        await (await client.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome, rootCause = "告知流程未执行。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        if (remedy is not null)
        {
            await (await client.PostJsonAsync($"/api/v1/complaints/{id}/remedies", remedy)).ShouldBeJsonAsync(HttpStatusCode.OK);
        }
    }

    /// <summary>An extension of the complaint's case's first SLA clock, asked for and not yet decided.</summary>
    private static Task PendingExtensionAsync(StewardApp app, long complaintId) => app.WithDbAsync(async db =>
    {
        var caseId = await db.Set<Steward.Features.Complaints.Complaint>().Where(c => c.Id == complaintId).Select(c => c.CaseId).SingleAsync();
        var clock = await db.Set<SlaClock>().Where(c => c.CaseId == caseId).OrderBy(c => c.Id).FirstAsync();
        db.Add(new SlaExtension
        {
            CaseId = caseId, ClockId = clock.Id, OldAmount = 15, NewAmount = 30, Reason = "情况复杂，需调取录音。", Status = SlaExtensionStatus.Pending,
            RequestedByName = "测试", RequestedAt = app.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    });

    /// <summary>Each customer holds the product (one imported holding each).</summary>
    private static Task HoldAsync(StewardApp app, long productId, params long[] customerIds) => app.WithDbAsync(async db =>
    {
        var import = new HoldingImport { FileName = "holdings.csv", Sha256 = app.Unique("sha"), Format = HoldingFileFormat.Csv, RowsRead = customerIds.Length, RowsAccepted = customerIds.Length, ImportedAt = app.Clock.GetUtcNow() };
        db.Add(import);
        foreach (var customerId in customerIds)
        {
            db.Add(new Holding { CustomerId = customerId, ProductId = productId, Balance = 1000m, Currency = "CNY", AsOf = new DateOnly(2026, 3, 1), Import = import });
        }

        await db.SaveChangesAsync();
    });
}

/// <summary>The dashboard on the shared demo first start.</summary>
[Collection(DemoCollection.Name)]
public sealed class ComplaintDashboardDemoTests(DemoApps demo)
{
    [Theory, BothDatabases]
    public async Task DemoFirstStart_ShowsNonTrivialFigures(DatabaseProvider provider)
    {
        var app = await demo.ForAsync(provider);
        var compliance = await app.ApiClientAsync("compliance", Steward.Features.Demo.DemoSeeder.Password);
        var f = await (await compliance.GetAsync("/api/v1/complaints/dashboard")).ShouldBeJsonAsync(HttpStatusCode.OK);
        // ComplaintDashboardDemoData: two open complaints past the 15 days (one with an extension awaiting approval), six decided, three with redress, one repeat.
        Assert.True(ComplaintDashboardTests.Count(f, "overdue") >= 1, f.ToString());
        Assert.True(ComplaintDashboardTests.Count(f, "extensionsPending") >= 1, f.ToString());
        Assert.True(ComplaintDashboardTests.Count(f, "decided") >= 6 && ComplaintDashboardTests.Count(f, "upheld") >= 3 && ComplaintDashboardTests.Count(f, "redressed") >= 3, f.ToString());
        Assert.True(f.GetProperty("repeat").GetProperty("customers").GetInt32() >= 1, f.ToString());
        Assert.True(f.GetProperty("averageDaysToDecision").GetDecimal() > 0m, f.ToString());
        Assert.Contains(f.GetProperty("byBranch").EnumerateArray(), b => b.GetProperty("perTenThousand").ValueKind == JsonValueKind.Number);
    }
}
