using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Cases;

/// <summary>
/// The new-case page (<c>/Cases/New</c>) without a browser: the customer look-up (number, name, phone, identity number,
/// only one's own branches), the create that follows it, field errors that keep what was chosen.
/// </summary>
public sealed partial class NewCasePageTests
{
    private const string Phone = "13800138000";
    private const string IdNumber = "31011519900101123X";

    private sealed record World(StewardApp App, Branch Branch, Customer Mine, Customer Theirs, PageClient Page);

    /// <summary>An agent of branch A; 许弘文 (A, phone and identity number above) and 许弘武 (B, another phone).</summary>
    private static async Task<World> StartAsync(DatabaseProvider provider, string? language = null)
    {
        var app = await StewardApp.StartAsync(provider);
        var a = await app.CreateBranchAsync("A");
        var b = await app.CreateBranchAsync("B");
        var mine = await app.CreateCustomerAsync(a.Id, CustomerTier.Gold, phone: Phone, name: "许弘文", idNumber: IdNumber);
        var theirs = await app.CreateCustomerAsync(b.Id, CustomerTier.Private, phone: "13900139000", name: "许弘武", idNumber: "110102198001011234");
        var agent = await app.CreateStaffAsync(a.Id, StaffRole.Agent);
        return new World(app, a, mine, theirs, await PageClient.SignInAsync(app, agent.Username, language: language));
    }

    private static Task<HttpResponseMessage> FindAsync(World w, string query, Dictionary<string, string>? fields = null) =>
        w.Page.PostFormAsync("/Cases/New?handler=FindCustomer", new(fields ?? []) { ["CustomerQuery"] = query }, "/Cases/New");

    private static Dictionary<string, string> CaseFields(World w, string subject = "理财产品赎回咨询") => new()
    {
        ["Input.Kind"] = "Consultation",
        ["Input.Channel"] = "Counter",
        ["Input.BranchId"] = w.Branch.Id.ToString(CultureInfo.InvariantCulture),
        ["Input.Subject"] = subject,
        ["Input.Description"] = "客户询问理财产品赎回到账时间。",
        ["Input.IdempotencyKey"] = w.App.Unique("key-"),
    };

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Theory, BothDatabases]
    public async Task LookUpThenCreate_TheFormPostsToCreateFromTheLookUpsPage_AndEnterCreates(DatabaseProvider provider)
    {
        var w = await StartAsync(provider);
        await using var app = w.App;

        var found = await FindAsync(w, "许弘文", CaseFields(w));
        var html = await found.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal([w.Mine.Reference], Hits(html));
        // The page shown by the look-up still posts to the create handler (it used to post to ?handler=FindCustomer again),
        // and the form's first submit button, the one Enter presses, creates: it has no formaction of its own.
        var form = Form().Match(html);
        Assert.True(form.Success, html);
        Assert.Equal("/Cases/New", form.Groups["action"].Value);
        Assert.DoesNotContain("formaction", SubmitButtons().Match(form.Value).Value, StringComparison.Ordinal);
        Assert.Contains("formaction=\"/Cases/New?handler=FindCustomer\"", form.Value, StringComparison.Ordinal);
        // What was typed before the look-up is still there.
        Assert.Contains("value=\"理财产品赎回咨询\"", html, StringComparison.Ordinal);

        var created = await w.Page.PostFormAsync(form.Groups["action"].Value, new(CaseFields(w)) { ["Input.CustomerId"] = Id(w.Mine.Id) }, "/Cases/New");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var stored = await app.WithDbAsync(db => db.Set<Case>().SingleAsync());
        Assert.Equal($"/Cases/{stored.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal(w.Mine.Id, stored.CustomerId);
        var (_, casePage) = await w.Page.GetAsync(created.Headers.Location.OriginalString);
        Assert.Contains("许*文", casePage, StringComparison.Ordinal); // an agent sees the customer's name masked
    }

    [Theory, BothDatabases]
    public async Task LookUp_ByPhoneOrIdentityNumber_FindsExactlyThatCustomerOfOnesOwnBranches(DatabaseProvider provider)
    {
        var w = await StartAsync(provider);
        await using var app = w.App;

        // Typed the ways people write them: with spaces, dashes, brackets, China's country code; a lower-case x.
        foreach (var query in new[] { "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "(+86) 13800138000", "008613800138000", "31011519900101123x", "310115 19900101 123X" })
        {
            Assert.Equal([w.Mine.Reference], Hits(await (await FindAsync(w, query)).Content.ReadAsStringAsync()));
        }

        // By number (any case) and by part of the name: only the customer of the agent's branch, not 许弘武 of branch B.
        Assert.Equal([w.Mine.Reference], Hits(await (await FindAsync(w, w.Mine.Reference.ToLowerInvariant())).Content.ReadAsStringAsync()));
        Assert.Equal([w.Mine.Reference], Hits(await (await FindAsync(w, "许弘")).Content.ReadAsStringAsync()));

        // Exact numbers only (a part of a phone number finds nothing), and another branch's customer is never found.
        foreach (var query in new[] { "1380013", "13900139000", "110102198001011234", w.Theirs.Reference, "许弘武" })
        {
            var html = await (await FindAsync(w, query)).Content.ReadAsStringAsync();
            Assert.Empty(Hits(html));
            Assert.Contains("data-testid=\"no-customers\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("许*武", html, StringComparison.Ordinal); // only the query itself is shown again
        }
    }

    [Theory, BothDatabases]
    public async Task Create_ForAnotherBranchsCustomer_IsRefusedAtTheCustomerField_ShowsNothingOfItAndStoresNothing(DatabaseProvider provider)
    {
        var w = await StartAsync(provider);
        await using var app = w.App;

        var refused = await w.Page.PostFormAsync("/Cases/New", new(CaseFields(w)) { ["Input.CustomerId"] = Id(w.Theirs.Id) }, "/Cases/New");
        var html = await refused.Content.ReadAsStringAsync();
        var unknown = await w.Page.PostFormAsync("/Cases/New", new(CaseFields(w)) { ["Input.CustomerId"] = Id(w.Theirs.Id + 1000) }, "/Cases/New");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["customerId: 客户不存在。"], FieldErrors(html)); // the page speaks Chinese only
        Assert.Equal(FieldErrors(html), FieldErrors(await unknown.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(w.Theirs.Reference, html, StringComparison.Ordinal);
        Assert.DoesNotContain("许*武", html, StringComparison.Ordinal);
        Assert.Empty(Hits(html));
        Assert.Contains("id=\"customer-none\" value=\"\" checked", html, StringComparison.Ordinal); // the choice falls back to 'no customer'
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Create_WithMissingFields_ShowsEachErrorAtItsField_AndKeepsTheChosenCustomerAndTheLookUp(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, language: "en");
        await using var app = w.App;
        var other = await app.CreateCustomerAsync(w.Branch.Id, name: "王小明", phone: "13700137000");

        // Chosen 许弘文, then looked up 王小明: both are offered, 许弘文 still chosen.
        var fields = new Dictionary<string, string>(CaseFields(w)) { ["Input.CustomerId"] = Id(w.Mine.Id) };
        var lookedUp = await (await FindAsync(w, "13700137000", fields)).Content.ReadAsStringAsync();
        Assert.Equal([w.Mine.Reference, other.Reference], Hits(lookedUp));
        Assert.Contains($"id=\"customer-{w.Mine.Id}\" value=\"{w.Mine.Id}\" checked", lookedUp, StringComparison.Ordinal);

        fields["Input.Subject"] = "";
        fields.Remove("Input.Kind");
        fields["CustomerQuery"] = "13700137000";
        var refused = await w.Page.PostFormAsync("/Cases/New", fields, "/Cases/New");
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["kind: Choose the kind of case.", "subject: Subject: required."], FieldErrors(html));
        Assert.Matches("<input class=\"form-control is-invalid\"[^>]*aria-describedby=\"subject-error\"", html);
        Assert.Equal([w.Mine.Reference, other.Reference], Hits(html));
        Assert.Contains($"id=\"customer-{w.Mine.Id}\" value=\"{w.Mine.Id}\" checked", html, StringComparison.Ordinal);
        Assert.Contains("Find a customer", html, StringComparison.Ordinal);
        Assert.Contains(">Gold<", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));

        fields["Input.Kind"] = "Consultation";
        fields["Input.Subject"] = "赎回到账时间";
        var created = await w.Page.PostFormAsync("/Cases/New", fields, "/Cases/New");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(w.Mine.Id, await app.WithDbAsync(db => db.Set<Case>().Select(c => c.CustomerId).SingleAsync()));
    }

    private static string[] Hits(string html) => [.. Hit().Matches(html).Select(m => m.Groups[1].Value)];

    private static string[] FieldErrors(string html) =>
        [.. FieldError().Matches(html).Select(m => m.Groups["field"].Value + ": " + WebUtility.HtmlDecode(m.Groups["text"].Value))];

    [GeneratedRegex("data-testid=\"customer-hit\" data-reference=\"([^\"]+)\"")]
    private static partial Regex Hit();

    [GeneratedRegex("data-testid=\"field-error\" data-field=\"(?<field>[^\"]+)\">(?<text>[^<]*)<")]
    private static partial Regex FieldError();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]*)\"[^>]*data-testid=\"new-case-form\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<button[^>]*type=\"submit\"[^>]*>")]
    private static partial Regex SubmitButtons();
}
