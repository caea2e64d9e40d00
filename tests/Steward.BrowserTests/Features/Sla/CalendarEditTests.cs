using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Platform.Database;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Sla;

/// <summary>An administrator keeps a business calendar's holidays (demo data: the Shanghai calendar with PRC 2025 and 2026).</summary>
public sealed class CalendarEditTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory, BothDatabases]
    public Task Admin_AddsAHolidayAndRemovesIt(DatabaseProvider provider) => InBrowserAsync(async (page, server) =>
    {
        await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Admin);
        var edit = await CalendarEditPage.OpenAsync(page, "上海营业日历");
        await Expect(edit.LoadedYears).ToHaveTextAsync(["2025", "2026"]);

        // Wednesday 30 December 2026 is an ordinary working day in the State Council's 2026 schedule.
        await Expect(edit.Row("2026-12-30")).ToHaveCountAsync(0);
        await edit.AddHolidayAsync("2026-12-30", "测试假日");
        await Expect(edit.Row("2026-12-30")).ToContainTextAsync("测试假日");
        await Expect(edit.Row("2026-12-30")).ToContainTextAsync("节假日");

        await edit.RemoveAsync("2026-12-30");
        await Expect(edit.Heading).ToHaveTextAsync("编辑日历: 上海营业日历");
        await Expect(edit.Row("2026-12-30")).ToHaveCountAsync(0);
        await Expect(edit.Row("2026-10-01")).ToContainTextAsync("国庆节");
    }, provider: provider);
}
