using Microsoft.EntityFrameworkCore;
using Steward.Bench.Scenarios;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Bench;

/// <summary>
/// The raw intake baseline writes audit entries itself, with its own copy of Steward's hash; the two must agree, or the
/// bench's entries break the chain it reports as valid.
/// </summary>
public sealed class AuditHashTests
{
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private static AuditEntry Entry(long? actorId, long? branchId) => new()
    {
        Sequence = 4242,
        // Ticks beyond the microsecond: both sides drop them, as the databases do.
        OccurredAt = new DateTimeOffset(2026, 11, 23, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567),
        ActorId = actorId,
        ActorName = "上海柜员一",
        Action = AuditAction.Created,
        EntityType = "Case",
        EntityId = "987654",
        BranchId = branchId,
        Changes = """{"after":{"id":987654,"subject":"信用卡年费咨询"}}""",
        PreviousHash = "5f0c2a8e4b1d7c3a9e6f2b8d4c1a7e3f9b5d2c8a6e4f1b7d3c9a5e2f8b4d1c6a",
        KeyId = "bench",
    };

    [Theory]
    [InlineData(17L, 3L)]
    [InlineData(null, null)]
    public void RawIntakeHash_ForTheSameEntry_IsAuditWritersHash(long? actorId, long? branchId)
    {
        var e = Entry(actorId, branchId);

        var bench = RawIntake.Hash("bench", RawIntake.EntryKey(Key), e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, "Created", e.EntityType, e.EntityId, e.BranchId, e.Changes, e.PreviousHash);

        Assert.Equal(AuditWriter.KeyedHash(e, AuditKey.FromMaster("bench", Key)), bench);
        Assert.NotEqual(AuditWriter.KeyedHash(e, AuditKey.FromMaster("bench", [.. Key.Reverse()])), bench);
    }

    [Fact]
    public void RawIntakeLegacyHash_ForTheSameEntry_IsAuditWritersLegacyHash()
    {
        var e = Entry(17, 3);

        Assert.Equal(AuditWriter.LegacyHash(e),
            RawIntake.LegacyHash(e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, "Created", e.EntityType, e.EntityId, e.BranchId, e.Changes, e.PreviousHash));
    }

    /// <summary>
    /// What AuditWriter stored (through the database and back, timestamps and all) is what the bench computes for the
    /// same fields under the same key.
    /// </summary>
    [Theory, BothDatabases]
    public async Task RawIntakeHash_OfAnEntryAuditWriterWrote_IsTheStoredHash(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        app.Clock.Advance(TimeSpan.FromTicks(1234567)); // an instant beyond the microsecond
        await app.CreateStaffAsync(branch.Id, null, Steward.Platform.Identity.StaffRole.Agent);
        var master = Convert.FromBase64String(app.Settings["Security:Audit:Keys:" + StewardApp.AuditKeyId]!);

        var written = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());

        Assert.NotEmpty(written);
        Assert.All(written, e =>
        {
            Assert.Equal(StewardApp.AuditKeyId, e.KeyId);
            Assert.Equal(e.Hash, RawIntake.Hash(e.KeyId, RawIntake.EntryKey(master), e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.Action.ToString(), e.EntityType, e.EntityId, e.BranchId, e.Changes, e.PreviousHash));
        });
    }
}
