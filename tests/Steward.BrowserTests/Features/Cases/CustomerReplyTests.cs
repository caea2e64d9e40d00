using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Features.Cases;

/// <summary>
/// Issue 10 item 12 as a customer meets it: on the public status page, a message with a file, first with a mistake,
/// in Chinese on a laptop and in English on a tablet; the agent then reads it on the case.
/// </summary>
public sealed partial class CustomerReplyTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory]
    [InlineData("zh-CN", 1366, "案件编号", "电话或邮箱", "查询", "留言内容", "附件（可选）", "发送", "您的留言")]
    [InlineData("en", 768, "Reference", "Phone or e-mail", "Check", "Your message", "Attach a file (optional)", "Send", "You wrote")]
    public Task Customer_WritesOnTheStatusPage_AMistakeIsNamedAtTheField_AndTheAgentReadsTheMessage(
        string locale, int width, string referenceLabel, string contactLabel, string check, string bodyLabel, string fileLabel, string send, string ownHeader) =>
        InBrowserAsync(async (page, server) =>
        {
            var phone = "1390013" + (4000 + (Math.Abs(locale.GetHashCode(StringComparison.Ordinal)) % 5000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var message = server.Unique(locale == "en" ? "Here is the receipt you asked for, " : "已附上您要的回单，");
            string reference;
            await using (var customer = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" }))
            {
                var form = await PublicRequestPage.OpenAsync(await customer.NewPageAsync());
                reference = await form.SubmitAsync("咨询", "上海陆家嘴支行", "王芳", phone, server.Unique("转账回单咨询"), "想确认上周的转账是否到账。");
            }

            await page.GotoAsync("/Public/Status");
            await page.GetByLabel(referenceLabel, new() { Exact = true }).FillAsync(reference);
            await page.GetByLabel(contactLabel, new() { Exact = true }).FillAsync(phone);
            await page.GetByRole(AriaRole.Button, new() { Name = check, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("reply-form")).ToBeVisibleAsync();

            // A message of spaces only passes the browser's "required" and is refused by the server, at the field, in one language.
            await page.GetByLabel(bodyLabel, new() { Exact = true }).FillAsync("   ");
            await page.GetByRole(AriaRole.Button, new() { Name = send, Exact = true }).ClickAsync();
            var error = page.Locator("#body-error");
            await Assertions.Expect(error).ToBeVisibleAsync();
            var said = (await error.InnerTextAsync()).Trim();
            Assert.True(said.Length > 0, "the field error says nothing");
            Assert.Equal(locale == "zh-CN", Chinese().IsMatch(said));
            await Assertions.Expect(page.GetByTestId("public-own-message")).ToHaveCountAsync(0);

            // Then the real message, with a text file.
            await page.GetByLabel(bodyLabel, new() { Exact = true }).FillAsync(message);
            await page.GetByLabel(fileLabel, new() { Exact = true }).SetInputFilesAsync(new FilePayload
            {
                Name = "receipt.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("Transfer 2026-11-25, CNY 5,000.00\n"),
            });
            await page.GetByRole(AriaRole.Button, new() { Name = send, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("reply-sent")).ToBeVisibleAsync();
            var own = page.GetByTestId("public-own-message");
            await Assertions.Expect(own).ToHaveCountAsync(1);
            await Assertions.Expect(own).ToContainTextAsync(message);
            await Assertions.Expect(own).ToContainTextAsync(ownHeader);
            Assert.Equal(locale == "zh-CN", Chinese().IsMatch(await page.GetByTestId("reply-sent").InnerTextAsync()));
            await Assertions.Expect(page.GetByLabel(bodyLabel, new() { Exact = true })).ToHaveValueAsync(""); // not shown back to be sent twice

            // The page fits its window: nothing scrolls sideways.
            var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"at {width} px the status page is {widths[0]} px wide");
            Directory.CreateDirectory(ScreenshotFolder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"customer-reply.{locale}.{width}.png"), FullPage = true });

            // The agent of the branch finds the message, marked as the customer's, and the file on the case.
            await using var staff = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "zh-CN" });
            var agentPage = await staff.NewPageAsync();
            var home = await (await SignInPage.OpenAsync(agentPage)).SignInAsync(Demo.Agent);
            var workbench = await WorkbenchPage.OpenFromMenuAsync(home);
            await workbench.OpenTabAsync("未分配");
            await workbench.PickAsync(reference);
            var card = agentPage.GetByTestId("customer-message");
            await Assertions.Expect(card).ToHaveCountAsync(1);
            await Assertions.Expect(card).ToContainTextAsync(message);
            await Assertions.Expect(card).ToContainTextAsync("客户留言");
            await Assertions.Expect(agentPage.GetByTestId("attachment-link").Filter(new() { HasText = "receipt.txt" })).ToHaveCountAsync(1);
        }, new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = width, Height = 1024 } });

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
