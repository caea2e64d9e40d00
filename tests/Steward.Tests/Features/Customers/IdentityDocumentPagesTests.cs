using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers.Documents;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Customers;

/// <summary>The customer page's identity documents (issue 12): the forms on the page refuse at the field and keep what was typed, a scan uploaded there opens in the browser with a purpose.</summary>
public sealed class IdentityDocumentPagesTests
{
    private static readonly byte[] Pdf = "%PDF-1.4\n% scan of a passport, demo\n"u8.ToArray();

    [Theory, BothDatabases]
    public async Task TheDocumentForms_RefuseAtTheField_ThenSave_AndAScanOpensWithAPurposeNeverCached(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, StaffRole.TeamLead);
        var api = await app.ApiClientAsync(agent.Username);
        var id = (await (await api.PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual())).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var details = $"/Customers/Details?id={id}";
        var pages = await PageClient.SignInAsync(app, agent.Username, language: "en");

        // A passport with an expiry in the past: refused at the date, the number still in its box, nothing stored.
        var refused = await pages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "document-form",
            new() { ["Type"] = "Passport", ["Number"] = "E12345678", ["IssuingCountry"] = "CN", ["ExpiresOn"] = "2020-01-31" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"doc-expires-error\"", html, StringComparison.Ordinal);
        Assert.Contains("This document has expired", html, StringComparison.Ordinal);
        Assert.Contains("value=\"E12345678\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<CustomerIdentityDocument>().CountAsync()));

        var saved = await pages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "document-form",
            new() { ["Type"] = "Passport", ["Number"] = "E12345678", ["IssuingCountry"] = "CN", ["ExpiresOn"] = "2031-05-31" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, page) = await pages.GetAsync(details);
        Assert.Equal(2, HtmlForms.Parse(page).QuerySelectorAll("[data-testid=identity-document]").Length);
        Assert.Contains("Valid until 2031-05-31", page, StringComparison.Ordinal);

        // A scan without a file is refused at the file; with one it is listed under the passport.
        var passportId = (await app.WithDbAsync(db => db.Set<CustomerIdentityDocument>().SingleAsync())).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var noFile = await pages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "scan-form", new() { ["DocumentId"] = passportId, ["Side"] = "Front" });
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        var refusedScan = HtmlForms.Parse(await noFile.Content.ReadAsStringAsync());
        Assert.NotNull(refusedScan.QuerySelector("#scan-file-error"));
        // What was chosen is still chosen: the passport and its front side (the file a browser never keeps).
        Assert.Equal(passportId, refusedScan.QuerySelector("#scan-document option[selected]")?.GetAttribute("value"));
        Assert.Equal("Front", refusedScan.QuerySelector("#scan-side option[selected]")?.GetAttribute("value"));
        var uploaded = await pages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "scan-form", new() { ["DocumentId"] = passportId, ["Side"] = "Front" },
            new FormFile("File", "passport.pdf", "application/pdf", Pdf));
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var scan = await app.WithDbAsync(db => db.Set<CustomerDocumentScan>().SingleAsync());
        Assert.Equal(long.Parse(passportId, System.Globalization.CultureInfo.InvariantCulture), scan.DocumentId);

        // The agent sees the scan listed but no way to open it; the team lead (KYC verification) opens it with a purpose.
        (_, page) = await pages.GetAsync(details);
        Assert.Contains("passport.pdf", page, StringComparison.Ordinal);
        Assert.Empty(HtmlForms.Parse(page).QuerySelectorAll("[data-testid=scan-open-form]"));
        var leadPages = await PageClient.SignInAsync(app, lead.Username, language: "en");
        var empty = await leadPages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "scan-open-form", new() { ["Purpose"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains($"id=\"purpose-error-{scan.Id}\"", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var opened = await leadPages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "scan-open-form", new() { ["Purpose"] = "KYC review" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(Pdf, await opened.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", opened.Content.Headers.ContentType?.MediaType);
        Assert.True(opened.Headers.CacheControl?.NoStore);
        Assert.Equal("inline", opened.Content.Headers.ContentDisposition?.DispositionType);
        var access = await app.WithDbAsync(db => db.Set<PersonalDataAccess>().AsNoTracking().SingleAsync());
        Assert.Equal((lead.Id, $"KYC review (scan {scan.Id}, page)"), (access.StaffId, access.Purpose));
    }
}
