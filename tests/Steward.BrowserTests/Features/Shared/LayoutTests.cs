using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Shared;

public sealed class LayoutTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    /// <summary>Screenshots for people to look at (Chinese glyphs, layout), kept in the test output folder.</summary>
    public static readonly string ReviewFolder = Path.Combine(ScreenshotFolder, "review");

    [Fact]
    public Task Tablet_NavigationCollapsesIntoToggler_AndReachesAdminPages() => InBrowserAsync(async (page, _) =>
    {
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Admin);

        await Expect(home.Toggler).ToBeVisibleAsync();
        await Expect(home.AdminMenu).ToBeHiddenAsync();
        await Expect(home.SignOutButton).ToBeHiddenAsync();

        await home.ExpandNavigationAsync();
        await Expect(home.AdminMenu).ToBeVisibleAsync();
        await Expect(home.SignOutButton).ToBeVisibleAsync();
        await SaveForReviewAsync(page, "tablet-menu.zh-CN.png");

        var staff = await home.OpenStaffAsync();
        await Expect(staff.Table).ToBeVisibleAsync();
        Assert.True(await FitsWidthAsync(page), "the staff page should not scroll sideways at 768 px");

        var branches = await staff.OpenBranchesAsync();
        await Expect(branches.Table).ToBeVisibleAsync();
        Assert.True(await FitsWidthAsync(page), "the branches page should not scroll sideways at 768 px");
    }, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 768, Height = 1024 } });

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public Task Desktop_HomeAndStaffPages_FitTheScreen(string locale) => InBrowserAsync(async (page, _) =>
    {
        var text = locale == "zh-CN" ? UiText.Chinese : UiText.English;
        var home = await (await SignInPage.OpenAsync(page, text)).SignInAsync(Demo.Admin);
        await Expect(home.AdminMenu).ToBeVisibleAsync();
        await Expect(home.Toggler).ToBeHiddenAsync();
        Assert.True(await FitsWidthAsync(page), "the home page should not scroll sideways at 1366 px");
        await SaveForReviewAsync(page, $"home.{locale}.png");

        var staff = await home.OpenStaffAsync();
        await Expect(staff.Table).ToBeVisibleAsync();
        Assert.True(await FitsWidthAsync(page), "the staff page should not scroll sideways at 1366 px");
        await SaveForReviewAsync(page, $"admin-staff.{locale}.png");
    }, new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });

    /// <summary>
    /// Compliance has the most top-bar entries of the case-working roles (cases, customers, complaints, audit …); a branch
    /// manager has the counter and the branch queue besides complaints and qualifications.
    /// </summary>
    [Theory]
    [InlineData("compliance", "zh-CN")]
    [InlineData("compliance", "en-US")]
    [InlineData("sh.manager", "zh-CN")]
    [InlineData("sh.manager", "en-US")]
    public Task Desktop_BusiestTopBars_FitTheScreen(string role, string locale) => InBrowserAsync(async (page, _) =>
    {
        var text = locale == "zh-CN" ? UiText.Chinese : UiText.English;
        await (await SignInPage.OpenAsync(page, text)).SignInAsync(role);
        Assert.True(await FitsWidthAsync(page), $"{role}'s home page should not scroll sideways at 1366 px");
        await SaveForReviewAsync(page, $"{role}-home.{locale}.png");
    }, new BrowserNewContextOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });

    private static Task<bool> FitsWidthAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    private static async Task SaveForReviewAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ReviewFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ReviewFolder, name) });
    }
}
