using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Account;

/// <summary>The sign-in page: unknown names answer like real accounts, and only sign-in attempts use up the rate limit.</summary>
public sealed partial class SignInPageTests
{
    [Theory, BothDatabases]
    public async Task SignInPage_UnknownNameAndRealAccount_ShowTheSameAnswer_BeforeAndAfterTheThreshold(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var page = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var real = await AnswerAsync(page, staff.Username, "wrong-guess");
            Assert.Equal(real, await AnswerAsync(page, "ghost", "wrong-guess"));
            Assert.Equal(attempt < 5 ? "401 用户名或密码不正确。" : "401 登录失败次数过多，账户已临时锁定，请稍后再试或联系管理员。", real);
        }

        Assert.Equal(await AnswerAsync(page, "ghost", StewardApp.Password), await AnswerAsync(page, staff.Username, StewardApp.Password));
    }

    [Theory, BothDatabases]
    public async Task SignInLimit_CountsSignInAttemptsOnly_NotPageViewsOrTheFavicon(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:SignInPerMinute"] = "20" });
        var page = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await page.Http.GetAsync("/Account/SignIn")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await page.Http.GetAsync("/favicon.ico")).StatusCode);
        }

        // 20 attempts a minute from one address, through the page and the API alike; the 21st is refused.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await page.PostFormAsync("/Account/SignIn", new() { ["Username"] = "ghost", ["Password"] = "wrong-guess" })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await page.Http.PostAsJsonAsync("/api/v1/auth/token", new { username = "ghost", password = "wrong-guess" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await page.Http.PostAsJsonAsync("/api/v1/auth/token", new { username = "ghost", password = "wrong-guess" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await page.Http.GetAsync("/Account/SignIn")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task StaticFiles_TheFaviconExists_AndAMissingFileAnswers404_NotARedirectToSignIn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var client = app.AnonymousClient();

        var icon = await client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/x-icon", icon.Content.Headers.ContentType?.MediaType);
        var svg = await client.GetAsync("/favicon.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg", await client.GetStringAsync("/Account/SignIn"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/css/missing.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/lib/bootstrap/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/apple-touch-icon.png")).StatusCode);

        // A page that does not exist still sends an anonymous visitor to sign in: it does not tell which pages exist.
        var unknownPage = await client.GetAsync("/Admin/NoSuchPage");
        Assert.Equal(HttpStatusCode.Redirect, unknownPage.StatusCode);
        Assert.StartsWith("/Account/SignIn", unknownPage.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>The status and the error shown on the page.</summary>
    private static async Task<string> AnswerAsync(PageClient page, string username, string password)
    {
        var response = await page.PostFormAsync("/Account/SignIn", new() { ["Username"] = username, ["Password"] = password });
        var html = await response.Content.ReadAsStringAsync();
        var error = ErrorMessage().Match(html);
        return $"{(int)response.StatusCode} {(error.Success ? System.Net.WebUtility.HtmlDecode(error.Groups[1].Value) : "(no message)")}";
    }

    [GeneratedRegex(@"data-testid=""signin-error"">([^<]*)<")]
    private static partial Regex ErrorMessage();
}
