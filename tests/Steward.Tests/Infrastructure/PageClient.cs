using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// A browser-like HTTP client for page tests that do not need JavaScript: keeps cookies, reads the
/// antiforgery token from the form it is about to post, and signs in through the sign-in page.
/// </summary>
public sealed partial class PageClient(HttpClient client)
{
    public HttpClient Http { get; } = client;

    public static async Task<PageClient> SignInAsync(StewardApp app, string username, string password = StewardApp.Password, string? language = null)
    {
        var page = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        if (language is not null)
        {
            page.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        var response = await page.PostFormAsync("/Account/SignIn", new() { ["Username"] = username, ["Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)response.StatusCode}");
        return page;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string url)
    {
        var response = await Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="pageUrl"/> (or <paramref name="url"/>), takes its antiforgery token, and posts the fields to <paramref name="url"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? pageUrl = null) =>
        await PostFormWithTokenAsync(url, fields, await TokenAsync(pageUrl ?? url));

    /// <summary>The antiforgery token of the form on <paramref name="pageUrl"/>, for a post sent later.</summary>
    public async Task<string> TokenAsync(string pageUrl)
    {
        var (status, html) = await GetAsync(pageUrl);
        var token = Token().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {pageUrl} (HTTP {(int)status}): {(html.Length > 600 ? html[..600] : html)}");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>Posts the fields to <paramref name="url"/> with an antiforgery token taken earlier (<see cref="TokenAsync"/>).</summary>
    public Task<HttpResponseMessage> PostFormWithTokenAsync(string url, Dictionary<string, string> fields, string token) =>
        Http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));

    [GeneratedRegex(@"name=""__RequestVerificationToken"" type=""hidden"" value=""([^""]+)""")]
    private static partial Regex Token();
}
