using Microsoft.Playwright;

namespace Steward.BrowserTests.Infrastructure;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium) for the whole browser test run; each test
/// opens its own context (cookies, locale, viewport) in it. Playwright's bundled driver talks to
/// it; no browser is ever downloaded.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("STEWARD_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutable;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not installed at {executable} (apt-get install chromium fonts-noto-cjk).");
        }

        // The machine is shared and small: give expectations as long as actions before calling them failed.
        Assertions.SetDefaultExpectTimeout(10_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}

/// <summary>
/// Every browser test class belongs to this collection: they share one Chromium and one app per
/// database, and run one after another, which keeps a two-core machine responsive. Tests stay
/// independent: each has its own browser context (cookies) and makes the data it changes.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>, ICollectionFixture<StewardServers>
{
    public const string Name = "Browser";
}
