using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Account;

public sealed class PageShellTests
{
    [Theory, BothDatabases]
    public async Task SignInPage_SpeaksTheBrowsersLanguage_AndCarriesSecurityHeaders(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var client = app.AnonymousClient();

        var chinese = await client.GetAsync("/Account/SignIn");
        var html = await chinese.Content.ReadAsStringAsync();
        Assert.Contains("<title>员工登录 · Steward</title>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Equal("nosniff", chinese.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", chinese.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", chinese.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/SignIn");
        request.Headers.AcceptLanguage.ParseAdd("en-GB");
        var english = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<title>Staff sign-in · Steward</title>", english, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task ProtectedPage_Anonymous_RedirectsToSignIn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var response = await app.AnonymousClient().GetAsync("/Admin/Staff");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task AdminPage_ForAgent_Answers403WithAReadablePage_AndNoAdminMenu(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var page = await PageClient.SignInAsync(app, agent.Username);

        var (homeStatus, home) = await page.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, homeStatus);
        Assert.DoesNotContain("admin-menu", home, StringComparison.Ordinal);

        var (status, html) = await page.GetAsync("/Admin/Staff");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("无权访问", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task LanguageChoice_IsRememberedOnTheAccount_AndAppliedAtTheNextSignIn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var first = await PageClient.SignInAsync(app, admin.Username);

        var switched = await first.PostFormAsync("/Account/Culture", new() { ["culture"] = "en", ["returnUrl"] = "/" }, pageUrl: "/");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("en", await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == admin.Id).Select(s => s.Culture).SingleAsync()));

        // Another browser, no language cookie, Chinese Accept-Language: the account's choice wins after sign-in.
        var second = await PageClient.SignInAsync(app, admin.Username, language: "zh-CN");
        var (_, html) = await second.GetAsync("/Admin/Branches");
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Branches", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task AdminCreatesBranchInTheUi_WithBadZone_SeesTheErrorAndNothingIsStored(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var page = await PageClient.SignInAsync(app, admin.Username);

        var bad = await page.PostFormAsync("/Admin/Branches", new()
        {
            ["Input.Code"] = "GZ01", ["Input.Name"] = "广州天河支行", ["Input.NameEn"] = "Guangzhou Tianhe", ["Input.TimeZone"] = "Asia/Canton", ["Input.IsActive"] = "true",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("不是有效的 IANA 时区", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var good = await page.PostFormAsync("/Admin/Branches", new()
        {
            ["Input.Code"] = "gz01", ["Input.Name"] = "广州天河支行", ["Input.NameEn"] = "Guangzhou Tianhe", ["Input.TimeZone"] = "Asia/Shanghai", ["Input.IsActive"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var codes = await app.WithDbAsync(db => db.Set<Steward.Features.Organisation.Branch>().Select(b => b.Code).ToListAsync());
        Assert.Contains("GZ01", codes);
        Assert.Equal(2, codes.Count);
    }

    [Theory, BothDatabases]
    public async Task SignOut_FromTheMenu_EndsTheSession(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var page = await PageClient.SignInAsync(app, agent.Username);

        var signedOut = await page.PostFormAsync("/Account/SignOut", [], pageUrl: "/");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var after = await page.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/SignIn", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task ChangePassword_EndsOtherSessions_KeepsThisOne_AndRefusesAWeakOrWrongOne(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var api = await app.ApiClientAsync(agent.Username);
        var page = await PageClient.SignInAsync(app, agent.Username);

        var wrong = await page.PostFormAsync("/Account/Password", new() { ["Current"] = "not-it", ["New"] = "Counter-Desk-2027", ["Confirm"] = "Counter-Desk-2027" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("当前密码不正确", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var weak = await page.PostFormAsync("/Account/Password", new() { ["Current"] = StewardApp.Password, ["New"] = "short", ["Confirm"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);

        var ok = await page.PostFormAsync("/Account/Password", new() { ["Current"] = StewardApp.Password, ["New"] = "Counter-Desk-2027", ["Confirm"] = "Counter-Desk-2027" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await page.Http.GetAsync("/")).StatusCode);
        await (await api.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(agent.Username, "Counter-Desk-2027")).GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task ChangePassword_GuessingTheCurrentOne_LocksTheAccountAfterFive_AndEndsTheSession(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var page = await PageClient.SignInAsync(app, agent.Username);
        var guess = new Dictionary<string, string> { ["Current"] = "wrong-guess", ["New"] = "Counter-Desk-2027", ["Confirm"] = "Counter-Desk-2027" };

        // The lockout allows 5 failures (SignInOptions): four are answered at the field, the fifth locks the account.
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await page.PostFormAsync("/Account/Password", guess);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("当前密码不正确", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var fifth = await page.PostFormAsync("/Account/Password", guess);
        Assert.Equal(HttpStatusCode.Unauthorized, fifth.StatusCode);
        Assert.Contains("账户已临时锁定", await fifth.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var after = await page.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/SignIn", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // Locked means locked: even the right password is refused now, and the password did not change.
        var again = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostFormAsync("/Account/SignIn", new() { ["Username"] = agent.Username, ["Password"] = StewardApp.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostFormAsync("/Account/SignIn", new() { ["Username"] = agent.Username, ["Password"] = "Counter-Desk-2027" })).StatusCode);
    }
}
