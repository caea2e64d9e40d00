using System.Net.Http.Json;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Demo;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Demo;

public sealed partial class DemoSeederTests
{
    [Theory, BothDatabases]
    public async Task DemoMode_OnEmptyDatabase_SeedsTheInstitutionTheReadmeDescribes(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:Customers"] = "120", ["Demo:History"] = "false" });

        var branches = await app.WithDbAsync(db => db.Set<Branch>().AsNoTracking().ToListAsync());
        Assert.Equal(5, branches.Count);
        Assert.Equal(["Asia/Shanghai", "Europe/London"], branches.Select(b => b.TimeZone).Distinct().Order());

        var staff = await app.WithDbAsync(db => db.Set<Staff>().AsNoTracking().Include(s => s.Roles).ToListAsync());
        Assert.Equal(31, staff.Count);
        Assert.Equal(Enum.GetValues<StaffRole>().Order(), staff.SelectMany(s => s.Roles).Select(r => r.Role).Distinct().Order());

        var customers = await app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().ToListAsync());
        Assert.Equal(120, customers.Count);
        var chineseNames = customers.Count(c => ChineseName().IsMatch(c.Name));
        Assert.True(chineseNames >= 100, $"only {chineseNames} of 120 names are Chinese");

        // The first 24 individual customers have a scan of their document's front, sealed, opening as a PDF for compliance.
        var scans = await app.WithDbAsync(db => db.Set<Steward.Features.Customers.Documents.CustomerDocumentScan>().AsNoTracking().OrderBy(s => s.Id).ToListAsync());
        Assert.Equal(24, scans.Count(s => s.DocumentId == null));
        var officer = await app.ApiClientAsync("compliance", DemoSeeder.Password);
        var opened = await officer.PostJsonAsync($"/api/v1/customers/{scans[0].CustomerId}/identity-documents/scans/{scans[0].Id}/open", new { purpose = "demo check" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.StartsWith("%PDF-1.4", System.Text.Encoding.ASCII.GetString(await opened.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);

        // A past branch day of visits at every branch, each ticket's events in order; identified visitors' visits on their page.
        var tickets = await app.WithDbAsync(db => db.Set<Steward.Features.Queues.QueueTicket>().AsNoTracking().ToListAsync());
        Assert.Equal(5, tickets.Select(t => t.BranchId).Distinct().Count());
        // The walk-ins of that day; today's appointments checked in by now (issue 14) add their own tickets: at 09:00 in Shanghai
        // the four Shanghai branches have them, London (01:00) has none yet.
        Assert.All(tickets.Where(t => t.AppointmentId is null).GroupBy(t => t.BranchId), g => Assert.InRange(g.Count(), 50, 68));
        Assert.Equal(4, tickets.Where(t => t.AppointmentId is not null).Select(t => t.BranchId).Distinct().Count());
        Assert.All(tickets.Where(t => t.AppointmentId is null), t => Assert.True(t.EndedAt > t.IssuedAt && (t.CalledAt is null || t.CalledAt >= t.IssuedAt), t.Number));
        var visitor = tickets.First(t => t.CustomerId is not null && t.Status == Steward.Features.Queues.TicketStatus.Finished && t.BranchId == 1);
        var agentPages = await PageClient.SignInAsync(app, "sh.manager", DemoSeeder.Password, "en");
        var (_, visitorPage) = await agentPages.GetAsync($"/Customers/Details?id={visitor.CustomerId}");
        Assert.Contains(visitor.Number, HtmlForms.Parse(visitorPage).QuerySelector("[data-testid=customer-queue-visits]")!.TextContent, StringComparison.Ordinal);

        // compliance2 signs in with two-factor: the password alone is not enough; with the README's demo key's current code it is.
        var anonymous = app.AnonymousClient();
        var passwordOnly = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "compliance2", password = DemoSeeder.Password });
        Assert.Equal("two-factor-code-required", (await passwordOnly.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        var code = TestTotp.Code(TestTotp.Base32("ON2G K53B OJSC 2ZDF NVXS 2MTG MEWW WZLZ"), app.Clock.GetUtcNow());
        var withCode = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "compliance2", password = DemoSeeder.Password, otp = code });
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);

        // Every README login works with the demo password.
        foreach (var login in DemoSeeder.Logins.Where((_, i) => i % 7 == 0))
        {
            var client = await app.ApiClientAsync(login.Username, DemoSeeder.Password);
            var me = await (await client.GetAsync("/api/v1/me")).ShouldBeJsonAsync(HttpStatusCode.OK);
            Assert.Equal(login.Role.ToString(), me.GetProperty("roles")[0].GetString());
        }
    }

    [Fact]
    public void ReadmeListsEveryDemoLogin()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        Assert.Contains(DemoSeeder.Password, readme, StringComparison.Ordinal);
        foreach (var login in DemoSeeder.Logins)
        {
            Assert.Contains($"`{login.Username}`", readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DemoMode_InProduction_IsRefusedAtStart()
    {
        var settings = new Dictionary<string, string?> { ["Demo:Enabled"] = "true" };
        await using var app = await StewardApp.StartAsync(DatabaseProvider.Sqlite);
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Demo:Enabled", "true"));
        var error = Assert.ThrowsAny<Exception>(() => production.Services);
        Assert.Contains("refused in Production", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ChineseIdNumber_HasAValidCheckDigit()
    {
        // GB 11643-1999 worked example: 11010519491231002 → check digit X.
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var faker = new Bogus.Faker("zh_CN");
        for (var i = 0; i < 50; i++)
        {
            var id = DemoSeeder.ChineseIdNumber(faker);
            Assert.Equal(18, id.Length);
            var sum = id[..17].Select((c, k) => (c - '0') * weights[k]).Sum();
            Assert.Equal("10X98765432"[sum % 11], id[17]);
        }
    }

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Steward.slnx")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        return dir;
    }

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{2,4}$")]
    private static partial Regex ChineseName();
}
