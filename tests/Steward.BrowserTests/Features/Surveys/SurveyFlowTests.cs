using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Features.Surveys;

/// <summary>
/// Issue 15's browser must-show: a customer answers the survey on a phone-sized page in Chinese; the team lead of the agent who
/// served finds the follow-up on the workbench.
/// </summary>
public sealed partial class SurveyFlowTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory, BothDatabases]
    public Task CustomerAnswersOnAPhone_PoorScore_LeadSeesTheFollowUpOnTheWorkbench(DatabaseProvider provider) => InBrowserAsync(async (page, server) =>
    {
        // A consultation from the public form, with a phone number no one else has (the contact policy is per recipient).
        var phone = "1397" + (7_000_000 + Random.Shared.Next(1_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string reference;
        await using (var customer = await NewContextAsync(page, server))
        {
            var form = await PublicRequestPage.OpenAsync(await customer.NewPageAsync());
            reference = await form.SubmitAsync("咨询", "上海陆家嘴支行", "李雷", phone, server.Unique("理财产品赎回到账时间"), "想了解赎回后几天到账。");
        }

        // The agent resolves it: the demo survey "case service satisfaction" invites the customer by SMS (the outbox).
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);
        var workbench = await WorkbenchPage.OpenFromMenuAsync(home);
        await workbench.OpenTabAsync("未分配");
        var casePage = await workbench.PickAsync(reference);
        await casePage.MoveAsync("开始审核", "审核中");
        await casePage.MoveAsync("开始处理", "处理中");
        await casePage.ReplyAsync("赎回资金 T+1 到账。");
        await casePage.MoveAsync("解决", "已解决", reason: "已答复");
        var token = await SurveyTokenAsync(server, phone);

        // The customer opens the link on a phone, in Chinese, and answers: CSAT 1 and NPS 2 are poor scores.
        await using (var phoneContext = await Browser.NewContextAsync(new() { BaseURL = server.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true }))
        {
            var survey = await phoneContext.NewPageAsync();
            await survey.GotoAsync("/Public/Survey?t=" + token);
            await Assertions.Expect(survey.GetByText("您向亲友推荐我行的可能性有多大？")).ToBeVisibleAsync();
            Assert.True(await survey.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "The survey is wider than the phone.");
            await survey.Locator("label[for=q-csat-1]").ClickAsync();
            await survey.Locator("label[for=q-nps-2]").ClickAsync();
            await survey.GetByTestId("survey-submit").ClickAsync();
            await Assertions.Expect(survey.GetByTestId("survey-thanks")).ToBeVisibleAsync();
        }

        // The agent's team lead finds the follow-up among their own cases.
        await page.Context.ClearCookiesAsync();
        var lead = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Lead);
        var leadBench = await WorkbenchPage.OpenFromMenuAsync(lead);
        await Assertions.Expect(leadBench.Rows.Filter(new() { HasText = "满意度回访：" + reference })).ToHaveCountAsync(1);
    }, provider: provider);

    private static Task<IBrowserContext> NewContextAsync(IPage page, StewardServer server) =>
        page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });

    private static async Task<string> SurveyTokenAsync(StewardServer server, string phone)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
        var body = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == phone && m.Channel == OutboxChannel.Sms)
            .OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
        return LinkToken().Match(body).Groups[1].Value;
    }

    [GeneratedRegex(@"Survey\?t=([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkToken();
}
