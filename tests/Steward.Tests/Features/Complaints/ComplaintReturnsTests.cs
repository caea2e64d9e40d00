using System.Net;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using Steward.Features.Products;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>
/// The regulatory returns (decision 0036) against complaints made in the test on known days, with the counts worked out by hand
/// below; the .xlsx is read back; a branch manager reads their own branch only, an agent no return at all.
/// </summary>
public sealed class ComplaintReturnsTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Theory, BothDatabases]
    public async Task PrcReturn_CountsByCodesBranchAndDays_InTheBranchesLocalDays(DatabaseProvider provider)
    {
        // Tuesday 10 March 2026, 10:00 in Shanghai.
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(Local(2026, 3, 10, 10, 0)));
        var a = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var b = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        // A branch in another zone: compliance's return then spans two zones (PostgreSQL reads them in one pass, by each branch's local day).
        await app.CreateBranchUnderAsync(SlaPresets.FcaCode, zone: "Europe/London");
        var agentA = await app.CreateStaffAsync(a.Id, StaffRole.Agent);
        var agentB = await app.CreateStaffAsync(b.Id, StaffRole.Agent);
        var manager = await app.CreateStaffAsync(a.Id, StaffRole.BranchManager);
        var compliance = await app.CreateStaffAsync(a.Id, StaffRole.Compliance);

        // Received (Shanghai local):          codes A / B / C
        // 1 A 2026-03-01 09:00                A01 B01 C01   decided 03-12: 11 days, Upheld, fee refund 25.00 approved
        // 2 A 2026-03-02 09:00                A01 B01 C01   decided 03-20: 18 days, PartlyUpheld, compensation 1,500.00 pending
        // 3 A 2026-03-03 09:00                A033 B99 C05  decided 04-20: 28 + 20 = 48 days, NotUpheld
        // 4 B 2026-03-05 09:00                A01 B01 C01   decided 05-20: 26 + 30 + 20 = 76 days, Withdrawn
        // 5 B 2026-03-31 23:30 (15:30 UTC)    A01 B02 C08   not decided
        // 6 A 2026-04-01 00:30 (still 31 March in UTC)  A01 B01 C01  not decided
        // 7 A 2026-02-20 09:00                A01 B01 C01   decided 03-12: 8 + 12 = 20 days, NotUpheld
        var c1 = await ComplaintAsync(app, agentA, Local(2026, 3, 1, 9, 0), "A01", "B01", "C01");
        var c2 = await ComplaintAsync(app, agentA, Local(2026, 3, 2, 9, 0), "A01", "B01", "C01");
        var c3 = await ComplaintAsync(app, agentA, Local(2026, 3, 3, 9, 0), "A033", "B99", "C05");
        var c4 = await ComplaintAsync(app, agentB, Local(2026, 3, 5, 9, 0), "A01", "B01", "C01");
        var c7 = await ComplaintAsync(app, agentA, Local(2026, 2, 20, 9, 0), "A01", "B01", "C01");
        await DecideAsync(app, agentA, c1, "Upheld", Local(2026, 3, 12, 10, 0), new { kind = "FeeRefund", amount = 25.00m });
        await DecideAsync(app, agentA, c7, "NotUpheld", Local(2026, 3, 12, 11, 0));
        await DecideAsync(app, agentA, c2, "PartlyUpheld", Local(2026, 3, 20, 10, 0), new { kind = "Compensation", amount = 1500.00m });
        app.Clock.SetUtcNow(Local(2026, 4, 1, 1, 0));
        await ComplaintAsync(app, agentB, Local(2026, 3, 31, 23, 30), "A01", "B02", "C08");
        await ComplaintAsync(app, agentA, Local(2026, 4, 1, 0, 30), "A01", "B01", "C01");
        await DecideAsync(app, agentA, c3, "NotUpheld", Local(2026, 4, 20, 10, 0));
        await DecideAsync(app, agentB, c4, "Withdrawn", Local(2026, 5, 20, 10, 0));

        var reader = await app.ApiClientAsync(compliance.Username);
        reader.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var march = await (await reader.GetAsync("/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, march.GetProperty("received").GetInt32());
        Assert.Equal(
            new[] { (a.Code, "B01", "C01", "A01", 2), (a.Code, "B99", "C05", "A033", 1), (b.Code, "B01", "C01", "A01", 1), (b.Code, "B02", "C08", "A01", 1) }
                .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal).ToList(),
            march.GetProperty("counts").EnumerateArray().Select(r => (r.GetProperty("branchCode").GetString()!, r.GetProperty("business").GetString()!,
                r.GetProperty("cause").GetString()!, r.GetProperty("channel").GetString()!, r.GetProperty("count").GetInt32()))
                .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal).ToList());
        Assert.Equal((3, 1, 2, 0, 0), Timeliness(march));
        Assert.Equal([("Upheld", 1), ("PartlyUpheld", 1), ("NotUpheld", 1), ("Withdrawn", 0)], Outcomes(march));
        Assert.Equal([("CNY", 25.00m)], march.GetProperty("redress").EnumerateArray().Select(m => (m.GetProperty("currency").GetString(), m.GetProperty("amount").GetDecimal())));
        var versions = march.GetProperty("header").GetProperty("versions");
        Assert.Equal([1], versions.GetProperty("taxonomies").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        Assert.Equal(SlaPresets.PrcCode, versions.GetProperty("presets")[0].GetProperty("code").GetString());
        Assert.Equal("steward-complaint-returns.v1", versions.GetProperty("rules").GetString());

        // March to May: 6 received (6 is April's); 5 decided: 1 within 15 days, 2 and 7 in 16-30, 3 in 31-60, 4 over 60.
        var spring = await (await reader.GetAsync("/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-05-31")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, spring.GetProperty("received").GetInt32());
        Assert.Equal((5, 1, 2, 1, 1), Timeliness(spring));
        Assert.Equal([("Upheld", 1), ("PartlyUpheld", 1), ("NotUpheld", 2), ("Withdrawn", 1)], Outcomes(spring));

        // The branch manager of A: A only (1, 2, 3 received; 1, 2, 7 decided); B's return is refused; an agent reads none.
        var own = await (await (await app.ApiClientAsync(manager.Username)).GetAsync("/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((3, 3), (own.GetProperty("received").GetInt32(), own.GetProperty("timeliness").GetProperty("decided").GetInt32()));
        Assert.All(own.GetProperty("counts").EnumerateArray(), r => Assert.Equal(a.Id, r.GetProperty("branchId").GetInt64()));
        await (await (await app.ApiClientAsync(manager.Username)).GetAsync($"/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31&branchId={b.Id}"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await (await app.ApiClientAsync(agentA.Username)).GetAsync("/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var onlyB = await (await reader.GetAsync($"/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31&branchId={b.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, onlyB.GetProperty("received").GetInt32());

        // The .xlsx in Chinese: the headers in Chinese, the same figures.
        var zh = await app.ApiClientAsync(compliance.Username);
        zh.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var xlsx = await zh.GetAsync("/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var sheets = book.GetSheetNames();
        Assert.Equal(5, sheets.Count);
        var counts = book.Query(useHeaderRow: true, sheetName: sheets[0]).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["机构代码", "机构", "B 类代码", "业务类别", "C 类代码", "投诉原因", "A 类代码", "渠道", "受理量"], counts[0].Keys);
        Assert.Equal(
            new[] { (a.Code, "B01", "C01", "A01", 2m), (a.Code, "B99", "C05", "A033", 1m), (b.Code, "B01", "C01", "A01", 1m), (b.Code, "B02", "C08", "A01", 1m) }
                .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal).ToList(),
            counts.Select(r => ((string)r["机构代码"], (string)r["B 类代码"], (string)r["C 类代码"], (string)r["A 类代码"], Number(r["受理量"])))
                .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal).ToList());
        var timeliness = book.Query(useHeaderRow: true, sheetName: sheets[1]).Cast<IDictionary<string, object>>().Single();
        Assert.Equal((3m, 1m, 2m), (Number(timeliness["办结量"]), Number(timeliness["15 日内"]), Number(timeliness["16–30 日"])));

        var csv = await zh.GetAsync("/api/v1/complaints/returns/prc?from=2026-03-01&to=2026-03-31&format=csv");
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFF", text, StringComparison.Ordinal);
        Assert.Contains("\r\n机构代码,机构,B 类代码,业务类别,C 类代码,投诉原因,A 类代码,渠道,受理量\r\n", text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task FcaReturn_CountsPartlyUpheldAndGoodwillAsUpheld_AndIsBlankWithoutBusiness(DatabaseProvider provider)
    {
        // Monday 2 March 2026, 09:30 in London (GMT).
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)));
        var london = await app.CreateBranchUnderAsync(SlaPresets.FcaCode, zone: "Europe/London");
        var agent = await app.CreateStaffAsync(london.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(london.Id, StaffRole.Compliance);
        var deposit = await app.CreateProductAsync("活期存款", "Instant access savings");
        await app.WithDbAsync(async db =>
        {
            db.Set<Product>().Single(p => p.Id == deposit.Id).Category = ProductCategory.Deposit;
            db.Add(new Product
            {
                Code = app.Unique("INS"), Name = "家庭财产险", NameEn = "Home contents insurance", Category = ProductCategory.Insurance,
                IssuerRiskLevel = ProductRiskLevel.R1, DistributorRiskLevel = ProductRiskLevel.R1, RiskLevel = ProductRiskLevel.R1,
            });
            await db.SaveChangesAsync();
        });

        // All received Monday 2 March 09:00 GMT. Summary resolution due Thursday 5 March 17:30; final response by the end of 27 April.
        // F1 BANKING decided Thu 5 March 17:00 (within 3 business days), Upheld, compensation 100.00 approved
        // F2 BANKING decided Fri 6 March 10:00 (within 8 weeks), PartlyUpheld: upheld
        // F3 BANKING decided Fri 6 March 10:00, NotUpheld with a goodwill payment of 50.00 approved: upheld
        // F4 BANKING decided Tue 28 April 10:00 BST (after 8 weeks), NotUpheld
        // F5 INVESTMENTS not decided
        // INSURANCE: a product, no complaints → 0. HOME, PENSIONS: no product, no complaints → blank.
        var received = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var f1 = await ComplaintAsync(app, agent, received, "A01", "B01", "C01", "BANKING", deposit.Id);
        var f2 = await ComplaintAsync(app, agent, received, "A01", "B01", "C01", "BANKING");
        var f3 = await ComplaintAsync(app, agent, received, "A01", "B01", "C01", "BANKING");
        var f4 = await ComplaintAsync(app, agent, received, "A01", "B01", "C01", "BANKING");
        await ComplaintAsync(app, agent, received, "A01", "B99", "C05", "INVESTMENTS");
        await DecideAsync(app, agent, f1, "Upheld", new DateTimeOffset(2026, 3, 5, 17, 0, 0, TimeSpan.Zero), new { kind = "Compensation", amount = 100.00m });
        await DecideAsync(app, agent, f2, "PartlyUpheld", new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.Zero));
        await DecideAsync(app, agent, f3, "NotUpheld", new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.Zero), new { kind = "Goodwill", amount = 50.00m });
        await DecideAsync(app, agent, f4, "NotUpheld", new DateTimeOffset(2026, 4, 28, 9, 0, 0, TimeSpan.Zero));

        var reader = await app.ApiClientAsync(compliance.Username);
        reader.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var fca = await (await reader.GetAsync("/api/v1/complaints/returns/fca?from=2026-03-01&to=2026-04-30")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var groups = fca.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        Assert.Equal(["BANKING", "HOME", "INSURANCE", "PENSIONS", "INVESTMENTS"], groups.Keys);
        Assert.Equal((4, 4, 1, 2, 1, 3, 75.00m), Figures(groups["BANKING"]));
        Assert.Equal([("GBP", 150.00m)], groups["BANKING"].GetProperty("redress").EnumerateArray().Select(m => (m.GetProperty("currency").GetString(), m.GetProperty("amount").GetDecimal())));
        Assert.Equal((0, 0, 0, 0, 0, 0, 0m), Figures(groups["INSURANCE"]));
        Assert.Equal((1, 0, 0, 0, 0, 0, 0m), Figures(groups["INVESTMENTS"]));
        foreach (var blank in new[] { "HOME", "PENSIONS" })
        {
            Assert.False(groups[blank].GetProperty("hasBusiness").GetBoolean());
            Assert.Equal(JsonValueKind.Null, groups[blank].GetProperty("received").ValueKind);
            Assert.Equal(JsonValueKind.Null, groups[blank].GetProperty("upheldPercent").ValueKind);
        }

        // The .xlsx in English: a blank group has empty cells, a group with business and no complaints has 0.
        var xlsx = await reader.GetAsync("/api/v1/complaints/returns/fca?from=2026-03-01&to=2026-04-30&format=xlsx");
        using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = book.Query(useHeaderRow: true, sheetName: book.GetSheetNames()[0]).Cast<IDictionary<string, object>>().ToDictionary(r => (string)r["Group"]);
        Assert.Equal((4m, 1m, 2m, 1m, 3m), (Number(rows["BANKING"]["Received"]), Number(rows["BANKING"]["Closed within 3 business days"]),
            Number(rows["BANKING"]["Closed after 3 business days, within 8 weeks"]), Number(rows["BANKING"]["Closed after 8 weeks"]), Number(rows["BANKING"]["Upheld"])));
        Assert.Equal(0m, Number(rows["INSURANCE"]["Received"]));
        Assert.True(rows["HOME"]["Received"] is null || (rows["HOME"]["Received"] as string) == "");

        // The CFPB-style extract of the same complaints: one row each, in CFPB's words.
        var cfpb = await (await reader.GetAsync("/api/v1/complaints/returns/cfpb?from=2026-03-01&to=2026-04-30")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var extract = cfpb.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("complaintId").GetInt64());
        Assert.Equal(5, extract.Count);
        Assert.Equal(("Checking or savings account", "Instant access savings", "Closed with monetary relief", true),
            (extract[f1].GetProperty("product").GetString(), extract[f1].GetProperty("subProduct").GetString(), extract[f1].GetProperty("companyResponse").GetString(),
                extract[f1].GetProperty("timely").GetBoolean()));
        Assert.Equal("Closed with explanation", extract[f2].GetProperty("companyResponse").GetString());
        Assert.Equal("Closed with monetary relief", extract[f3].GetProperty("companyResponse").GetString());
        Assert.False(extract[f4].GetProperty("timely").GetBoolean());
        Assert.Single(extract.Values, r => r.GetProperty("companyResponse").GetString() == "In progress" && r.GetProperty("timely").ValueKind == JsonValueKind.Null);
    }

    [Theory, BothDatabases]
    public async Task Returns_RefuseBadInput_AtTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        foreach (var (url, field) in new[]
        {
            ("/api/v1/complaints/returns/xyz?from=2026-01-01&to=2026-06-30", "regime"),
            ("/api/v1/complaints/returns/prc?to=2026-06-30", "from"),
            ("/api/v1/complaints/returns/prc?from=2026-01-01", "to"),
            ("/api/v1/complaints/returns/prc?from=2026-13-01&to=2026-06-30", "from"),
            ("/api/v1/complaints/returns/prc?from=2026-07-01&to=2026-06-30", "to"),
            ("/api/v1/complaints/returns/fca?from=2025-01-01&to=2026-01-02", "to"),
            ("/api/v1/complaints/returns/prc?from=2026-01-01&to=2026-06-30&format=pdf", "format"),
            ("/api/v1/complaints/returns/prc?from=2026-01-01&to=2026-06-30&branchId=abc", "branchId"),
        })
        {
            var problem = await (await compliance.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), url);
        }

        // 366 days (2024-01-01 to 2024-12-31, a leap year) is the longest period accepted.
        await (await compliance.GetAsync("/api/v1/complaints/returns/prc?from=2024-01-01&to=2024-12-31")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Theory, BothDatabases]
    public async Task ReturnsPage_ShowsTheTablesAndDownloads_RefusesAMissingDayAtItsField_AndIsNotOfferedToAgents(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(Local(2026, 3, 10, 10, 0)));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var manager = await app.CreateStaffAsync(branch.Id, StaffRole.BranchManager);
        await ComplaintAsync(app, agent, Local(2026, 3, 2, 9, 0), "A01", "B01", "C01");

        var pages = await PageClient.SignInAsync(app, manager.Username, language: "en");
        var (_, list) = await pages.GetAsync("/Complaints");
        Assert.Contains("href=\"/Complaints/Returns\"", list, StringComparison.Ordinal);
        var (status, html) = await pages.GetAsync("/Complaints/Returns?regime=prc&from=2026-03-01&to=2026-03-31");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Complaints received in the period: 1", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"return-table-counts\"", html, StringComparison.Ordinal);
        var download = await pages.Http.GetAsync("/Complaints/Returns?regime=prc&from=2026-03-01&to=2026-03-31&handler=download&format=xlsx");
        Assert.Equal(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", HttpStatusCode.OK), (download.Content.Headers.ContentType?.MediaType, download.StatusCode));

        var (missing, refused) = await pages.GetAsync("/Complaints/Returns?regime=prc&from=&to=2026-03-31");
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("id=\"from-error\"", refused, StringComparison.Ordinal);

        var agentPages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        Assert.DoesNotContain("/Complaints/Returns", (await agentPages.GetAsync("/Complaints")).Html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await agentPages.GetAsync("/Complaints/Returns")).Status);
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute) => new DateTimeOffset(year, month, day, hour, minute, 0, Shanghai).ToUniversalTime();

    private static decimal Number(object? cell) => Convert.ToDecimal(cell, System.Globalization.CultureInfo.InvariantCulture);

    private static (int, int, int, int, int) Timeliness(JsonElement prc)
    {
        var t = prc.GetProperty("timeliness");
        return (t.GetProperty("decided").GetInt32(), t.GetProperty("within15Days").GetInt32(), t.GetProperty("days16To30").GetInt32(),
            t.GetProperty("days31To60").GetInt32(), t.GetProperty("over60Days").GetInt32());
    }

    private static List<(string?, int)> Outcomes(JsonElement prc) =>
        [.. prc.GetProperty("outcomes").EnumerateArray().Select(o => (o.GetProperty("outcome").GetString(), o.GetProperty("count").GetInt32()))];

    private static (int, int, int, int, int, int, decimal) Figures(JsonElement g) =>
        (g.GetProperty("received").GetInt32(), g.GetProperty("closed").GetInt32(), g.GetProperty("closedWithin3BusinessDays").GetInt32(),
            g.GetProperty("closedWithin8Weeks").GetInt32(), g.GetProperty("closedAfter8Weeks").GetInt32(), g.GetProperty("upheld").GetInt32(),
            g.GetProperty("upheldPercent").GetDecimal());

    /// <summary>A case of the agent's branch recorded as a complaint received at <paramref name="receivedAt"/> with the codes given.</summary>
    private static async Task<long> ComplaintAsync(
        StewardApp app, Staff agent, DateTimeOffset receivedAt, string channel, string business, string cause, string? fcaGroup = null, long? productId = null)
    {
        var client = await app.ApiClientAsync(agent.Username);
        var caseId = (await StewardApp.CreateCaseAsync(client)).GetProperty("id").GetInt64();
        var body = ComplaintBuilders.Intake(caseId, x =>
        {
            (x["receivedAt"], x["jrtChannel"], x["jrtBusiness"], x["jrtCause"]) = (receivedAt, channel, business, cause);
            x["fcaProductGroup"] = fcaGroup;
            x["currency"] = fcaGroup is null ? "CNY" : "GBP";
            x["productId"] = productId;
        });
        return (await (await client.PostJsonAsync("/api/v1/complaints", body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    /// <summary>At <paramref name="at"/>, the agent records the outcome (and the remedy, approved at once within their limit or left pending above it).</summary>
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
}
