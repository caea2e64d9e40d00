using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Customers;

/// <summary>The customer file (issue 12): encrypted at rest, exact search by phone and identity number, branch scope, field errors, the recorded reveal.</summary>
public sealed class CustomerFileTests
{
    // GB 11643-1999 sample numbers, check characters worked out by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2):
    // 11010519491231002X: sum 167, 167 mod 11 = 2 → X. Born 1949-12-31: 76 on 2026-11-23.
    public const string Elder = "11010519491231002X";

    // 310115198507150016: sum 237, 237 mod 11 = 6 → 6. Born 1985-07-15.
    public const string Adult = "310115198507150016";

    // 440304199002280013: sum 240, 240 mod 11 = 9 → 3. Born 1990-02-28.
    public const string Younger = "440304199002280013";

    public static object Individual(string idNumber = Adult, string birthDate = "1985-07-15", string phone = "13912345678", string? idExpiresOn = "2036-07-01",
        long? managerId = null, string kycRiskRating = "Low", int? version = null, string name = "欧阳明月", string? preferredLanguage = null) => new
        {
            kind = "Individual", name, birthDate, idType = "PrcResidentId", idNumber, idIssuingCountry = "CN", idExpiresOn, phone,
            email = "ouyang.mingyue@mail.example", address = "上海市浦东新区世纪大道 88 号 2101 室", occupation = "教师", incomeBand = "From300KTo1M",
            declaredAssets = 850000m, sourceOfFunds = "工资收入", relationshipManagerId = managerId, disability = false, limitedCapacity = false,
            otherVulnerability = false, kycRiskRating, version, preferredLanguage,
        };

    [Theory, BothDatabases]
    public async Task RawDatabase_HoldsNoPlaintextPersonalData_AndExactPhoneOrIdFindsTheCustomer(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await (await agent.PostJsonAsync("/api/v1/customers", Individual())).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("139****5678", created.GetProperty("phone").GetString());
        Assert.Equal("3101**********0016", created.GetProperty("idNumber").GetString());
        Assert.Equal("Pending", created.GetProperty("kyc").GetProperty("status").GetString());

        // Every table, every column, as the database holds it: none of the four values in plain text.
        var text = await app.WithDbAsync(db => AllTextAsync(db));
        Assert.DoesNotContain(Adult, text, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ouyang.mingyue@mail.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("世纪大道", text, StringComparison.Ordinal);

        // Exact phone (as typed with the country code and dashes) and exact identity number (lower-case x or not) find it.
        foreach (var q in new[] { "+86 139-1234-5678", "13912345678", Adult })
        {
            var found = await (await agent.GetAsync("/api/v1/customers?q=" + Uri.EscapeDataString(q))).ShouldBeJsonAsync(HttpStatusCode.OK);
            Assert.Equal(id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        }

        // Part of a phone number finds nothing: the index is exact.
        var partial = await (await agent.GetAsync("/api/v1/customers?q=1391234")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, partial.GetProperty("total").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task OtherBranchCustomer_IsNotFound_NotListed_AndNotChangeable(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var mine = await app.CreateBranchAsync();
        var theirs = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(mine.Id, StaffRole.Agent);
        var (_, other) = await app.SignInAsync(theirs.Id, StaffRole.Agent);
        var created = await (await other.PostJsonAsync("/api/v1/customers", Individual())).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();

        await (await agent.GetAsync($"/api/v1/customers/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agent.GetAsync($"/api/v1/customers/{id + 1000}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agent.PutJsonAsync($"/api/v1/customers/{id}", Individual(version: created.GetProperty("version").GetInt32()))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var search = await (await agent.GetAsync("/api/v1/customers?q=13912345678")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, search.GetProperty("total").GetInt32());

        // The page answers the same way.
        var pages = await PageClient.SignInAsync(app, (await app.CreateStaffAsync(mine.Id, StaffRole.Agent)).Username);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync($"/Customers/Details?id={id}")).Status);
    }

    [Theory, BothDatabases]
    public async Task BadInput_IsRefusedFieldByField_AndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        agent.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        await (await agent.PostJsonAsync("/api/v1/customers", Individual())).ShouldBeJsonAsync(HttpStatusCode.Created);
        var before = await app.WithDbAsync(db => db.Set<Customer>().CountAsync());

        // 310115198507150017: the check character should be 6 (see Adult), so 7 fails.
        var checksum = await (await agent.PostJsonAsync("/api/v1/customers", Individual(idNumber: "310115198507150017", phone: "13700000001"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("check digit", Field(checksum, "idNumber"), StringComparison.Ordinal);

        // Born tomorrow (the clock is 2026-11-23 in Shanghai), and a birth date that contradicts the identity number.
        var future = await (await agent.PostJsonAsync("/api/v1/customers", Individual(idNumber: Younger, birthDate: "2026-11-24", phone: "13700000002"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("impossible", Field(future, "birthDate"), StringComparison.Ordinal);
        var differs = await (await agent.PostJsonAsync("/api/v1/customers", Individual(idNumber: Younger, birthDate: "1990-03-01", phone: "13700000003"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1990-02-28", Field(differs, "birthDate"), StringComparison.Ordinal);

        // A language Steward does not write in.
        var french = await (await agent.PostJsonAsync("/api/v1/customers", Individual(idNumber: Younger, birthDate: "1990-02-28", phone: "13700000005", preferredLanguage: "fr"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Chinese (zh-CN) or English (en)", Field(french, "preferredLanguage"), StringComparison.Ordinal);

        // The same identity number as the first file, typed with a space: a duplicate.
        var duplicate = await (await agent.PostJsonAsync("/api/v1/customers", Individual(idNumber: "310115 198507150016", phone: "13700000004"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Another customer file", Field(duplicate, "idNumber"), StringComparison.Ordinal);

        Assert.Equal(before, await app.WithDbAsync(db => db.Set<Customer>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Update_WithStaleVersion_Is409_AndCreate_WithTheSameIdempotencyKey_IsOneFile(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        async Task<HttpResponseMessage> CreateWithKeyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/customers") { Content = JsonContent.Create(Individual(), options: StewardApp.Json) };
            request.Headers.Add("Idempotency-Key", "customer-key-1");
            return await agent.SendAsync(request);
        }

        var first = await (await CreateWithKeyAsync()).ShouldBeJsonAsync(HttpStatusCode.Created);
        var again = await (await CreateWithKeyAsync()).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Customer>().CountAsync()));

        var id = first.GetProperty("id").GetInt64();
        var version = first.GetProperty("version").GetInt32();
        Assert.Equal(JsonValueKind.Null, first.GetProperty("preferredLanguage").ValueKind);
        // Personal data left out keeps what is stored; the language the customer reads is set ("EN" is read as en).
        var changed = await (await agent.PutJsonAsync($"/api/v1/customers/{id}", Individual(idNumber: null!, phone: null!, version: version, preferredLanguage: "EN") )).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("139****5678", changed.GetProperty("phone").GetString());
        Assert.Equal("en", changed.GetProperty("preferredLanguage").GetString());
        var stale = await (await agent.PutJsonAsync($"/api/v1/customers/{id}", Individual(version: version))).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("stale-version", stale.GetProperty("code").GetString());
    }

    [Theory, BothDatabases]
    public async Task Reveal_WithoutPermission_IsRefused_WithIt_IsRecordedWithThePurpose(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (compliance, officer) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var id = (await (await agent.PostJsonAsync("/api/v1/customers", Individual())).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        await (await agent.PostJsonAsync($"/api/v1/customers/{id}/reveal", new { purpose = "核对身份" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await officer.PostJsonAsync($"/api/v1/customers/{id}/reveal", new { purpose = "" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PersonalDataAccess>().CountAsync()));

        var revealed = await (await officer.PostJsonAsync($"/api/v1/customers/{id}/reveal", new { purpose = "投诉调查" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("13912345678", revealed.GetProperty("phone").GetString());
        Assert.Equal(Adult, revealed.GetProperty("idNumber").GetString());
        Assert.Equal("上海市浦东新区世纪大道 88 号 2101 室", revealed.GetProperty("address").GetString());

        var access = await app.WithDbAsync(db => db.Set<PersonalDataAccess>().AsNoTracking().SingleAsync());
        Assert.Equal(("Customer", id, compliance.Id, "投诉调查 (API)"), (access.SubjectType, access.SubjectId, access.StaffId, access.Purpose));
        Assert.Single(await app.AuditEntriesAsync("PersonalDataAccess", access.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    private static string Field(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    /// <summary>Every text value of every table in the database, as stored.</summary>
    private static async Task<string> AllTextAsync(StewardDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = db.IsPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var all = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using DbDataReader reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    all.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }
            }
        }

        return all.ToString();
    }
}
