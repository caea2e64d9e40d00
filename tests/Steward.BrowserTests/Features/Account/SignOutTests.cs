using System.Text.RegularExpressions;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Account;

public sealed class SignOutTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Fact]
    public Task SignOut_ReturnsToSignIn_AndProtectedPagesRedirectThere() => InBrowserAsync(async (page, _) =>
    {
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Admin);

        var signIn = await home.SignOutAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn$"));

        await page.GotoAsync("/Admin/Staff");
        await Expect(signIn.Heading).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn\\?ReturnUrl=%2FAdmin%2FStaff$"));

        // Signing in again goes back to the page that was asked for.
        await signIn.SubmitAsync(Demo.Admin, Demo.Password);
        await Expect(new StaffPage(page, UiText.Chinese).Heading).ToHaveTextAsync("员工与角色");
    });
}
