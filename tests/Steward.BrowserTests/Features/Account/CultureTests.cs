using Steward.Platform.Identity;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Account;

public sealed class CultureTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Fact]
    public Task Culture_ChineseBrowser_GetsChinese() => InBrowserAsync(async (page, _) =>
    {
        var signIn = await SignInPage.OpenAsync(page);

        await Expect(signIn.Heading).ToHaveTextAsync("员工登录");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(signIn.LanguageButton).ToHaveTextAsync("English");
    }, new BrowserNewContextOptions { Locale = "zh-CN" });

    [Fact]
    public async Task Culture_NoAcceptLanguage_GetsChinese()
    {
        var server = await ServerAsync();
        // A browser always names a language, so ask without one over plain HTTP.
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, SignInPage.Path);
        request.Headers.AcceptLanguage.Clear();
        using var response = await http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("员工登录", html, StringComparison.Ordinal);
    }

    [Fact]
    public Task Culture_EnglishBrowser_GetsEnglishFirst() => InBrowserAsync(async (page, _) =>
    {
        var signIn = await SignInPage.OpenAsync(page, UiText.English);

        await Expect(signIn.Heading).ToHaveTextAsync("Staff sign-in");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(signIn.Username).ToBeVisibleAsync();
    }, new BrowserNewContextOptions { Locale = "en-US" });

    [Fact]
    public Task Culture_SwitchToEnglish_SurvivesNavigationAndSwitchesBack() => InBrowserAsync(async (page, server) =>
    {
        // Its own account: the language chosen while signed in is remembered on the account, and the
        // demo admin is shared with other tests that expect the browser's language.
        var username = await server.CreateStaffAsync("语言测试员", StaffRole.Administrator);
        var signIn = await SignInPage.OpenAsync(page);
        await Expect(signIn.Heading).ToHaveTextAsync("员工登录");

        var english = await signIn.SwitchLanguageAsync();
        await Expect(english.Heading).ToHaveTextAsync("Staff sign-in");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        var home = await english.SignInAsync(username);
        await Expect(home.Welcome).ToHaveTextAsync("Hello, 语言测试员");
        var branches = await home.OpenBranchesAsync();
        await Expect(branches.Heading).ToHaveTextAsync("Branches");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page).ToHaveTitleAsync("Branches · Steward");

        var chinese = await branches.SwitchLanguageAsync();
        await Expect(new AppShell(page, chinese).Heading).ToHaveTextAsync("分支机构");
        await page.GotoAsync("/");
        await Expect(new HomePage(page, chinese).Welcome).ToHaveTextAsync("您好，语言测试员");
    }, new BrowserNewContextOptions { Locale = "zh-CN" });
}
