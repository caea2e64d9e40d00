using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Routing;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Features.Public;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CasePagesTests;

namespace Steward.Tests.Platform.Api;

/// <summary>Enum values outside an enum's names are refused everywhere (JSON bodies and page forms), naming the field and what is allowed.</summary>
public sealed class StrictEnumTests
{
    private const string CaseKinds = "Consultation, BusinessHandling, Complaint, Suggestion, Praise";

    [Theory, BothDatabases]
    public async Task PublicCase_KindAsNumberOrUnknownName_Is400NamingKindAndItsValues_AndStoresNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var client = app.AnonymousClient();

        foreach (var kind in new[] { "99", "2", "\"99\"", "\"Foo\"", "\"Complaint,Praise\"" })
        {
            var response = await client.PostAsync("/api/v1/public/cases", Json($$"""{"kind":{{kind}},"branchId":{{branch.Id}},"subject":"s","description":"d","name":"n","phone":"13800138000"}"""));

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("invalid-value", problem.GetProperty("code").GetString());
            var message = Assert.Single(problem.GetProperty("errors").GetProperty("kind").EnumerateArray()).GetString()!;
            Assert.Contains(CaseKinds, message, StringComparison.Ordinal);
            Assert.Contains(kind.Trim('"'), message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task UndefinedEnumProblem_SpeaksTheRequestLanguage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var body = $$"""{"kind":99,"branchId":{{branch.Id}},"subject":"s","description":"d","name":"n","phone":"13800138000"}""";

        var english = await Send(app, body, "en");
        var chinese = await Send(app, body, "zh-CN");

        Assert.Equal("The request contains a value that cannot be accepted", english.GetProperty("title").GetString());
        Assert.Equal($"“99” is not an allowed value; allowed values: {CaseKinds}.", english.GetProperty("errors").GetProperty("kind")[0].GetString());
        Assert.Equal("请求中有无法接受的值", chinese.GetProperty("title").GetString());
        Assert.Equal($"“99”不是允许的值；可选值：{CaseKinds}。", chinese.GetProperty("errors").GetProperty("kind")[0].GetString());
    }

    [Theory, BothDatabases]
    public async Task PublicCase_BusinessHandling_IsRefusedAsOnThePublicForm(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();

        var response = await app.AnonymousClient().PostAsync("/api/v1/public/cases",
            Json($$"""{"kind":"BusinessHandling","branchId":{{branch.Id}},"subject":"开户","description":"想开户","name":"n","phone":"13800138000"}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        // No Accept-Language: the problem is in Chinese only, the kinds by their Chinese names.
        Assert.Equal("请选择所列类型之一：咨询、投诉、建议、表扬。", problem.GetProperty("errors").GetProperty("kind")[0].GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task StaffApi_UndefinedChannelPriorityAndRuleType_Are400_AndChangeNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var created = await StewardApp.CreateCaseAsync(agent, branchId: branch.Id);
        var id = created.GetProperty("id").GetInt64();
        var rulesBefore = await app.WithDbAsync(db => db.Set<PriorityRule>().CountAsync());

        var channel = await agent.PostAsync("/api/v1/cases", Json($$$"""{"kind":"Consultation","channel":42,"subject":"s","description":"d","branchId":{{{branch.Id}}},"contact":{"name":"n","phone":"13800138000"}}"""));
        var priority = await agent.PostAsync($"/api/v1/cases/{id}/priority", Json($$"""{"priority":77,"reason":"r","version":{{created.GetProperty("version").GetInt32()}}}"""));
        var rules = await admin.PutAsync("/api/v1/cases/priority-rules", Json("""[{"type":"KeywordMinimum","keyword":"投诉","priority":"High","steps":0},{"type":99,"steps":1}]"""));

        Assert.Equal("invalid-value", (await channel.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        Assert.True((await priority.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("priority", out _));
        Assert.True((await rules.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("[1].type", out _));
        var stored = await app.WithDbAsync(db => db.Set<Case>().Select(c => c.Priority).ToListAsync());
        Assert.Equal(CasePriority.Normal, Assert.Single(stored));
        Assert.Equal(rulesBefore, await app.WithDbAsync(db => db.Set<PriorityRule>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task NewCasePage_ChannelOutsideTheEnum_Is400PageNamingTheField_AndStoresNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var page = await PageClient.SignInAsync(app, agent.Username, language: "en");

        var response = await page.PostFormAsync("/Cases/New", new()
        {
            ["Input.Kind"] = "Consultation",
            ["Input.Channel"] = "42",
            ["Input.BranchId"] = branch.Id.ToString(CultureInfo.InvariantCulture),
            ["Input.Subject"] = "房贷提前还款",
            ["Input.Description"] = "客户来电询问提前还款违约金。",
            ["Input.ContactName"] = "赵六",
            ["Input.ContactPhone"] = "13700001234",
            ["Input.IdempotencyKey"] = "channel-42",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Input.Channel: “42” is not an allowed value; allowed values: Counter, Phone,", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task PublicRequestPage_KindOutsideTheEnum_Is400PageNamingTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();

        var response = await AnonymousPage(app).PostFormAsync("/Public/Request", new(PublicPagesTests.Form(branch.Id, "kind-99")) { ["Input.Kind"] = "99" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"Input.Kind：“99”不是允许的值；可选值：{CaseKinds}。", System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task OpenApiDocument_StillDescribesEnumsByTheirNames(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);

        var document = await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Equal(CaseKinds, string.Join(", ", schemas.GetProperty("CaseKind").GetProperty("enum").EnumerateArray().Select(e => e.GetString())));
        var items = schemas.GetProperty("CaseTeamSettingsRequest").GetProperty("properties").GetProperty("kinds").GetProperty("items");
        var listed = items.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : items;
        Assert.Equal(CaseKinds, string.Join(", ", listed.GetProperty("enum").EnumerateArray().Select(e => e.GetString())));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Send(StewardApp app, string body, string language)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return await (await client.PostAsync("/api/v1/public/cases", Json(body))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
