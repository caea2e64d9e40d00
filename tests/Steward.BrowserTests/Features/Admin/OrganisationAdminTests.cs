using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Admin;

public sealed class OrganisationAdminTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Fact]
    public Task Admin_CreatesBranchAndStaff_NewStaffCanSignIn() => InBrowserAsync(async (page, server) =>
    {
        var code = server.Unique("T");
        var username = server.Unique("new.agent").ToLowerInvariant();
        const string password = "Xinmima-2026!";
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Admin);

        var branches = await home.OpenBranchesAsync();
        await branches.SubmitNewAsync(code, $"测试支行{code}", $"Test Branch {code}", "Asia/Shanghai");
        await Expect(branches.Row(code)).ToContainTextAsync($"测试支行{code}");
        await Expect(branches.Row(code)).ToContainTextAsync("Asia/Shanghai");

        var staff = await branches.OpenStaffAsync();
        await staff.SubmitNewAsync(username, "新员工 李明", $"测试支行{code}", "前台坐席", password);
        await Expect(staff.Saved).ToHaveTextAsync("已保存。");
        await Expect(staff.Row(username)).ToContainTextAsync("新员工 李明");
        await Expect(staff.Row(username)).ToContainTextAsync($"测试支行{code}");
        await Expect(staff.Row(username)).ToContainTextAsync("前台坐席");

        var signIn = await staff.SignOutAsync();
        var newcomer = await signIn.SignInAsync(username, password);
        await Expect(newcomer.Welcome).ToHaveTextAsync("您好，新员工 李明");
        await Expect(newcomer.AdminMenu).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Admin_BranchWithBadTimeZone_ShowsReadableError() => InBrowserAsync(async (page, server) =>
    {
        var code = server.Unique("Z");
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Admin);
        var branches = await home.OpenBranchesAsync();

        await branches.SubmitNewAsync(code, "火星支行", "Mars Branch", "Mars/Olympus_Mons");

        await Expect(branches.Error).ToContainTextAsync("Mars/Olympus_Mons");
        await Expect(branches.Error).ToContainTextAsync("不是有效的 IANA 时区");
        await Expect(branches.Row(code)).ToHaveCountAsync(0);
        // What was typed is kept, so it can be corrected.
        await Expect(page.GetByLabel("代码", new() { Exact = true })).ToHaveValueAsync(code);
    });
}
