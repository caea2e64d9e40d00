using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Audit;

/// <summary>
/// Who sees what in the audit log (docs/decisions/0015-audit-visibility.md). <see cref="Matrix"/> is the decision's
/// role table cell by cell, asserted over the API and the page for every role.
/// </summary>
public sealed class AuditVisibilityTests
{
    public enum Seen
    {
        /// <summary>The value as stored.</summary>
        Visible,

        /// <summary>The masked value (张*丰); the stored value appears nowhere.</summary>
        Masked,

        /// <summary>No value; the stored value appears nowhere.</summary>
        Hidden,
    }

    private const string CustomerName = "王小明";           // StewardApp.CreateCustomerAsync
    private const string ContactName = "李雷";              // StewardApp.CreateCaseAsync
    private const string Subject = "理财赎回延迟投诉";
    private const string Description = "赎回款项迟到三天，客户要求书面解释。";
    private const string Note = "内部备注：客户曾三次来电催办。";

    /// <summary>The readers of the audit log: the two roles with AuditRead, and one person holding two roles.</summary>
    private static readonly Dictionary<string, StaffRole[]> Readers = new()
    {
        ["Compliance"] = [StaffRole.Compliance],
        ["Administrator"] = [StaffRole.Administrator],
        ["Administrator+TeamLead"] = [StaffRole.Administrator, StaffRole.TeamLead],
    };

    /// <summary>Roles without AuditRead: the API answers 403 and the page 403, whatever is asked.</summary>
    private static readonly StaffRole[] Refused = [StaffRole.Agent, StaffRole.BackOffice, StaffRole.TeamLead, StaffRole.BranchManager, StaffRole.QaInspector];

    /// <summary>
    /// Entity type, field, the stored value (placeholders in braces are filled from the scenario), whether the page shows
    /// it verbatim (enums and flags are translated there), and what each reader sees.
    /// </summary>
    private static readonly (string Type, string Field, string Value, bool OnPage, Seen Compliance, Seen Administrator, Seen AdminTeamLead)[] Matrix =
    [
        ("Customer", "reference", "{customer}", true, Seen.Visible, Seen.Visible, Seen.Visible),
        ("Customer", "name", CustomerName, true, Seen.Masked, Seen.Hidden, Seen.Masked),
        ("Customer", "tier", "Gold", false, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Customer", "risk_tolerance", "C3", false, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Customer", "is_vulnerable", "true", false, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Customer", "phone_cipher", "***", false, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Customer", "phone_index", "{phoneIndex}", false, Seen.Hidden, Seen.Hidden, Seen.Hidden),
        ("Case", "reference", "{case}", true, Seen.Visible, Seen.Visible, Seen.Visible),
        ("Case", "subject", Subject, true, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Case", "description", Description, true, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Case", "contact_name", ContactName, true, Seen.Masked, Seen.Hidden, Seen.Masked),
        ("Case", "contact_phone_index", "{contactIndex}", false, Seen.Hidden, Seen.Hidden, Seen.Hidden),
        ("CaseMessage", "body", Note, true, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("CaseMessage", "visibility", "Internal", false, Seen.Visible, Seen.Hidden, Seen.Visible),
        ("Branch", "name", "{branch}", true, Seen.Visible, Seen.Visible, Seen.Visible),
        ("Staff", "display_name", "测试员工", false, Seen.Visible, Seen.Visible, Seen.Visible),
    ];

    /// <summary>张*丰 rules (Mask.Name), worked out by hand for the two names of the scenario.</summary>
    private static readonly Dictionary<string, string> Masked = new() { [CustomerName] = "王*明", [ContactName] = "李*" };

    [Theory, BothDatabases]
    public async Task Browse_ForEveryRole_ShowsEachFieldAsTheRoleTableSays(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var scenario = await ScenarioAsync(app);

        foreach (var role in Refused)
        {
            var staff = await app.CreateStaffAsync(scenario.BranchId, role);
            var api = await app.ApiClientAsync(staff.Username);
            await (await api.GetAsync("/api/v1/audit?entityType=Customer")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            var page = await PageClient.SignInAsync(app, staff.Username);
            var (status, html) = await page.GetAsync("/Audit?entityType=Customer");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.DoesNotContain(CustomerName, html, StringComparison.Ordinal);
        }

        foreach (var (reader, roles) in Readers)
        {
            var staff = await app.CreateStaffAsync(scenario.BranchId, roles);
            var api = await app.ApiClientAsync(staff.Username);
            var page = await PageClient.SignInAsync(app, staff.Username);
            foreach (var type in Matrix.Select(m => m.Type).Distinct())
            {
                var body = await (await api.GetAsync($"/api/v1/audit?entityType={type}&limit=500")).ShouldBeJsonAsync(HttpStatusCode.OK);
                var (status, html) = await page.GetAsync($"/Audit?entityType={type}");
                Assert.Equal(HttpStatusCode.OK, status);
                foreach (var cell in Matrix.Where(m => m.Type == type))
                {
                    var expected = reader switch
                    {
                        "Compliance" => cell.Compliance,
                        "Administrator" => cell.Administrator,
                        _ => cell.AdminTeamLead,
                    };
                    var stored = scenario.Fill(cell.Value);
                    var where = $"{reader} · {type}.{cell.Field}";
                    var change = NewestChange(body, cell.Field, where);
                    Assert.True(expected.ToString() == change.GetProperty("access").GetString(), $"{where}: expected {expected}, got {change}");
                    var shown = Text(change.GetProperty("after"));
                    switch (expected)
                    {
                        case Seen.Visible:
                            Assert.True(stored == shown, $"{where}: expected {stored}, got {shown}");
                            break;
                        case Seen.Masked:
                            Assert.True(Masked[stored] == shown, $"{where}: expected {Masked[stored]}, got {shown}");
                            break;
                        case Seen.Hidden:
                            Assert.True(shown is null, $"{where}: expected no value, got {shown}");
                            break;
                    }

                    var distinctive = cell.OnPage || stored.Length >= 16;
                    Assert.True(expected == Seen.Visible || !distinctive || !Strings(body).Any(s => s.Contains(stored, StringComparison.Ordinal)), $"{where}: the API leaks {stored}");
                    if (cell.OnPage)
                    {
                        Assert.True(expected == Seen.Visible == html.Contains(stored, StringComparison.Ordinal), $"{where}: page shows {stored}: {expected != Seen.Visible}");
                        Assert.True(expected != Seen.Masked || html.Contains(Masked[stored], StringComparison.Ordinal), $"{where}: page lacks the masked {Masked.GetValueOrDefault(stored)}");
                    }
                }
            }
        }
    }

    [Theory, BothDatabases]
    public async Task Hash_IsGivenOnlyForEntriesShownInFull(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var scenario = await ScenarioAsync(app);
        var (_, admin) = await app.SignInAsync(scenario.BranchId, StaffRole.Administrator);

        var customers = await (await admin.GetAsync("/api/v1/audit?entityType=Customer")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var branches = await (await admin.GetAsync("/api/v1/audit?entityType=Branch")).ShouldBeJsonAsync(HttpStatusCode.OK);

        // A masked or hidden value could be guessed back from the hash (a name of two or three characters, a tier of five).
        Assert.All(customers.GetProperty("items").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("hash").ValueKind));
        Assert.All(branches.GetProperty("items").EnumerateArray(), e => Assert.Equal(64, e.GetProperty("hash").GetString()!.Length));
    }

    [Theory, BothDatabases]
    public async Task Reveal_AsCompliance_ShowsTheNameAndIsRecordedAndAudited(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var scenario = await ScenarioAsync(app);
        var (officer, api) = await app.SignInAsync(scenario.BranchId, StaffRole.Compliance);
        var created = await CreatedEntryAsync(api, "Customer");
        Assert.True(created.GetProperty("revealable").GetBoolean());

        var revealed = await (await api.PostAsync($"/api/v1/audit/{created.GetProperty("sequence").GetInt64()}/reveal", null)).ShouldBeJsonAsync(HttpStatusCode.OK);

        var name = NewestChange(new[] { revealed }, "name", "revealed");
        Assert.Equal("Visible", name.GetProperty("access").GetString());
        Assert.Equal(CustomerName, name.GetProperty("after").GetString());
        var access = Assert.Single(await app.WithDbAsync(db => db.Set<PersonalDataAccess>().AsNoTracking().ToListAsync()));
        Assert.Equal((officer.Id, "Customer", scenario.CustomerId, scenario.BranchId), (access.StaffId, access.SubjectType, access.SubjectId, access.BranchId));
        Assert.Equal($"audit-entry {created.GetProperty("sequence").GetInt64()} (API)", access.Purpose);
        var audited = await app.AuditEntriesAsync("PersonalDataAccess", access.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(officer.Id, Assert.Single(audited).ActorId);

        // The page: the reveal button shows the full name once, and records it the same way.
        var page = await PageClient.SignInAsync(app, officer.Username);
        var (_, before) = await page.GetAsync("/Audit?entityType=Customer");
        Assert.DoesNotContain(CustomerName, before, StringComparison.Ordinal);
        var response = await page.PostFormAsync("/Audit?handler=Reveal&entityType=Customer",
            new() { ["sequence"] = created.GetProperty("sequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/Audit?entityType=Customer");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(CustomerName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var purposes = await app.WithDbAsync(db => db.Set<PersonalDataAccess>().OrderBy(a => a.Id).Select(a => a.Purpose).ToListAsync());
        Assert.Equal($"audit-entry {created.GetProperty("sequence").GetInt64()} (page)", purposes[^1]);
    }

    [Theory, BothDatabases]
    public async Task Reveal_WithoutThePermission_Is403AndRecordsNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var scenario = await ScenarioAsync(app);
        var (_, admin) = await app.SignInAsync(scenario.BranchId, StaffRole.Administrator, StaffRole.TeamLead);
        var created = await CreatedEntryAsync(admin, "Customer");
        Assert.False(created.GetProperty("revealable").GetBoolean());

        var problem = await (await admin.PostAsync($"/api/v1/audit/{created.GetProperty("sequence").GetInt64()}/reveal", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PersonalDataAccess>().CountAsync()));
        await (await admin.PostAsync("/api/v1/audit/999999/reveal", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>An entity type without a rule would show nobody its content: every audited type must be decided.</summary>
    [Fact]
    public void EveryAuditedEntityType_HasAVisibilityRule()
    {
        using var db = new StewardDbContext(new DbContextOptionsBuilder<StewardDbContext>().UseSqlite("Data Source=:memory:").Options,
            TimeProvider.System, new SystemActor(), new Steward.Platform.Security.AuditKeyRing(
                Microsoft.Extensions.Options.Options.Create(new Steward.Platform.Security.AuditKeyOptions()),
                new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing", ContentRootPath = Directory.CreateTempSubdirectory("steward-keys-").FullName }));

        var undecided = db.Model.GetEntityTypes().Where(t => typeof(IAuditable).IsAssignableFrom(t.ClrType)).Select(t => t.ClrType.Name)
            .Where(t => AuditVisibility.SubjectOf(t) == AuditSubject.Unknown);

        Assert.Empty(undecided);
    }

    private sealed class SystemActor : IAuditActorAccessor
    {
        public AuditActor Current => AuditActor.System;
    }

    private sealed record Scenario(long BranchId, string BranchName, long CustomerId, Dictionary<string, string> Values)
    {
        public string Fill(string value) => value.StartsWith('{') ? Values[value.Trim('{', '}')] : value;
    }

    /// <summary>
    /// A branch; the customer 王小明 (Gold, phone 13700137000) whose risk is then assessed C3 and who is marked vulnerable;
    /// a case for the contact 李雷 with <see cref="Subject"/> and <see cref="Description"/>; an internal note <see cref="Note"/>.
    /// </summary>
    private static async Task<Scenario> ScenarioAsync(StewardApp app)
    {
        var branch = await app.CreateBranchAsync();
        var customer = await app.CreateCustomerAsync(branch.Id, CustomerTier.Gold, phone: "13700137000");
        await app.WithDbAsync(async db =>
        {
            var file = await db.Set<Customer>().SingleAsync(c => c.Id == customer.Id);
            file.RiskTolerance = RiskTolerance.C3;
            file.IsVulnerable = true;
            await db.SaveChangesAsync();
        });
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent, subject: Subject, description: Description);
        var caseId = created.GetProperty("id").GetInt64();
        (await agent.PostAsJsonAsync($"/api/v1/cases/{caseId}/notes", new { body = Note }, StewardApp.Json)).EnsureSuccessStatusCode();
        var contactIndex = await app.WithDbAsync(db => db.Set<Steward.Features.Cases.Case>().Where(c => c.Id == caseId).Select(c => c.ContactPhoneIndex).SingleAsync());
        return new Scenario(branch.Id, branch.Name, customer.Id, new()
        {
            ["customer"] = customer.Reference,
            ["phoneIndex"] = customer.PhoneIndex!,
            ["case"] = created.GetProperty("reference").GetString()!,
            ["contactIndex"] = contactIndex!,
            ["branch"] = branch.Name,
        });
    }

    private static async Task<JsonElement> CreatedEntryAsync(HttpClient api, string type)
    {
        var body = await (await api.GetAsync($"/api/v1/audit?entityType={type}&action=Created")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return body.GetProperty("items").EnumerateArray().First();
    }

    /// <summary>The field's change in the newest entry that changed it.</summary>
    private static JsonElement NewestChange(JsonElement page, string field, string where) =>
        NewestChange(page.GetProperty("items").EnumerateArray(), field, where);

    private static JsonElement NewestChange(IEnumerable<JsonElement> entries, string field, string where)
    {
        foreach (var entry in entries)
        {
            foreach (var change in entry.GetProperty("changes").EnumerateArray())
            {
                if (change.GetProperty("field").GetString() == field)
                {
                    return change;
                }
            }
        }

        throw new Xunit.Sdk.XunitException($"{where}: no entry changes {field}");
    }

    /// <summary>Every string in a JSON document, decoded (the API escapes Chinese as \uXXXX), and every other value as written.</summary>
    internal static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        JsonValueKind.String => [e.GetString()!],
        _ => [e.GetRawText()],
    };

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
