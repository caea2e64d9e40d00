using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Problems;

/// <summary>A form the server cannot read is a 400 (the error page for a page, a problem for the API), never a 500, and does nothing.</summary>
public sealed class UnreadableFormTests
{
    [Theory, BothDatabases]
    public async Task PublicRequest_BrokenMultipartOversizedFieldOrNul_Gets400Page(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var broken = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"Input.Subject\"\r\n\r\ncut short", Encoding.UTF8);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var responses = new[]
        {
            await browser.PostAsync("/Public/Request", broken),
            await browser.PostAsync("/Public/Request", Form("Input.Subject=" + new string('a', 20_000_000))),
            await browser.PostAsync("/Public/Request", Form("Input.Subject=%00")),
            await browser.PostAsync("/Errors?code=404", Form("code=%00")),
        };

        foreach (var response in responses)
        {
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {html[..Math.Min(html.Length, 300)]}");
            Assert.Contains("data-testid=\"error-title\">The request is not valid<", html, StringComparison.Ordinal);
        }

        Assert.Contains("form: The form could not be read (too large or malformed); reload the page and send it again.",
            WebUtility.HtmlDecode(await responses[0].Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Api_BrokenMultipartUpload_Is400Problem(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent, branchId: branch.Id);
        var broken = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF", Encoding.UTF8);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        var response = await agent.PostAsync($"/api/v1/cases/{created.GetProperty("id").GetInt64()}/attachments", broken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("unreadable-form", problem.GetProperty("code").GetString());
    }

    private static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");
}
