using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Features.Shared;

/// <summary>
/// Walks every page as every demo role in both languages (see <see cref="SiteCrawler"/>) and fails
/// once, listing everything found: pages a role is offered but cannot open, resource keys, raw enum
/// names and the other language on screen, pages wider than a 768 px tablet, console errors.
/// Screenshots for people to look at: <c>screenshots/crawl/&lt;role&gt;-&lt;language&gt;/</c> in the test output folder.
/// </summary>
public sealed class CrawlTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    /// <summary>
    /// How long the crawl waits for a page, a form's answer or a screenshot. The crawl judges what pages say, not how fast
    /// they are (that is bench/'s job): on a loaded CI machine the audit log's export and its 100-entry pages took over 15 s.
    /// </summary>
    internal const int Patience = 60_000;

    private static readonly string[] Roles = ["admin", "compliance", "qa", "sh.manager", "sh.lead", "sh.agent1", "sh.backoffice"];

    private static readonly (string Locale, UiText Text)[] Languages = [("zh-CN", UiText.Chinese), ("en-US", UiText.English)];

    /// <summary>
    /// Findings known and named, each with its reason; the crawl reports anything else. Keep this short:
    /// an entry here is a defect someone decided to live with for now. Each is a regular expression on the
    /// finding as reported (message, then " — at " and the page).
    /// </summary>
    private static readonly (string Pattern, string Reason)[] KnownExceptions =
    [
        (@"^Chinese text [^—]* in ""SV-\d{8}-\d{6} · [^""]* · Steward""", "the case page's title carries the case's subject, which is what someone wrote (a title cannot carry lang=\"\")"),
        (@"^Chinese text ""[^""]{1,3}"" in ""[^""]*\*[^""]*""", "a masked customer name (何*桐): a person's name, allowed in either language, but masked it no longer matches the names list"),
        (@"^Chinese text ""[^""]{2,3}"" in ""[^""]{2,3}"" — at /Cases", "a customer's name in the workbench's customer column (a person's name; the crawl's names list holds staff and the first customers only)"),
        (@"^English word ""App"" in ""[^""]*"" — at /Audit", "a case message's text shown in the audit log is what someone wrote (an app's name)"),
        (@"hides \d+ px of (its content|rules-table) sideways — at /Sla/Standards/Version", "the standards editor is a wide grid of selects; it scrolls sideways on a tablet"),
        (@"hides \d+ px of (case-table|audit-table) sideways", "the workbench (unassigned tab: the pick column) and the audit table are still a little wider than a tablet; needs a narrower layout in Features/Cases and Features/Audit"),
        (@"^Chinese text .* in ""(Mark as read: )?Case SV-\d{8}-\d{6} was assigned to you: [^""]*"" — at /Notifications", "a notification quotes the case's subject, which is what someone wrote; a notification's text is stored whole per language, so the quote cannot carry lang=\"\" (Features/Notifications)"),
        (@"submitted (empty|valid): (404|409) from POST \S+( with no message on the page)? — at", "the crawls of one app run side by side and change the same rows (a calendar, a certificate, a product's document): a form based on what another crawl has just changed or removed answers 409 or 404, as it should; what a person then reads is tested in ConcurrentChangePageTests"),
        ("不是有效的值", "the 400 error page for a value that does not bind names the field by its form name (Hours, New): Platform/Api/BindingErrorPageFilter.cs"),
        ("the page is in \"\"", "a refused POST (a stale preset choice, a duty switch) answers with a bare status and no page: to look into"),
        (@": 400 from (GET|POST) \S+ with no message on the page", "a form whose value does not bind answers with the 400 error page naming the field, not a message at the field (Platform/Api/BindingErrorPageFilter.cs, decision 0017): to change with the lead"),
    ];

    [Fact]
    public async Task EveryRole_EveryLanguage_EveryPageReadsInItsLanguageAndFits()
    {
        var watch = Stopwatch.StartNew();
        // Its own app: the crawl submits every form it finds, and other tests expect the demo data as seeded.
        await using var server = await StewardServer.StartAsync(DatabaseProvider.Sqlite);
        var reading = await ReadingAsync(server);
        var folder = Path.Combine(ScreenshotFolder, "crawl");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var parallel = int.TryParse(Environment.GetEnvironmentVariable("STEWARD_CRAWL_PARALLEL"), out var n) && n > 0 ? n : 4;
        using var gate = new SemaphoreSlim(parallel);
        var only = Environment.GetEnvironmentVariable("STEWARD_CRAWL_ONLY") is { Length: > 0 } o ? o.Split(',') : null;
        var jobs = Roles.Where(r => only is null || only.Contains(r)).SelectMany(role => Languages.Select(language => CrawlAsAsync(server, reading, role, language, folder, gate)));
        var results = await Task.WhenAll(jobs);

        var report = new List<string>();
        var known = new List<string>();
        foreach (var (who, crawler) in results)
        {
            Output.WriteLine($"{who}: {crawler.PagesVisited} pages, {crawler.FormsSubmitted} form submissions, {crawler.Findings.Count} findings; {crawler.Timings}");
            foreach (var finding in crawler.Findings)
            {
                var reason = KnownExceptions.FirstOrDefault(k => System.Text.RegularExpressions.Regex.IsMatch(finding.ToString(), k.Pattern)).Reason;
                (reason is null ? report : known).Add(reason is null ? $"[{who}] {finding}" : $"[{who}] {finding}\n    known: {reason}");
            }
        }

        Output.WriteLine($"crawl took {watch.Elapsed.TotalSeconds:F0} s with {parallel} browser contexts at once");
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, "findings.txt"), report);
        // The findings lived with for now, each with its reason: what is left to mend.
        await File.WriteAllLinesAsync(Path.Combine(folder, "known.txt"), known);
        Assert.True(report.Count == 0, $"The crawl found {report.Count} problem(s):\n" + string.Join('\n', report));
    }

    private async Task<(string Who, SiteCrawler Crawler)> CrawlAsAsync(
        StewardServer server, PageReading reading, string role, (string Locale, UiText Text) language, string folder, SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        var who = $"{role}-{language.Text.HtmlLang}";
        try
        {
            await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.BaseUrl,
                Locale = language.Locale,
                ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            });
            context.SetDefaultTimeout(Patience);
            var page = await context.NewPageAsync();
            await (await SignInPage.OpenAsync(page, language.Text)).SignInAsync(role);
            var crawler = new SiteCrawler(page, reading, server.BaseUrl, Path.Combine(folder, who), language.Text == UiText.Chinese);
            try
            {
                await crawler.CrawlAsync();
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException or System.Text.Json.JsonException)
            {
                crawler.Stopped(e);
            }

            return (who, crawler);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Enum names from the app, and the names people typed in (staff and their usernames, customers), which are the same in both languages.</summary>
    private static async Task<PageReading> ReadingAsync(StewardServer server)
    {
        var enums = typeof(Program).Assembly.GetTypes().Where(t => t.IsEnum).SelectMany(Enum.GetNames);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
        var staff = await db.Set<Staff>().Select(s => s.DisplayName).ToListAsync();
        var usernames = await db.Set<Staff>().Select(s => s.Username).ToListAsync();
        var customers = await db.Set<Customer>().Select(c => c.Name).ToListAsync();
        return new PageReading(enums, [.. staff, .. usernames, .. customers]);
    }
}
