using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>The pages compliance keeps the complaint settings on: the classification (/Complaints/Taxonomy) and the letter templates (/Complaints/LetterTemplates).</summary>
public sealed class ComplaintSettingsPagesTests
{
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task TaxonomyPage_RefusesAnEmptyNameAtItsField_ThenPublishesTheRename(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchAsync();
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var pages = await PageClient.SignInAsync(app, compliance.Username, language: "en");

        var (status, html) = await pages.GetAsync("/Complaints/Taxonomy");
        Assert.Equal(HttpStatusCode.OK, status);
        var doc = HtmlForms.Parse(html);
        Assert.NotNull(doc.QuerySelector("[data-testid=taxonomy-form]"));
        Assert.Contains("Version 1", doc.QuerySelector("[data-testid=taxonomy-current]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(doc.QuerySelector("[data-testid=taxonomy-code-B99]"));

        var empty = await pages.PostFormAsync("/Complaints/Taxonomy", new()
        {
            ["Input.BasedOn"] = "1", ["Input.RenameCode"] = "JrtBusiness:B99", ["Input.RenameName"] = " ", ["Input.RenameNameEn"] = "Other business",
        });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var refused = HtmlForms.Parse(await empty.Content.ReadAsStringAsync());
        Assert.Equal("Enter the Chinese name.", refused.QuerySelector("#rename-name-error")!.TextContent.Trim());
        Assert.Contains("is-invalid", refused.QuerySelector("#rename-name")!.ClassName, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ComplaintTaxonomy>().CountAsync()));

        var saved = await pages.PostFormAsync("/Complaints/Taxonomy", new()
        {
            ["Input.BasedOn"] = "1", ["Input.RenameCode"] = "JrtBusiness:B99", ["Input.RenameName"] = "其他业务类别", ["Input.RenameNameEn"] = "Other business",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        (_, html) = await pages.GetAsync(saved.Headers.Location!.OriginalString);
        doc = HtmlForms.Parse(html);
        Assert.Contains("Version 2", doc.QuerySelector("[data-testid=taxonomy-current]")!.TextContent, StringComparison.Ordinal);
        var row = doc.QuerySelector("[data-testid=taxonomy-code-B99]")!.TextContent;
        Assert.Contains("其他业务类别", row, StringComparison.Ordinal);
        Assert.Contains("Other business", row, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Set<ComplaintTaxonomy>().AsNoTracking().Include(t => t.Codes).SingleAsync(t => t.Number == 2));
        Assert.Equal(("其他业务类别", "Other business"), stored.Codes.Where(c => c.Code == "B99").Select(c => (c.Name, c.NameEn)).Single());

        // An agent sees the codes but no form, and a post is forbidden.
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var agentPages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        (status, html) = await agentPages.GetAsync("/Complaints/Taxonomy");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(HtmlForms.Parse(html).QuerySelector("[data-testid=taxonomy-form]"));
        var forbidden = await agentPages.PostFormAsync("/Complaints/Taxonomy", new() { ["Input.BasedOn"] = "2", ["Input.RetireCode"] = "JrtCause:C05" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<ComplaintTaxonomy>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task LetterTemplatesPage_ShowsTheMissingStatementAtTheText_ThenPublishes_AndIsReadOnlyForAnAgent(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchAsync();
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var pages = await PageClient.SignInAsync(app, compliance.Username, language: "en");
        const string url = "/Complaints/LetterTemplates?kind=FinalResponse&language=en";

        var (status, html) = await pages.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        var body = HtmlForms.Parse(html).QuerySelector("#body")!.TextContent;
        Assert.Contains("Financial Ombudsman Service within six months", body, StringComparison.Ordinal);

        var without = body.Replace("Financial Ombudsman Service", "our complaints team", StringComparison.Ordinal);
        var refused = await pages.PostFormAsync(url, new() { ["BasedOn"] = "1", ["Body"] = without });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = HtmlForms.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector("#body-error")!.TextContent.Trim();
        Assert.Equal("Under FCA rules (DISP 1.6) the letter must state the right to refer the complaint to the Financial Ombudsman Service within six months.", error);

        var saved = await pages.PostFormAsync(url, new() { ["BasedOn"] = "1", ["Body"] = body.Replace("Our decision:", "Our final decision:", StringComparison.Ordinal), ["Note"] = "Wording" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        (_, html) = await pages.GetAsync(url);
        Assert.Contains("final-response.en.v2", HtmlForms.Parse(html).QuerySelector("[data-testid=letter-template-history]")!.TextContent, StringComparison.Ordinal);

        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var agentPages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        (status, html) = await agentPages.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        var doc = HtmlForms.Parse(html);
        Assert.Null(doc.QuerySelector("[data-testid=letter-template-form]"));
        Assert.Contains("Our final decision:", doc.QuerySelector("[data-testid=letter-template-body]")!.TextContent, StringComparison.Ordinal);
        var forbidden = await agentPages.PostFormAsync(url, new() { ["BasedOn"] = "2", ["Body"] = body });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(5, await app.WithDbAsync(db => db.Set<ComplaintLetterTemplate>().CountAsync()));
    }
}
