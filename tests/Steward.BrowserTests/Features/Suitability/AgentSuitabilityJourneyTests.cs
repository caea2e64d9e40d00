using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Suitability;

/// <summary>
/// Issue 12's journey: an agent opens a customer, takes the risk assessment with the customer at the counter (first with a
/// question skipped and without the presence attested, refused at those fields), the customer confirms the new level, the
/// agent recommends a suitable product, the customer acknowledges the disclosure, and the acknowledgment shows on the
/// customer's file — in Chinese on a laptop and in English on a tablet.
/// </summary>
public sealed class AgentSuitabilityJourneyTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    public sealed record Words(
        string Assess, string Submit, string Answer, string Present, string Result, string Confirm, string Check, string Product, string Recommend, string Run,
        string Pass, string AckLabel, string Acknowledge, string Acknowledged, string Cleared, string Level);

    private static readonly Words Zh = new("柜台测评", "提交测评", "请回答此题。", "风险测评须由客户本人现场作答，请确认客户在场。", "测评结果：C3（稳健型）", "我确认新的等级",
        "适当性检查", "R1 · 三年期储蓄国债 (BND-GOV)", "推介", "检查并记录", "通过", "客户已阅读风险揭示并确认", "记录客户确认", "客户已于", "可办理", "C3（稳健型）");

    private static readonly Words En = new("Assess at the counter", "Submit the answers", "Answer this question.", "The customer answers the questionnaire themselves, in person: confirm that they are here.",
        "Result: C3 (balanced)", "I confirm the new level", "Suitability check", "R1 · 3-year savings treasury bond (BND-GOV)", "Recommend", "Check and record", "Pass",
        "The customer has read the risk disclosure and acknowledges it", "Record the acknowledgment", "The customer acknowledged on", "Cleared", "C3 (balanced)");

    [Fact]
    public Task Agent_AssessesWithTheCustomer_RecommendsASuitableProduct_AndTheAcknowledgmentShowsOnTheFile_InChinese() =>
        InBrowserAsync(async (page, server) =>
        {
            await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);
            await JourneyAsync(page, server, Zh, "zh-CN", 1366);
        });

    [Fact]
    public Task Agent_AssessesWithTheCustomer_RecommendsASuitableProduct_AndTheAcknowledgmentShowsOnTheFile_InEnglish() =>
        InBrowserAsync(async (page, server) =>
        {
            await (await SignInPage.OpenAsync(page, UiText.English)).SignInAsync(Demo.Agent);
            await JourneyAsync(page, server, En, "en", 768);
        }, new BrowserNewContextOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 768, Height = 1024 } });

    private async Task JourneyAsync(IPage page, StewardServer server, Words w, string locale, int width)
    {
        var reference = await server.CreateVerifiedCustomerAsync("测评客户");
        await page.GotoAsync("/Customers?q=" + reference);
        await page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Expect(page.GetByTestId("risk-none")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = w.Assess, Exact = true }).ClickAsync();

        // 60 points (C3), worked out from the option scores of questionnaire version 1; the last question is left out at first.
        foreach (var (question, option) in new[] { ("age", "b"), ("income", "c"), ("assets", "b"), ("experience", "c"), ("knowledge", "b"), ("goal", "c"), ("horizon", "c") })
        {
            await page.Locator($"#q-{question}-{option}").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = w.Submit }).ClickAsync();
        await Expect(page.Locator("#q-loss-error")).ToHaveTextAsync(w.Answer);
        await Expect(page.Locator("#present-error")).ToHaveTextAsync(w.Present);
        await Expect(page.Locator("#q-goal-c")).ToBeCheckedAsync(); // what was answered is kept
        await page.Locator("#q-loss-b").CheckAsync();
        await page.Locator("#present").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = w.Submit }).ClickAsync();

        await Expect(page.GetByTestId("assessment-result").GetByRole(AriaRole.Heading)).ToHaveTextAsync(w.Result);
        await Shot(page, $"suitability-result.{locale}.{width}.png");
        await page.GetByTestId("customer-confirms").ClickAsync();
        await Expect(page.GetByTestId("risk-level")).ToHaveTextAsync(w.Level);

        await page.GetByRole(AriaRole.Link, new() { Name = w.Check, Exact = true }).ClickAsync();
        var form = page.GetByTestId("check-form");
        await form.Locator("#product").SelectOptionAsync(new SelectOptionValue { Label = w.Product });
        await form.GetByLabel(w.Recommend, new() { Exact = true }).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = w.Run }).ClickAsync();
        await Expect(page.GetByTestId("outcome")).ToHaveTextAsync(w.Pass);
        await page.GetByLabel(w.AckLabel).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = w.Acknowledge }).ClickAsync();
        await Expect(page.GetByTestId("acknowledged-at")).ToContainTextAsync(w.Acknowledged);
        await Expect(page.GetByTestId("decision-status")).ToHaveTextAsync(w.Cleared);
        await Shot(page, $"suitability-decision.{locale}.{width}.png");

        await page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        var row = page.GetByTestId("decision-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("acknowledged")).ToBeVisibleAsync();
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"at {width} px the customer page is {widths[0]} px wide");
        await Shot(page, $"suitability-file.{locale}.{width}.png");
    }

    private static async Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name), FullPage = true });
    }
}
