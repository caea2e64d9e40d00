using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Platform.Database;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Features.Sla;

/// <summary>The case page's SLA panel in a real browser (demo data: Shanghai calendar, PRC preset selected).</summary>
public sealed partial class SlaPanelTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory, BothDatabases]
    public Task CasePage_ShowsDueInTheBranchZoneWithItsExplanation_AndRequestsAnExtension(DatabaseProvider provider) => InBrowserAsync(async (page, server) =>
    {
        string reference;
        await using (var customer = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" }))
        {
            var form = await PublicRequestPage.OpenAsync(await customer.NewPageAsync());
            reference = await form.SubmitAsync("投诉", "上海陆家嘴支行", "韩梅梅", "13900139000", server.Unique("理财产品收益与宣传不符"), "购买时宣传年化 4%，实际只有 2%。");
        }

        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);
        var workbench = await WorkbenchPage.OpenFromMenuAsync(home);
        await workbench.OpenTabAsync("未分配");
        var casePage = await workbench.PickAsync(reference);

        var sla = casePage.Sla;
        await Assertions.Expect(sla.Root).ToBeVisibleAsync();
        await Assertions.Expect(sla.Calendar).ToContainTextAsync("Asia/Shanghai");
        // PRC: 15 days, due at 24:00 of the last day in the branch's zone (UTC+08:00).
        var regulatory = sla.Clock("Resolution", "Regulatory");
        // Read as a person reads it: local date with weekday, time and offset; time left in days of the calendar clock, said so.
        await Assertions.Expect(regulatory.GetByTestId("sla-due")).ToHaveTextAsync(DueInShanghai());
        await Assertions.Expect(regulatory.GetByTestId("sla-left")).ToHaveTextAsync(CalendarTimeLeft());
        var steps = await sla.ExplanationAsync(regulatory);
        await Assertions.Expect(steps.Last).ToContainTextAsync("到期时间：");

        await sla.RequestExtensionAsync("Resolution|Regulatory", 60, "情况特别复杂，需调取销售录音录像");
        await Assertions.Expect(sla.Extensions).ToHaveCountAsync(1);
        await Assertions.Expect(sla.Extensions.First).ToHaveAttributeAsync("data-status", "Pending");
        await Assertions.Expect(sla.Extensions.First).ToContainTextAsync("15 → 60");
        // The requester cannot decide the request.
        await Assertions.Expect(sla.Root.GetByTestId("sla-decide-form")).ToHaveCountAsync(0);

        // The at-risk list shows the same figures; 15 calendar days (360 h) are within a 400-hour threshold.
        await page.GotoAsync("/Sla/AtRisk?within=400");
        var rows = page.Locator($"[data-testid=at-risk-row][data-reference='{reference}']");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        await Assertions.Expect(rows.GetByTestId("at-risk-due").Filter(new() { HasTextRegex = DueInShanghai() })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(rows.GetByTestId("at-risk-left").Filter(new() { HasTextRegex = CalendarTimeLeft() })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("at-risk-note")).ToContainTextAsync("400");
    }, provider: provider);

    [GeneratedRegex(@"^\d{4}年\d{1,2}月\d{1,2}日（周[一二三四五六日]）\d{2}:\d{2} \(UTC\+8\)$")]
    private static partial Regex DueInShanghai();

    /// <summary>"14 天 23 小时（自然时间）": days and hours of a calendar clock, never "h:mm" or hundreds of hours.</summary>
    [GeneratedRegex(@"^\d{1,2} 天( \d{1,2} 小时)?（自然时间）$")]
    private static partial Regex CalendarTimeLeft();
}
