using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CasePagesTests;

namespace Steward.Tests.Features.Public;

public sealed class PublicPagesTests
{
    [Theory, BothDatabases]
    public async Task Request_PostedTwiceWithTheSameKey_CreatesOneCaseAndShowsTheSameReference(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var customer = AnonymousPage(app);
        var form = Form(branch.Id, "double-click-1");

        var first = await customer.PostFormAsync("/Public/Request", form);
        var second = await customer.PostFormAsync("/Public/Request", form);
        var reused = await customer.PostFormAsync("/Public/Request", new(form) { ["Input.Subject"] = "另一个问题" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(ReceiptReference(await first.Content.ReadAsStringAsync()), ReceiptReference(await second.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var cases = await app.WithDbAsync(db => db.Set<Case>().Select(c => new { c.Channel, c.Kind }).ToListAsync());
        var only = Assert.Single(cases);
        Assert.Equal(CaseChannel.WebForm, only.Channel);
        Assert.Equal(CaseKind.Suggestion, only.Kind);
    }

    [Theory, BothDatabases]
    public async Task Request_BusinessHandlingKind_IsRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();

        var response = await AnonymousPage(app).PostFormAsync("/Public/Request", new(Form(branch.Id, "k2")) { ["Input.Kind"] = "BusinessHandling" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Status_WrongContactAndUnknownReference_ShowTheSameNotFoundPage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var customer = AnonymousPage(app);
        var reference = ReceiptReference(await (await customer.PostFormAsync("/Public/Request", Form(branch.Id, "k3"))).Content.ReadAsStringAsync());

        var wrongContact = await customer.PostFormAsync("/Public/Status", new() { ["Reference"] = reference, ["Contact"] = "13000000000" });
        var unknown = await customer.PostFormAsync("/Public/Status", new() { ["Reference"] = "SV-20000101-000001", ["Contact"] = "zhou@example.com" });
        var right = await customer.PostFormAsync("/Public/Status", new() { ["Reference"] = reference.ToLowerInvariant(), ["Contact"] = "ZHOU@example.com" });

        Assert.Equal(HttpStatusCode.NotFound, wrongContact.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(NotFoundText(await wrongContact.Content.ReadAsStringAsync()), NotFoundText(await unknown.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("data-testid=\"public-status-value\">已提交<", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Request_WithoutThePrivacyNoticeTicked_IsRefusedAtTheCheckbox_AndNothingIsStored(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var form = Form(branch.Id, "no-consent-1");
        form.Remove("Input.PrivacyAccepted");

        var response = await AnonymousPage(app).PostFormAsync("/Public/Request", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"privacy-notice\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"privacy-error\" data-testid=\"field-error\">请勾选已阅读个人信息使用说明", html, StringComparison.Ordinal);
        Assert.Equal("周杰", InputValue(html, "Input_Name")); // what the customer typed is still there
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Request_MissingSubject_IsShownAtTheField_AndTheReceiptLinksToItsOwnStatus(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var customer = AnonymousPage(app);

        var missing = await customer.PostFormAsync("/Public/Request", new(Form(branch.Id, "no-subject-1")) { ["Input.Subject"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var html = await missing.Content.ReadAsStringAsync();
        Assert.Matches("<input class=\"form-control is-invalid\"[^>]*id=\"Input_Subject\"", html);
        Assert.Contains("id=\"subject-error\" data-testid=\"field-error\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"description-error\"", html, StringComparison.Ordinal);
        Assert.Matches("<label class=\"form-label required\" for=\"Input_Subject\">", html);

        var receipt = await (await customer.PostFormAsync("/Public/Request", Form(branch.Id, "with-subject-1"))).Content.ReadAsStringAsync();
        var reference = ReceiptReference(receipt);
        Assert.Contains($"href=\"/Public/Status?reference={reference}\"", receipt, StringComparison.Ordinal);
        var (status, statusPage) = await customer.GetAsync($"/Public/Status?reference={reference}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(reference, InputValue(statusPage, "Reference"));
    }

    [Theory, BothDatabases]
    public async Task Status_ShowsWhenWeWillGetBackToTheCustomer_InTheBranchesTime_AndTheInstitutionsNameInTheHeader(DatabaseProvider provider)
    {
        // Submitted Monday 2026-11-02 10:00 in Shanghai (02:00 UTC). Without a preset the institution standard's first
        // response to a suggestion is due first; the case's due instant is what the page promises, in Shanghai time.
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));
        var branch = await app.CreateBranchAsync();
        await app.WithDbAsync(async db =>
        {
            db.Add(new Steward.Features.Organisation.Institution { Name = "测试银行", NameEn = "Test Bank", Code = "SV" });
            await db.SaveChangesAsync();
        });
        var customer = AnonymousPage(app);
        var reference = ReceiptReference(await (await customer.PostFormAsync("/Public/Request", Form(branch.Id, "expected-1"))).Content.ReadAsStringAsync());
        var due = await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Reference == reference).Select(c => c.DueAt).SingleAsync());
        Assert.NotNull(due);

        var html = await (await customer.PostFormAsync("/Public/Status", new() { ["Reference"] = reference, ["Contact"] = "zhou@example.com" })).Content.ReadAsStringAsync();

        var local = TimeZoneInfo.ConvertTime(due!.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Contains($"data-testid=\"public-expected\">{local:yyyy-MM-dd HH:mm}", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"brand\">测试银行<", html, StringComparison.Ordinal);
        Assert.Contains("<title>查询处理进度 · 测试银行</title>", html.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string InputValue(string html, string id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<input[^>]*id=\"{id}\"[^>]*value=\"([^\"]*)\"");
        Assert.True(match.Success, $"no value on #{id}");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>A filled-in public request form (a suggestion) for <paramref name="branchId"/> with the idempotency key <paramref name="key"/>.</summary>
    internal static Dictionary<string, string> Form(long branchId, string key) => new()
    {
        ["Input.Kind"] = "Suggestion",
        ["Input.BranchId"] = branchId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.Name"] = "周杰",
        ["Input.Email"] = "zhou@example.com",
        ["Input.Subject"] = "希望延长营业时间",
        ["Input.Description"] = "周末希望营业到晚上六点。",
        ["Input.IdempotencyKey"] = key,
        ["Input.PrivacyAccepted"] = "true",
    };

    private static string NotFoundText(string html)
    {
        var start = html.IndexOf("data-testid=\"not-found\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no not-found message");
        return html[start..html.IndexOf('<', start)];
    }
}
