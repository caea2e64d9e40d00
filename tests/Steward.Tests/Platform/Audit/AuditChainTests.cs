using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Platform.Audit;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Platform.Audit.AuditForgery;

namespace Steward.Tests.Platform.Audit;

/// <summary>The keyed chain and its checkpoints against someone who can write to the database (issue 9, item 3).</summary>
public sealed class AuditChainTests
{
    [Theory, BothDatabases]
    public async Task Verify_AfterAnEntryIsEditedAndTheChainRecomputedWithSha256_ReportsTheEntry(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var team = await app.CreateTeamAsync(branch.Id, "真实团队");
        var edited = (await app.AuditEntriesAsync("Team", Id(team.Id))).Single().Sequence;
        await app.CreateTeamAsync(branch.Id);

        await EditChangesAsync(app, edited, """{"after":{"name":"虚构团队"}}""");
        await RecomputeWithSha256Async(app, edited);

        // Every recomputed entry fails its keyed hash; the first is the edited one.
        var result = await VerifyAsync(client);
        Assert.False(result.GetProperty("intact").GetBoolean());
        var first = result.GetProperty("breaks")[0];
        Assert.Equal("ContentChanged", first.GetProperty("kind").GetString());
        Assert.Equal(edited, first.GetProperty("sequence").GetInt64());
    }

    [Theory, BothDatabases]
    public async Task Verify_AfterTheChainIsRecomputedAndRelabelledAsUnkeyed_ReportsTheEntry(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var team = await app.CreateTeamAsync(branch.Id);
        var edited = (await app.AuditEntriesAsync("Team", Id(team.Id))).Single().Sequence;

        await EditChangesAsync(app, edited, """{"after":{"name":"虚构团队"}}""");
        await RecomputeWithSha256Async(app, edited, keyId: "legacy-sha256");

        var breaks = (await VerifyAsync(client)).GetProperty("breaks");
        Assert.Equal(("LegacyAfterKeyed", edited), (breaks[0].GetProperty("kind").GetString(), breaks[0].GetProperty("sequence").GetInt64()));
    }

    [Theory, BothDatabases]
    public async Task Verify_AfterTheNewestEntriesAreDeletedAndTheHeadMovedBack_ReportsThemAgainstTheCheckpoint(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        for (var i = 0; i < 3; i++)
        {
            await app.CreateTeamAsync(branch.Id);
        }

        var checkpoint = await (await client.PostAsync("/api/v1/audit/checkpoints", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var last = await LastSequenceAsync(app);
        Assert.Equal(last, checkpoint.GetProperty("sequence").GetInt64());
        Assert.Equal(app.Clock.GetUtcNow(), checkpoint.GetProperty("at").GetDateTimeOffset());

        // The three teams' entries go, and the head is moved back to the entry before them: the chain itself is consistent.
        await DeleteNewestAndMoveHeadAsync(app, 3);

        var result = await VerifyAsync(client);
        Assert.False(result.GetProperty("intact").GetBoolean());
        var only = Assert.Single(result.GetProperty("breaks").EnumerateArray());
        Assert.Equal("HeadBehindCheckpoint", only.GetProperty("kind").GetString());
        Assert.Equal(last - 2, only.GetProperty("sequence").GetInt64());
        Assert.Contains($"entries {last - 2}..{last} were removed", only.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task CheckpointJob_EveryIntervalOnTheClock_AnchorsTheHeadOnceItMoved(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Audit:CheckpointMinutes"] = "30" });
        var branch = await app.CreateBranchAsync();
        await app.CreateTeamAsync(branch.Id);
        await app.CreateTeamAsync(branch.Id);
        var last = await LastSequenceAsync(app);
        var lastHash = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Sequence == last).Select(e => e.Hash).SingleAsync());

        await NextCheckpointPassAsync(app, TimeSpan.FromMinutes(30));
        await NextCheckpointPassAsync(app, TimeSpan.FromMinutes(30)); // nothing appended since: no second line

        // The line at start-up (empty chain), then the one 30 minutes later.
        var lines = await File.ReadAllLinesAsync(app.CheckpointFile);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("v1 0 - 2026-11-23T01:00:00.0000000Z test-1 ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"v1 {last} {lastHash} 2026-11-23T01:30:00.0000000Z test-1 ", lines[1], StringComparison.Ordinal);

        await DeleteNewestAndMoveHeadAsync(app, 1);
        var verification = await app.VerifyAuditAsync();
        Assert.Equal([(AuditBreakKind.HeadBehindCheckpoint, last)], verification.Breaks.Select(b => (b.Kind, b.Sequence)));
    }

    [Theory, BothDatabases]
    public async Task Verify_WithTwoSeparateEdits_ReportsBothAndARangeChecksOnlyItsEntries(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var a = (await app.AuditEntriesAsync("Team", Id((await app.CreateTeamAsync(branch.Id)).Id))).Single().Sequence;
        await app.CreateTeamAsync(branch.Id);
        var b = (await app.AuditEntriesAsync("Team", Id((await app.CreateTeamAsync(branch.Id)).Id))).Single().Sequence;
        await app.CreateTeamAsync(branch.Id);

        await EditChangesAsync(app, a, "{}");
        await EditChangesAsync(app, b, "{}");

        var all = await VerifyAsync(client);
        Assert.Equal([("ContentChanged", a), ("ContentChanged", b)], Breaks(all));
        Assert.False(all.GetProperty("capped").GetBoolean());
        Assert.Equal(a, all.GetProperty("break").GetProperty("sequence").GetInt64());

        var between = await VerifyAsync(client, $"?from={a + 1}&to={b - 1}");
        Assert.True(between.GetProperty("intact").GetBoolean());
        Assert.Equal(b - a - 1, between.GetProperty("entriesChecked").GetInt64());
        Assert.Equal([("ContentChanged", b)], Breaks(await VerifyAsync(client, $"?from={b}")));

        await (await client.PostAsync($"/api/v1/audit/verify?from={b}&to={a}", null)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task Verify_AfterTheKeyIsRotated_EntriesUnderTheOldAndTheNewKeyAreIntact(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var before = await app.CreateTeamAsync(branch.Id);
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var rotated = app.StartNodeWith(new Dictionary<string, string?> { ["Security:Audit:Keys:test-2"] = newKey, ["Security:Audit:CurrentKeyId"] = "test-2" });
        var after = await rotated.CreateTeamAsync(branch.Id);

        Assert.Equal("test-1", (await app.AuditEntriesAsync("Team", Id(before.Id))).Single().KeyId);
        Assert.Equal("test-2", (await app.AuditEntriesAsync("Team", Id(after.Id))).Single().KeyId);
        var verification = await rotated.VerifyAuditAsync();
        Assert.True(verification.Intact, string.Join("; ", verification.Breaks.Select(b => b.Detail)));

        // Dropping the old key from the configuration leaves its entries unverifiable, which verify says.
        await using var forgetful = app.StartNodeWith(new Dictionary<string, string?>
        {
            ["Security:Audit:Keys:" + StewardApp.AuditKeyId] = null, ["Security:Audit:Keys:test-2"] = newKey, ["Security:Audit:CurrentKeyId"] = "test-2",
        });
        var unverifiable = (await forgetful.VerifyAuditAsync()).Breaks.Where(b => b.Kind == AuditBreakKind.UnknownKey).ToList();
        Assert.Equal(1, unverifiable[0].Sequence);
        Assert.Contains("signed with key test-1, which is not configured", unverifiable[0].Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Verify_EntriesFromBeforeKeys_VerifyUpToTheCheckpointAtTheUpgradeButNotAfterIt(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        await app.CreateTeamAsync(branch.Id);
        // A database from before migration 0009: every entry unkeyed, and no checkpoint file yet.
        await RecomputeWithSha256Async(app, 1, keyId: "legacy-sha256");
        File.Delete(app.CheckpointFile);
        var legacyEnd = await LastSequenceAsync(app);

        // The upgraded node checkpoints the head at start-up, then signs what it appends.
        await using var upgraded = app.StartSecondNode();
        await upgraded.CreateTeamAsync(branch.Id);
        var upgradedVerification = await upgraded.VerifyAuditAsync();
        Assert.True(upgradedVerification.Intact, string.Join("; ", upgradedVerification.Breaks.Select(b => b.Detail)));
        Assert.Equal(legacyEnd + 1, upgradedVerification.EntriesChecked);

        // Recomputing the new entry the unkeyed way is caught: the checkpoint says the unkeyed part ended before it.
        await RecomputeWithSha256Async(app, legacyEnd + 1, keyId: "legacy-sha256");
        Assert.Equal([(AuditBreakKind.LegacyAfterKeyed, legacyEnd + 1)], (await upgraded.VerifyAuditAsync()).Breaks.Select(b => (b.Kind, b.Sequence)));
    }

    [Theory, BothDatabases]
    public async Task Verify_WhenTheCheckpointFileIsAltered_ReportsTheLines(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        await (await client.PostAsync("/api/v1/audit/checkpoints", null)).ShouldBeJsonAsync(HttpStatusCode.Created);

        // Line 2 (the checkpoint just written) moved back one entry; line 3 is not a checkpoint.
        var lines = await File.ReadAllLinesAsync(app.CheckpointFile);
        var sequence = (await LastSequenceAsync(app)).ToString(CultureInfo.InvariantCulture);
        lines[1] = lines[1].Replace($"v1 {sequence} ", $"v1 {long.Parse(sequence, CultureInfo.InvariantCulture) - 1} ", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(app.CheckpointFile, [.. lines, "hello"]);

        var result = await VerifyAsync(client);
        Assert.Equal([("CheckpointInvalid", 0L), ("CheckpointInvalid", 0L)], Breaks(result));
        Assert.Contains("line 2 of the checkpoint file: its seal does not match", result.GetProperty("breaks")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("line 3 of the checkpoint file: not a checkpoint line", result.GetProperty("breaks")[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Checkpoint_WithAComplianceAddress_IsAlsoSentThroughTheOutbox(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Audit:CheckpointEmail"] = "audit-archive@bank.example" });
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var checkpoint = await (await client.PostAsync("/api/v1/audit/checkpoints", null)).ShouldBeJsonAsync(HttpStatusCode.Created);

        var hash = checkpoint.GetProperty("hash").GetString()!;
        var mails = await app.WithDbAsync(db => db.Set<Steward.Features.Notifications.OutboxMessage>().AsNoTracking()
            .Where(m => m.Recipient == "audit-archive@bank.example").ToListAsync());
        // The start-up checkpoint (empty chain), then this one.
        Assert.Equal(2, mails.Count);
        var mail = mails.Single(m => m.Body.Contains(hash, StringComparison.Ordinal));
        Assert.Equal($"Steward 审计检查点 / audit checkpoint #{checkpoint.GetProperty("sequence").GetInt64()}", mail.Subject);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonElement> VerifyAsync(HttpClient client, string query = "") =>
        await (await client.PostAsync("/api/v1/audit/verify" + query, null)).ShouldBeJsonAsync(HttpStatusCode.OK);

    private static List<(string?, long)> Breaks(JsonElement verification) =>
        [.. verification.GetProperty("breaks").EnumerateArray().Select(b => (b.GetProperty("kind").GetString(), b.GetProperty("sequence").GetInt64()))];

    /// <summary>Moves the clock by <paramref name="by"/> and waits for the checkpoint job's pass it sets off.</summary>
    private static async Task NextCheckpointPassAsync(StewardApp app, TimeSpan by) =>
        Assert.Null((await app.AdvanceUntilPassAsync(by, AuditCheckpointJob.JobName)).Error);
}
