using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>Reclassifying a case that is already resolved.</summary>
public sealed partial class SlaClockTests
{
    [Theory, BothDatabases]
    public async Task Reclassify_ResolvedConsultationToComplaint_NewClocksAreMetNotRunning_AndTheResolutionRunsAgainOnReopen(DatabaseProvider provider)
    {
        // PRC preset. A consultation received and resolved Monday 2026-11-02 10:00; the next day it is found to be a
        // complaint. The complaint adds the institution plan and the regulatory resolution: the resolution was already
        // communicated, so both are met at the reclassification — nothing may count down (or breach) on a resolved case.
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10));
        await using var app = w.App;
        await SelectPrcAsync(w);
        var (id, version, _) = await CreateCaseAsync(w, "Consultation");
        foreach (var action in new[] { "Review", "Start", "Resolve" })
        {
            version = await TransitionAsync(w.AgentClient, id, action, version);
        }

        app.Clock.Advance(TimeSpan.FromDays(1));
        var reclassified = await (await w.AgentClient.PostJsonAsync($"/api/v1/cases/{id}/classification",
            new { kind = "Complaint", reason = "客户来电表示此前的咨询是投诉", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        version = reclassified.GetProperty("version").GetInt32();

        var clocks = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().Where(k => k.CaseId == id).ToListAsync());
        Assert.Equal(
            ["FirstResponse/Institution/Met", "Plan/Institution/Met", "Resolution/Institution/Met", "Resolution/Regulatory/Met"],
            clocks.Select(k => $"{k.TargetType}/{k.Layer}/{k.Status}").Order(StringComparer.Ordinal));
        Assert.All(clocks.Where(k => k.TargetType == SlaTargetType.Plan || k.Layer == SlaLayer.Regulatory),
            k => Assert.Equal(Sh(2026, 11, 3, 10), k.MetAt));
        Assert.Null(await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == id).Select(c => c.DueAt).SingleAsync()));

        // Reopened on Thursday: the resolutions count again (the resolved time is a pause); the plan stays met.
        app.Clock.Advance(TimeSpan.FromDays(2));
        await TransitionAsync(w.AgentClient, id, "Reopen", version, reason: "客户不认可处理结果");
        clocks = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().Where(k => k.CaseId == id).ToListAsync());
        Assert.Equal(SlaClockStatus.Running, clocks.Single(k => k.Layer == SlaLayer.Regulatory).Status);
        Assert.Equal(SlaClockStatus.Met, clocks.Single(k => k.TargetType == SlaTargetType.Plan).Status);
    }
}
