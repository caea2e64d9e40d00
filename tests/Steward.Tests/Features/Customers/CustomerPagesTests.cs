using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Customers;

/// <summary>The customer pages (issue 12): a refused form says why at the field and writes nothing; a saved one opens the 360 page masked; reveal is recorded.</summary>
public sealed class CustomerPagesTests
{
    private static Dictionary<string, string> Form(long branchId, string idNumber) => new()
    {
        ["Input.Kind"] = "Individual", ["Input.HomeBranchId"] = branchId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.Name"] = "欧阳明月",
        ["Input.BirthDate"] = "1985-07-15", ["Input.IdType"] = "PrcResidentId", ["Input.IdNumber"] = idNumber, ["Input.IdIssuingCountry"] = "CN",
        ["Input.Phone"] = "139 1234 5678", ["Input.Address"] = "上海市浦东新区世纪大道 88 号", ["Input.KycRiskRating"] = "Medium", ["Input.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
    };

    [Theory, BothDatabases]
    public async Task NewCustomerForm_RefusesABadChecksumAtTheField_ThenSaves_AndTheFileShowsMaskedUntilRevealed(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var pages = await PageClient.SignInAsync(app, agent.Username, language: "en");

        // 310115198507150017 fails its check character (it should be 6: see CustomerFileTests.Adult).
        var refused = await pages.PostFormAsync("/Customers/Edit", Form(branch.Id, "310115198507150017"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-field=\"idNumber\"", html, StringComparison.Ordinal);
        Assert.Contains("check digit", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Customer>().CountAsync()));

        var saved = await pages.PostFormAsync("/Customers/Edit", Form(branch.Id, CustomerFileTests.Adult));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (status, details) = await pages.GetAsync(saved.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("139****5678", details, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", details, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"reveal\"", details, StringComparison.Ordinal);

        // Compliance reveals with a purpose: the full number is shown and the showing recorded.
        var officer = await PageClient.SignInAsync(app, compliance.Username, language: "en");
        var url = saved.Headers.Location!.OriginalString;
        var empty = await officer.PostFormAsync(url + "&handler=Reveal", new() { ["purpose"] = "" }, url);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var shown = await officer.PostFormAsync(url + "&handler=Reveal", new() { ["purpose"] = "complaint check" }, url);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("13912345678", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var access = await app.WithDbAsync(db => db.Set<PersonalDataAccess>().AsNoTracking().SingleAsync());
        Assert.Equal(("Customer", compliance.Id, "complaint check (page)"), (access.SubjectType, access.StaffId, access.Purpose));
    }

    [Theory, BothDatabases]
    public async Task EveryFormOnTheCustomerPage_CarriesItsAntiforgeryToken_AndTheHouseholdFormLinks(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var lead = await app.CreateStaffAsync(branch.Id, StaffRole.TeamLead);
        var api = await app.ApiClientAsync(lead.Username);
        var id = (await (await api.PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual())).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var son = await app.CreateCustomerAsync(branch.Id, name: "欧阳小明");
        var pages = await PageClient.SignInAsync(app, lead.Username, language: "en");
        var details = $"/Customers/Details?id={id}";

        // Forms posted from the page's sections (documents, household, suitability, KYC) are refused without a token: each must carry one.
        var (_, html) = await pages.GetAsync(details);
        var forms = HtmlForms.Parse(html).Forms.Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(forms.Count >= 5, $"{forms.Count} forms");
        Assert.All(forms, f => Assert.NotNull(f.QuerySelector("input[name=__RequestVerificationToken]")));

        var linked = await pages.SubmitFormAsync(details, f => f.GetAttribute("data-testid") == "household-form", new() { ["RelatedReference"] = son.Reference, ["Relation"] = "Child" });
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        (_, html) = await pages.GetAsync(details);
        Assert.Contains(son.Reference, HtmlForms.Parse(html).QuerySelector("[data-testid=customer-household]")!.TextContent, StringComparison.Ordinal);

        // The online-link form answers with the link shown on the customer page.
        var made = await pages.SubmitFormAsync(details, f => f.QuerySelector("[data-testid=send-link]") is not null);
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var (shownStatus, shown) = await pages.GetAsync(made.Headers.Location!.OriginalString);
        Assert.True(shownStatus == HttpStatusCode.OK, shown.Length > 3000 ? shown[..3000] : shown);
        Assert.Contains("data-testid=\"assessment-link\"", shown, StringComparison.Ordinal);
    }
}
