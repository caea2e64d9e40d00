using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Steward.Platform.Database;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Infrastructure;

/// <summary>
/// Base of every browser test class. <see cref="InBrowserAsync"/> gives a test a fresh browser
/// context on the shared app; when the test fails it saves a screenshot under the test output
/// folder and names the file in the failure message. Script errors and failed page resources
/// (styles, scripts) fail the test as well.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(Chromium chromium, StewardServers servers, ITestOutputHelper output)
{
    /// <summary>Where failure screenshots go: <c>screenshots/</c> in the test output folder (bin/…/net10.0).</summary>
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>The shared Chromium, for a test that opens its own contexts (several at once, or on its own app).</summary>
    protected IBrowser Browser => chromium.Browser;

    /// <summary>The app on <paramref name="provider"/>, for tests that talk HTTP without a browser.</summary>
    protected Task<StewardServer> ServerAsync(DatabaseProvider provider = DatabaseProvider.Sqlite) => servers.GetAsync(provider);

    /// <summary>
    /// Runs <paramref name="test"/> in a new browser context on the app for <paramref name="provider"/>.
    /// Unless <paramref name="options"/> says otherwise the browser is Chinese (zh-CN) with a 1366×768 window.
    /// </summary>
    protected async Task InBrowserAsync(
        Func<IPage, StewardServer, Task> test,
        BrowserNewContextOptions? options = null,
        DatabaseProvider provider = DatabaseProvider.Sqlite,
        [CallerMemberName] string testName = "")
    {
        var server = await servers.GetAsync(provider);
        options ??= new BrowserNewContextOptions();
        options.BaseURL = server.BaseUrl;
        options.Locale ??= "zh-CN";
        options.ViewportSize ??= new ViewportSize { Width = 1366, Height = 768 };

        await using var context = await chromium.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.PageError += (_, error) => problems.Enqueue("script error: " + error);
        page.Response += (_, response) =>
        {
            // Documents may answer 4xx on purpose (403 page, sign-in failure); sub-resources never should.
            if (response.Status >= 400 && response.Request.ResourceType != "document" && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                problems.Enqueue($"{response.Status} for {response.Request.ResourceType} {response.Url}");
            }
        };

        try
        {
            await test(page, server);
            Assert.True(problems.IsEmpty, "The page had problems:\n" + string.Join('\n', problems));
        }
        catch (Exception failure)
        {
            var file = Path.Combine(ScreenshotFolder, $"{GetType().Name}.{testName}.{provider}.png");
            string where;
            try
            {
                Directory.CreateDirectory(ScreenshotFolder);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Timeout = 5_000 });
                where = $"Screenshot of the page at failure ({page.Url}): {file}";
            }
            catch (PlaywrightException screenshotFailure)
            {
                where = $"No screenshot could be taken ({screenshotFailure.Message}).";
            }

            Output.WriteLine(where);
            throw new BrowserTestFailure($"{failure.Message}\n{where}", failure);
        }
    }
}

/// <summary>A failed browser test: the original failure, plus where its screenshot is.</summary>
public sealed class BrowserTestFailure(string message, Exception inner) : Exception(message, inner);
