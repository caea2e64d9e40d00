using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Errors;

public sealed class AccessDeniedTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Fact]
    public Task Agent_SeesNoAdminMenu_AndAdminPageAnswers403WithReadablePage() => InBrowserAsync(async (page, _) =>
    {
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);
        await Expect(home.Welcome).ToHaveTextAsync("您好，" + Demo.AgentName);
        await Expect(home.AdminMenu).ToHaveCountAsync(0);
        await Expect(home.AuditLink).ToHaveCountAsync(0);

        var response = await page.GotoAsync("/Admin/Staff");

        Assert.NotNull(response);
        Assert.Equal(403, response.Status);
        var denied = new AppShell(page, UiText.Chinese);
        await Expect(denied.Heading).ToHaveTextAsync("无权访问");
        await Expect(page.GetByText("您的角色没有访问此页面的权限。")).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync("无权访问 · Steward");
        // Still signed in, with the navigation to go elsewhere.
        await Expect(denied.Navigation).ToContainTextAsync(Demo.AgentName);
    });

    [Fact]
    public Task UnknownPage_Answers404WithReadablePage() => InBrowserAsync(async (page, _) =>
    {
        await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Agent);

        var response = await page.GotoAsync("/No/Such/Page");

        Assert.NotNull(response);
        Assert.Equal(404, response.Status);
        await Expect(new AppShell(page, UiText.Chinese).Heading).ToHaveTextAsync("页面不存在");
    });
}
