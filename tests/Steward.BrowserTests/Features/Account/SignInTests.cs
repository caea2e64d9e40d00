using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Account;

public sealed class SignInTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory, BothDatabases]
    public Task SignIn_AsAdmin_ShowsNameAndAdminMenu(DatabaseProvider provider) => InBrowserAsync(async (page, _) =>
    {
        var signIn = await SignInPage.OpenAsync(page);
        await Expect(page).ToHaveTitleAsync("员工登录 · Steward");

        var home = await signIn.SignInAsync(Demo.Admin);

        await Expect(home.Welcome).ToHaveTextAsync("您好，" + Demo.AdminName);
        await Expect(home.Navigation).ToContainTextAsync(Demo.AdminName);
        await Expect(home.AdminMenu).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync("首页 · Steward");
    }, provider: provider);

    [Fact]
    public Task SignIn_WithKeyboardOnly_ReachesHome() => InBrowserAsync(async (page, _) =>
    {
        var signIn = await SignInPage.OpenAsync(page);

        // The username field has focus on arrival; Tab moves to the password; Enter submits.
        await Expect(signIn.Username).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Demo.Admin);
        await page.Keyboard.PressAsync("Tab");
        await Expect(signIn.Password).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Demo.Password);
        await page.Keyboard.PressAsync("Enter");

        await Expect(new HomePage(page, UiText.Chinese).Welcome).ToHaveTextAsync("您好，" + Demo.AdminName);
    });

    [Fact]
    public Task SignIn_WrongPassword_ShowsMessageAndStaysOnSignIn() => InBrowserAsync(async (page, _) =>
    {
        var signIn = await SignInPage.OpenAsync(page);

        await signIn.SubmitAsync(Demo.Admin, "Wrong-Passw0rd!");

        await Expect(signIn.Error).ToHaveTextAsync("用户名或密码不正确。");
        await Expect(signIn.Heading).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
        await Expect(signIn.Username).ToHaveValueAsync(Demo.Admin);
        await Expect(signIn.Password).ToBeEmptyAsync();
    });

    [Fact]
    public Task SignIn_FiveWrongPasswords_LocksTheAccount() => InBrowserAsync(async (page, server) =>
    {
        var username = await server.CreateStaffAsync("锁定测试", StaffRole.Agent);
        var signIn = await SignInPage.OpenAsync(page);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await signIn.SubmitAsync(username, $"Wrong-Passw0rd-{attempt}");
            await Expect(signIn.Error).ToHaveTextAsync("用户名或密码不正确。");
        }

        await signIn.SubmitAsync(username, "Wrong-Passw0rd-5");
        await Expect(signIn.Error).ToContainTextAsync("登录失败次数过多，账户已临时锁定");

        // Locked: even the right password is refused now.
        await signIn.SubmitAsync(username, Demo.Password);
        await Expect(signIn.Error).ToContainTextAsync("登录失败次数过多，账户已临时锁定");
        await Expect(signIn.Heading).ToBeVisibleAsync();
    });
}
