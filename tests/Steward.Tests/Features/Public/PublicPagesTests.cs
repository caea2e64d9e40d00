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

    private static Dictionary<string, string> Form(long branchId, string key) => new()
    {
        ["Input.Kind"] = "Suggestion",
        ["Input.BranchId"] = branchId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.Name"] = "周杰",
        ["Input.Email"] = "zhou@example.com",
        ["Input.Subject"] = "希望延长营业时间",
        ["Input.Description"] = "周末希望营业到晚上六点。",
        ["Input.IdempotencyKey"] = key,
    };

    private static string NotFoundText(string html)
    {
        var start = html.IndexOf("data-testid=\"not-found\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no not-found message");
        return html[start..html.IndexOf('<', start)];
    }
}
