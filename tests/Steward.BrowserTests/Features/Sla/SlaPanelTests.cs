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
        await Assertions.Expect(regulatory.GetByTestId("sla-due")).ToHaveTextAsync(DueInShanghai());
        var steps = await sla.ExplanationAsync(regulatory);
        await Assertions.Expect(steps.Last).ToContainTextAsync("到期时间：");

        await sla.RequestExtensionAsync("Resolution|Regulatory", 60, "情况特别复杂，需调取销售录音录像");
        await Assertions.Expect(sla.Extensions).ToHaveCountAsync(1);
        await Assertions.Expect(sla.Extensions.First).ToHaveAttributeAsync("data-status", "Pending");
        await Assertions.Expect(sla.Extensions.First).ToContainTextAsync("15 → 60");
        // The requester cannot decide the request.
        await Assertions.Expect(sla.Root.GetByTestId("sla-decide-form")).ToHaveCountAsync(0);
    }, provider: provider);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")]
    private static partial Regex DueInShanghai();
}
