using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Platform.Database;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Features.Cases;

/// <summary>Issue 3's must-show: from the public form through the workbench to the public status page.</summary>
public sealed partial class CaseFlowTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory, BothDatabases]
    public Task Complaint_FromPublicFormToResolved_CustomerSeesStatusAndReplyButNoNoteOrAgentName(DatabaseProvider provider) => InBrowserAsync(async (page, server) =>
    {
        var subject = server.Unique("转账手续费多扣");
        var reply = server.Unique("已为您退回多收的手续费，");
        var note = server.Unique("内部核查：系统重复扣费，");

        // The customer submits a complaint and reads the reference.
        string reference;
        await using (var customer = await NewContextAsync(page, server))
        {
            var form = await PublicRequestPage.OpenAsync(await customer.NewPageAsync());
            reference = await form.SubmitAsync("投诉", "上海陆家嘴支行", "韩梅梅", "13900139000", subject, "昨天跨行转账被收了两次手续费。");
        }

        Assert.Matches(ReferencePattern(), reference);

        // An agent of that branch picks it from the unassigned tab and works it.
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);
        var workbench = await WorkbenchPage.OpenFromMenuAsync(home);
        await workbench.OpenTabAsync("未分配");
        var casePage = await workbench.PickAsync(reference);
        await Assertions.Expect(casePage.Assignee).ToHaveTextAsync(Demo.AgentName);
        await casePage.MoveAsync("开始审核", "审核中");
        await casePage.MoveAsync("开始处理", "处理中");
        await casePage.ReplyAsync(reply);
        await casePage.NoteAsync(note);
        await casePage.MoveAsync("解决", "已解决", reason: "已退款");

        // In a fresh browser the customer checks the status with the reference and phone number.
        await using var fresh = await NewContextAsync(page, server);
        var status = await PublicStatusPage.OpenAsync(await fresh.NewPageAsync());
        await status.CheckAsync(reference, "13900139000");
        await Assertions.Expect(status.Status).ToHaveTextAsync("已解决");
        await Assertions.Expect(status.Replies).ToHaveCountAsync(1);
        await Assertions.Expect(status.Replies).ToContainTextAsync(reply);
        var text = await status.Page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain(note, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Demo.AgentName, text, StringComparison.Ordinal);
    }, provider: provider);

    [Theory, BothDatabases]
    public Task WorkbenchSearch_TypingAChineseWord_ReloadsTheResultsWithoutNavigating(DatabaseProvider provider) => InBrowserAsync(async (page, server) =>
    {
        var word = "挂失";
        string reference;
        await using (var customer = await NewContextAsync(page, server))
        {
            var form = await PublicRequestPage.OpenAsync(await customer.NewPageAsync());
            reference = await form.SubmitAsync("咨询", "上海陆家嘴支行", "李雷", "13800138000", server.Unique("银行卡挂失咨询"), "卡丢了，想问如何挂失。");
        }

        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);
        var workbench = await WorkbenchPage.OpenFromMenuAsync(home);
        await workbench.OpenTabAsync("未分配");
        await page.EvaluateAsync("() => { window.stewardMarker = 'same document'; }");

        var fragment = page.WaitForResponseAsync(r => r.Url.Contains("q=" + Uri.EscapeDataString(word), StringComparison.Ordinal) && r.Request.Headers.ContainsKey("hx-request"));
        await workbench.Search.PressSequentiallyAsync(word);
        await fragment;

        await Assertions.Expect(workbench.Row(reference)).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=" + Regex.Escape(Uri.EscapeDataString(word)), RegexOptions.IgnoreCase));
        Assert.Equal("same document", await page.EvaluateAsync<string>("() => window.stewardMarker"));
    }, provider: provider);

    private static Task<IBrowserContext> NewContextAsync(IPage page, StewardServer server) =>
        page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });

    [GeneratedRegex(@"^SV-\d{8}-\d{6}$")]
    private static partial Regex ReferencePattern();
}
