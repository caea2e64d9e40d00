using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>Changes of one case racing each other: the stale writers get 409 and the clocks stay whole.</summary>
public sealed partial class SlaClockTests
{
    /// <summary>
    /// Holds every reclassification after it has read the case and before it saves until <paramref name="writers"/> of them
    /// have read it: all are based on the same version and all race to save, on SQLite (one writer at a time) too.
    /// </summary>
    private sealed class ReadTogether(int writers) : ICaseLifecycleObserver
    {
        private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int arrived;

        public Task OnCreatedAsync(Case @case, CancellationToken ct) => Task.CompletedTask;

        public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct) => Task.CompletedTask;

        public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct)
        {
            if (Interlocked.Increment(ref arrived) == writers)
            {
                all.SetResult();
            }

            // A writer that never arrives (a failure before this point) must not hang the test.
            return all.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
    }

    [Theory, BothDatabases]
    public async Task Reclassify_ManyAtOnceFromTheSameVersion_OneWinsTheOthersGet409_AndEachClockExistsOnce(DatabaseProvider provider)
    {
        // A consultation has a first response and a resolution clock (institution); a complaint adds the institution plan
        // and the regulatory resolution: the reclassification inserts two clocks, which every racing writer tries to insert.
        var (w, id, version) = await StartRaceAsync(provider);
        await using var app = w.App;

        await RaceAsync(w, id, version);

        var detail = await (await w.AgentClient.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Complaint", detail.GetProperty("kind").GetString());
        Assert.Equal(version + 1, detail.GetProperty("version").GetInt32());
        Assert.Single(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "Reclassified");

        var clocks = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().Include(k => k.Changes).Where(k => k.CaseId == id).ToListAsync());
        Assert.Equal(
            ["FirstResponse/Institution/Running", "Plan/Institution/Running", "Resolution/Institution/Running", "Resolution/Regulatory/Running"],
            clocks.Select(k => $"{k.TargetType}/{k.Layer}/{k.Status}").Order(StringComparer.Ordinal));
        // The consultation's resolution (2 business days) became the complaint's 30 calendar days once, not once per writer.
        Assert.Single(clocks.Single(k => k.TargetType == SlaTargetType.Resolution && k.Layer == SlaLayer.Institution).Changes);
        // The regulatory resolution starts with the reclassification: 15 days after 11-02 = Tue 11-17 → 24:00 = Wed 2026-11-18 00:00 +08.
        Assert.Equal(Sh(2026, 11, 18, 0), clocks.Single(k => k.Layer == SlaLayer.Regulatory).DueAt);
    }

    [Theory, BothDatabases]
    public async Task Reclassify_ResolvedCaseManyAtOnce_OneWinsTheOthersGet409(DatabaseProvider provider)
    {
        // A resolved consultation's clocks are all met, so a reclassification changes no clock row and only inserts the
        // complaint's new ones (institution plan, regulatory resolution): the stale writers' first write is that insert.
        var (w, id, version) = await StartRaceAsync(provider);
        await using var app = w.App;
        foreach (var action in new[] { "Review", "Start", "Resolve" })
        {
            version = await TransitionAsync(w.AgentClient, id, action, version);
        }

        await RaceAsync(w, id, version);

        var detail = await (await w.AgentClient.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Complaint", detail.GetProperty("kind").GetString());
        Assert.Single(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "Reclassified");
        var clocks = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().Where(k => k.CaseId == id).ToListAsync());
        Assert.Equal(
            ["FirstResponse/Institution", "Plan/Institution", "Resolution/Institution", "Resolution/Regulatory"],
            clocks.Select(k => $"{k.TargetType}/{k.Layer}").Order(StringComparer.Ordinal));
    }

    private const int Writers = 12;

    /// <summary>PRC preset, a consultation received Monday 2026-11-02 10:00, and reclassifications held until <see cref="Writers"/> have read the case.</summary>
    private static async Task<(World World, long Id, int Version)> StartRaceAsync(DatabaseProvider provider)
    {
        var together = new ReadTogether(Writers);
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10), services: s => s.AddSingleton<ICaseLifecycleObserver>(together));
        await SelectPrcAsync(w);
        var (id, version, _) = await CreateCaseAsync(w, "Consultation");
        return (w, id, version);
    }

    /// <summary>Sends <see cref="Writers"/> reclassifications to Complaint based on <paramref name="version"/> at once: one is saved, the others are stale.</summary>
    private static async Task RaceAsync(World w, long id, int version)
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, Writers).Select(i =>
            w.AgentClient.PostJsonAsync($"/api/v1/cases/{id}/classification", new { kind = "Complaint", reason = $"客户明确表示投诉 #{i}", version })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict, $"got {(int)s}"));
        Assert.Single(statuses, s => s == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("stale-version", (await loser.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }
    }

    [Theory, BothDatabases]
    public async Task DuplicateClock_IsRecognisedAsAConcurrentChange_OtherDuplicatesAreNot(DatabaseProvider provider)
    {
        // A save refused by the one-clock-per-target index means another change of the case came first (409); a save refused
        // by any other unique index (here two customers with one reference) is not one and stays an error.
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10));
        await using var app = w.App;
        var (id, _, _) = await CreateCaseAsync(w, "Consultation");
        var customer = await app.CreateCustomerAsync(w.Branch.Id);

        var duplicateClock = await app.WithDbAsync(async db =>
        {
            var copy = await db.Set<SlaClock>().AsNoTracking().FirstAsync(k => k.CaseId == id);
            copy.Id = 0;
            db.Add(copy);
            return await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        var duplicateReference = await app.WithDbAsync(async db =>
        {
            db.Add(new Steward.Features.Customers.Customer { Reference = customer.Reference, Name = "李四", HomeBranchId = w.Branch.Id });
            return await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        Assert.True(SlaClockConfiguration.OneClockPerTarget.IsViolatedBy(duplicateClock));
        Assert.False(SlaClockConfiguration.OneClockPerTarget.IsViolatedBy(duplicateReference));
        using var scope = app.Services.CreateScope();
        Assert.All(scope.ServiceProvider.GetServices<ICaseLifecycleObserver>(), o => Assert.False(o.IsConcurrentChange(duplicateReference)));
    }
}
