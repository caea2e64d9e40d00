using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Audit;

public sealed class AuditLogTests
{
    [Theory, BothDatabases]
    public async Task Update_RecordsWhoWhenAndTheValuesBeforeAndAfter(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync("AUD1");
        var (admin, client) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var response = await client.PutJsonAsync($"/api/v1/branches/{branch.Id}", new
        {
            code = "AUD1", name = "审计支行", nameEn = "Audit Branch", timeZone = "Europe/London", isActive = true, version = 1,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var entries = await app.AuditEntriesAsync("Branch", branch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([AuditAction.Created, AuditAction.Updated], entries.Select(e => e.Action));
        var update = entries[1];
        Assert.Equal(admin.Id, update.ActorId);
        Assert.Equal(admin.Username, update.ActorName);
        Assert.Equal(app.Clock.GetUtcNow(), update.OccurredAt);
        var changes = JsonDocument.Parse(update.Changes).RootElement;
        Assert.Equal("Asia/Shanghai", changes.GetProperty("before").GetProperty("time_zone").GetString());
        Assert.Equal("Europe/London", changes.GetProperty("after").GetProperty("time_zone").GetString());
        Assert.Equal("审计支行", changes.GetProperty("after").GetProperty("name").GetString());
        Assert.False(changes.GetProperty("after").TryGetProperty("code", out _), "unchanged fields are not repeated");
    }

    [Theory, BothDatabases]
    public async Task Audit_NeverContainsPasswordHashes(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        var entries = await app.AuditEntriesAsync("Staff", staff.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var after = JsonDocument.Parse(entries.Single().Changes).RootElement.GetProperty("after");
        Assert.Equal("***", after.GetProperty("password_hash").GetString());
        Assert.DoesNotContain("AQAAAA", entries.Single().Changes, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Create_RecordsTheIdsTheDatabaseGenerated(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();

        // The staff member and the role assignment that points at it are created in one save.
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        var created = JsonDocument.Parse((await app.AuditEntriesAsync("Staff", staff.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Single().Changes).RootElement.GetProperty("after");
        Assert.Equal(staff.Id, created.GetProperty("id").GetInt64());
        var role = staff.Roles.Single();
        var assigned = JsonDocument.Parse((await app.AuditEntriesAsync("StaffRoleAssignment", role.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Single().Changes).RootElement.GetProperty("after");
        Assert.Equal(role.Id, assigned.GetProperty("id").GetInt64());
        Assert.Equal(staff.Id, assigned.GetProperty("staff_id").GetInt64());
    }

    [Theory, BothDatabases]
    public async Task Verify_OnUntouchedLog_IsIntact(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var installed = await InstalledEntriesAsync(app);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        await app.CreateTeamAsync(branch.Id);

        var result = await (await client.PostAsync("/api/v1/audit/verify", null)).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("intact").GetBoolean());
        // branch, staff, staff role, the session the sign-in started (decision 0045), team: five entries. The sign-in's
        // own bookkeeping (failed-attempt counts, last seen) is not audited (decision 0015).
        Assert.Equal(installed + 5, result.GetProperty("entriesChecked").GetInt64());
    }

    [Theory, BothDatabases]
    public async Task Verify_AfterAnEntryIsEditedInTheDatabase_ReportsWhereTheChainBreaks(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        await app.CreateTeamAsync(branch.Id);

        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET actor_name = 'someone-else' WHERE sequence = 2"));

        var result = await (await client.PostAsync("/api/v1/audit/verify", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(result.GetProperty("intact").GetBoolean());
        var only = Assert.Single(result.GetProperty("breaks").EnumerateArray());
        Assert.Equal("ContentChanged", only.GetProperty("kind").GetString());
        Assert.Equal(2, only.GetProperty("sequence").GetInt64());
        // The walk goes on past the break: every entry is checked.
        Assert.Equal(await app.WithDbAsync(db => db.AuditEntries.LongCountAsync()), result.GetProperty("entriesChecked").GetInt64());
    }

    [Theory, BothDatabases]
    public async Task Verify_AfterAnEntryIsDeleted_ReportsTheMissingSequence(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        await app.CreateTeamAsync(branch.Id);

        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries WHERE sequence = 3"));

        var result = await (await client.PostAsync("/api/v1/audit/verify", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("EntriesMissing", result.GetProperty("break").GetProperty("kind").GetString());
        Assert.Equal(3, result.GetProperty("break").GetProperty("sequence").GetInt64());
    }

    [Theory, BothDatabases]
    public async Task Verify_AfterTheLastEntryIsDeleted_ReportsTheHeadMismatch(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        await app.CreateTeamAsync(branch.Id);

        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries WHERE sequence = (SELECT MAX(sequence) FROM audit_entries)"));

        var result = await (await client.PostAsync("/api/v1/audit/verify", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("HeadMismatch", result.GetProperty("break").GetProperty("kind").GetString());
    }

    [Theory, BothDatabases]
    public async Task Browse_FiltersByEntityAndPagesWithACursor(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        for (var i = 0; i < 3; i++)
        {
            await app.CreateTeamAsync(branch.Id);
        }

        var first = await (await client.GetAsync("/api/v1/audit?entityType=Team&limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var items = first.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.All(items.EnumerateArray(), e => Assert.Equal("Team", e.GetProperty("entityType").GetString()));
        var cursor = first.GetProperty("nextCursor").GetString();

        var second = await (await client.GetAsync($"/api/v1/audit?entityType=Team&limit=2&cursor={cursor}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
        Assert.True(second.GetProperty("items")[0].GetProperty("sequence").GetInt64() < items[1].GetProperty("sequence").GetInt64());

        await (await client.GetAsync("/api/v1/audit?cursor=abc")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task Append_FromConcurrentWriters_KeepsOneUnbrokenChain(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var installed = await InstalledEntriesAsync(app);
        var branch = await app.CreateBranchAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.CreateTeamAsync(branch.Id)));

        var verification = await app.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Break?.Detail);
        Assert.Equal(installed + 21, verification.EntriesChecked);
    }

    [Theory, BothDatabases]
    public async Task Commit_WithDeferredEntriesNotFlushed_IsRefusedAndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var installed = await InstalledEntriesAsync(app);

        var refused = await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.DeferAudit();
            db.Add(new Steward.Features.Organisation.Branch { Code = "DEFER1", Name = "延迟支行", NameEn = "Deferred Branch", TimeZone = "Asia/Shanghai" });
            await db.SaveChangesAsync();
            return await Record.ExceptionAsync(() => transaction.CommitAsync());
        });

        Assert.IsType<InvalidOperationException>(refused);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Steward.Features.Organisation.Branch>().CountAsync(b => b.Code == "DEFER1")));
        Assert.Equal(installed, await InstalledEntriesAsync(app));
    }

    [Theory, BothDatabases]
    public async Task Flush_WithDeferredEntries_AppendsThemInOrderBeforeTheCommit(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var installed = await InstalledEntriesAsync(app);

        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True(db.DeferAudit());
            Assert.False(db.DeferAudit());
            db.Add(new Steward.Features.Organisation.Branch { Code = "DEFER2", Name = "延迟支行二", NameEn = "Deferred Branch 2", TimeZone = "Asia/Shanghai" });
            await db.SaveChangesAsync();
            db.Add(new Steward.Features.Organisation.Branch { Code = "DEFER3", Name = "延迟支行三", NameEn = "Deferred Branch 3", TimeZone = "Asia/Shanghai" });
            await db.FlushAuditAsync(CancellationToken.None);
            await transaction.CommitAsync();
        });

        // Two branches, two Created entries after the installed ones, in the order saved; the chain still verifies.
        var entries = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Sequence > installed).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([("Branch", AuditAction.Created), ("Branch", AuditAction.Created)], entries.Select(e => (e.EntityType, e.Action)));
        Assert.Contains("DEFER2", entries[0].Changes, StringComparison.Ordinal);
        Assert.Contains("DEFER3", entries[1].Changes, StringComparison.Ordinal);
        var verification = await app.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Break?.Detail);
    }

    /// <summary>Entries a fresh installation already has (the shipped SLA standards are seeded, and audited, at start-up).</summary>
    private static Task<long> InstalledEntriesAsync(StewardApp app) => app.WithDbAsync(db => db.AuditEntries.LongCountAsync());
}
