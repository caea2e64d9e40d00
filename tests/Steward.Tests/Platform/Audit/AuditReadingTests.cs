using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Audit;

/// <summary>Reading the audit log as a compliance officer: names, languages, zones, search, paging and export (issue 10).</summary>
public sealed partial class AuditReadingTests
{
    [Theory, BothDatabases]
    public async Task Search_ByAPersonsName_FindsTheEntriesTheyMade(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var zhang = await NamedStaffAsync(app, branch.Id, "张三丰", StaffRole.Agent);
        var li = await NamedStaffAsync(app, branch.Id, "李四", StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        await StewardApp.CreateCaseAsync(await app.ApiClientAsync(zhang.Username));
        await StewardApp.CreateCaseAsync(await app.ApiClientAsync(li.Username));

        var byName = await ItemsAsync(compliance, "/api/v1/audit?actor=三丰&limit=500");
        var byUsername = await ItemsAsync(compliance, $"/api/v1/audit?actor={zhang.Username.ToUpperInvariant()}&limit=500");

        Assert.NotEmpty(byName);
        Assert.All(byName, e => Assert.Equal(zhang.Id, e.GetProperty("actorId").GetInt64()));
        Assert.All(byName, e => Assert.Equal("张三丰", e.GetProperty("actorDisplayName").GetString()));
        Assert.Contains(byName, e => e.GetProperty("entityType").GetString() == "Case");
        Assert.Equal(byName.Select(Sequence), byUsername.Select(Sequence));
    }

    [Theory, BothDatabases]
    public async Task Search_ByCaseReference_FindsTheCaseAndItsRows(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var wanted = await StewardApp.CreateCaseAsync(agent, subject: "要找的案件");
        var other = await StewardApp.CreateCaseAsync(agent, subject: "另一个案件");
        var id = wanted.GetProperty("id").GetInt64();
        var reference = wanted.GetProperty("reference").GetString()!;
        (await agent.PostAsJsonAsync($"/api/v1/cases/{id}/notes", new { body = "备注" }, StewardApp.Json)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync($"/api/v1/cases/{other.GetProperty("id").GetInt64()}/notes", new { body = "另一条备注" }, StewardApp.Json)).EnsureSuccessStatusCode();
        (await compliance.GetAsync($"/api/v1/cases/{id}/contact")).EnsureSuccessStatusCode();

        // Typed as people type it: lower case, with spaces around.
        var found = await ItemsAsync(compliance, $"/api/v1/audit?case=%20{reference.ToLowerInvariant()}%20&limit=500");

        var types = found.Select(e => e.GetProperty("entityType").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Case", "CaseMessage", "PersonalDataAccess" }, types);
        Assert.All(found.Where(e => e.GetProperty("entityType").GetString() != "PersonalDataAccess"), e =>
        {
            Assert.Equal(id, e.GetProperty("caseId").GetInt64());
            Assert.Equal(reference, e.GetProperty("caseReference").GetString());
        });
        Assert.DoesNotContain(found.SelectMany(AuditVisibilityTests.Strings), text => text.Contains("另一", StringComparison.Ordinal));
        Assert.Empty(await ItemsAsync(compliance, "/api/v1/audit?case=SV-19990101-000001"));
    }

    [Theory, BothDatabases]
    public async Task Page_ShowsChangesInTheReadersLanguageAndZone_WithNamesInsteadOfIds(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var shanghai = await app.CreateBranchAsync();
        var newYork = await app.CreateBranchAsync(zone: "America/New_York");
        var team = await app.CreateTeamAsync(shanghai.Id, "对公一组");
        var agent = await NamedStaffAsync(app, shanghai.Id, "张三丰", StaffRole.Agent, team.Id);
        var officer = await app.CreateStaffAsync(newYork.Id, StaffRole.Compliance);
        var api = await app.ApiClientAsync(agent.Username);
        var created = await StewardApp.CreateCaseAsync(api, teamId: team.Id);
        (await api.PostAsync($"/api/v1/cases/{created.GetProperty("id").GetInt64()}/pick", null)).EnsureSuccessStatusCode();
        var reference = created.GetProperty("reference").GetString()!;

        var zh = await PageClient.SignInAsync(app, officer.Username, language: "zh-CN");
        var en = await PageClient.SignInAsync(app, officer.Username, language: "en");
        var (_, chinese) = await zh.GetAsync($"/Audit?case={reference}");
        var (_, english) = await en.GetAsync($"/Audit?case={reference}");

        // The fake clock reads 2026-11-23 01:00 UTC: 20:00 the day before in New York, the officer's home branch (EST, -05:00).
        Assert.Contains("2026-11-22 20:00:00 -05:00", chinese, StringComparison.Ordinal);
        Assert.Contains("America/New_York (-05:00)", english, StringComparison.Ordinal);
        foreach (var (html, expected) in new[]
        {
            (chinese, new[] { "案件", reference, "主题", "优先级", "普通", "柜面", "对公一组", "张三丰 (" + agent.Username + ")", "处理人", "修改前", "修改后" }),
            (english, new[] { "Case", reference, "Subject", "Priority", "Normal", "Counter", "对公一组", "张三丰 (" + agent.Username + ")", "Assignee", "Before", "After" }),
        })
        {
            Assert.All(expected, text => Assert.Contains(WebUtility.HtmlEncode(text), html, StringComparison.Ordinal));
            Assert.DoesNotContain("\\u", html, StringComparison.Ordinal);
            Assert.Contains($"<option value=\"Case\">{(html == chinese ? "案件" : "Case")}</option>", html, StringComparison.Ordinal);
        }
    }

    [Theory, BothDatabases]
    public async Task OlderEntries_KeepEveryFilter(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var officer = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        for (var i = 0; i < 103; i++)
        {
            await app.CreateTeamAsync(branch.Id);
        }

        var page = await PageClient.SignInAsync(app, officer.Username);
        // Today in the officer's zone (Asia/Shanghai) is 2026-11-23.
        var (_, first) = await page.GetAsync("/Audit?entityType=Team&actor=system&action=Created&from=2026-11-23&to=2026-11-23");
        var older = WebUtility.HtmlDecode(OlderLink().Match(first).Groups[1].Value);

        Assert.All(["entityType=Team", "actor=system", "action=Created", "from=2026-11-23", "to=2026-11-23", "before="], part => Assert.Contains(part, older, StringComparison.Ordinal));
        var (_, second) = await page.GetAsync("/Audit" + older);
        Assert.Equal(100, Rows().Matches(first).Count);
        Assert.Equal(3, Rows().Matches(second).Count);
        Assert.Contains("value=\"2026-11-23\"", second, StringComparison.Ordinal);
        Assert.False(OlderLink().IsMatch(second), "the last page has no older entries");

        // Through the API, with a day's start written with its offset as a client may send it.
        var api = await app.ApiClientAsync(officer.Username);
        Assert.Equal(103, (await ItemsAsync(api, "/api/v1/audit?entityType=Team&from=2026-11-23T00:00:00%2B08:00&limit=500")).Count);

        // A day later in Shanghai, the same filters list nothing: dates are the reader's days, not UTC's.
        var (_, tomorrow) = await page.GetAsync("/Audit?entityType=Team&from=2026-11-24&to=2026-11-24");
        Assert.Empty(Rows().Matches(tomorrow));
    }

    [Theory, BothDatabases]
    public async Task Export_CsvAndXlsx_HoldWhatTheReaderMaySee_AndAreAudited(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        await app.CreateCustomerAsync(branch.Id);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        await StewardApp.CreateCaseAsync(agent, subject: "=HYPERLINK(\"https://example.com\")");
        var (officer, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var csv = await admin.GetAsync("/api/v1/audit/export?format=Csv&entityType=Customer");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("序号,时间,操作人,操作,对象类型,对象编号,案件编号,字段,修改前,修改后", lines[0]);
        Assert.Contains(lines, l => l.EndsWith(",客户姓名,,已隐藏（超出您的权限）", StringComparison.Ordinal));
        Assert.DoesNotContain("王小明", text, StringComparison.Ordinal);
        Assert.DoesNotContain("王*明", text, StringComparison.Ordinal);

        var xlsx = await compliance.GetAsync("/api/v1/audit/export?format=Xlsx&entityType=Case");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        await using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => (string)r["字段"] == "联系人姓名" && (string)r["修改后"] == "李*");
        Assert.Contains(rows, r => (string)r["字段"] == "主题" && (string)r["修改后"] == "=HYPERLINK(\"https://example.com\")");
        Assert.All(rows, r => Assert.Equal("案件", r["对象类型"]));

        // The subject a spreadsheet would run as a formula is escaped in the CSV.
        var caseCsv = await (await compliance.GetAsync("/api/v1/audit/export?format=Csv&entityType=Case")).Content.ReadAsStringAsync();
        Assert.Contains(",\"'=HYPERLINK(\"\"https://example.com\"\")\"", caseCsv, StringComparison.Ordinal);

        var exports = await app.WithDbAsync(db => db.Set<AuditExport>().AsNoTracking().OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditExportFormat.Csv, AuditExportFormat.Xlsx, AuditExportFormat.Csv], exports.Select(e => e.Format));
        Assert.Equal(1, exports[0].Entries);
        Assert.Contains("\"EntityType\":\"Case\"", exports[1].Filter, StringComparison.Ordinal);
        var audited = await app.AuditEntriesAsync("AuditExport", exports[1].Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(officer.Id, Assert.Single(audited).ActorId);
    }

    [Theory, BothDatabases]
    public async Task Export_OverTheLimit_IsRefusedAndRecordsNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Audit:ExportMaxEntries"] = "3" });
        var branch = await app.CreateBranchAsync();
        var officer = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        for (var i = 0; i < 4; i++)
        {
            await app.CreateTeamAsync(branch.Id);
        }

        var api = await app.ApiClientAsync(officer.Username);
        var problem = await (await api.GetAsync("/api/v1/audit/export?entityType=Team")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("export-too-large", problem.GetProperty("code").GetString());

        var page = await PageClient.SignInAsync(app, officer.Username, language: "en");
        var refused = await page.PostFormAsync("/Audit?handler=Export&entityType=Team", new() { ["format"] = "Csv" }, "/Audit?entityType=Team");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("More than 3 entries match", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<AuditExport>().CountAsync()));

        var allowed = await page.PostFormAsync("/Audit?handler=Export&entityType=Team&action=Created&entityId=1", new() { ["format"] = "Csv" }, "/Audit");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("text/csv", allowed.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Every audited entity type, column and enum member has its words in both languages (no class or column names shown).</summary>
    [Fact]
    public void EveryAuditedTypeFieldAndValue_HasItsNameInBothLanguages()
    {
        using var db = new StewardDbContext(new DbContextOptionsBuilder<StewardDbContext>().UseSqlite("Data Source=:memory:").Options,
            TimeProvider.System, new SystemActor(), new Steward.Platform.Security.AuditKeyRing(
                Microsoft.Extensions.Options.Options.Create(new Steward.Platform.Security.AuditKeyOptions()),
                new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing", ContentRootPath = Directory.CreateTempSubdirectory("steward-keys-").FullName }));
        var missing = new List<string>();
        foreach (var culture in Steward.Platform.Localization.Cultures.Supported)
        {
            var table = Steward.Platform.Localization.JsonStringLocalizerFactory.Load(culture);
            foreach (var entity in db.Model.GetEntityTypes().Where(t => typeof(IAuditable).IsAssignableFrom(t.ClrType)))
            {
                var type = entity.ClrType.Name;
                missing.AddRange(new[] { "audit.entity." + type }.Where(k => !table.ContainsKey(k)).Select(k => $"{culture}: {k}"));
                foreach (var property in entity.GetProperties())
                {
                    var column = property.GetColumnName();
                    if (!table.ContainsKey($"audit.field.{type}.{column}") && !table.ContainsKey("audit.field." + column))
                    {
                        missing.Add($"{culture}: audit.field.{column} ({type})");
                    }

                    if ((Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) is { IsEnum: true } e)
                    {
                        missing.AddRange(Enum.GetNames(e).Where(n => n != "None" || e.Name != "IsoDayOfWeek")
                            .Select(n => AuditPresenter.EnumKey(e, n)).Where(k => !table.ContainsKey(k)).Select(k => $"{culture}: {k}"));
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing.Distinct()));
    }

    private sealed class SystemActor : IAuditActorAccessor
    {
        public AuditActor Current => AuditActor.System;
    }

    private static async Task<Staff> NamedStaffAsync(StewardApp app, long branchId, string name, StaffRole role, long? teamId = null)
    {
        var staff = await app.CreateStaffAsync(branchId, teamId, role);
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<Staff>().SingleAsync(s => s.Id == staff.Id);
            row.DisplayName = name;
            await db.SaveChangesAsync();
        });
        return staff;
    }

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string url) =>
        (await (await client.GetAsync(url)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

    private static long Sequence(JsonElement e) => e.GetProperty("sequence").GetInt64();

    [GeneratedRegex("data-testid=\"audit-entry\"")]
    private static partial Regex Rows();

    [GeneratedRegex("href=\"(\\?[^\"]*)\" data-testid=\"audit-older\"")]
    private static partial Regex OlderLink();
}
