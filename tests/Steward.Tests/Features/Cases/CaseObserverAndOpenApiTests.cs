using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CaseLifecycleTests;

namespace Steward.Tests.Features.Cases;

public sealed class CaseObserverAndOpenApiTests
{
    /// <summary>Stands in for the SLA feature: sets a deadline on create and records what it is told.</summary>
    private sealed class RecordingObserver(ConcurrentQueue<string> calls) : ICaseLifecycleObserver
    {
        public Task OnCreatedAsync(Case @case, CancellationToken ct)
        {
            calls.Enqueue($"created {@case.Reference} {@case.Status}");
            @case.DueAt = @case.CreatedAt.AddHours(24);
            return Task.CompletedTask;
        }

        public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct)
        {
            calls.Enqueue($"{change.Action} {change.From}/{change.FromWaiting} → {change.To}/{change.ToWaiting}");
            return Task.CompletedTask;
        }

        public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct)
        {
            calls.Enqueue($"retargeted {oldKind}/{oldPriority} → {@case.Kind}/{@case.Priority}");
            return Task.CompletedTask;
        }
    }

    [Theory, BothDatabases]
    public async Task Observers_AreToldOfEveryChange_AndWhatTheyChangeIsSavedWithIt(DatabaseProvider provider)
    {
        var calls = new ConcurrentQueue<string>();
        await using var app = await StewardApp.StartAsync(provider, configureServices: s => s.AddScoped<ICaseLifecycleObserver>(_ => new RecordingObserver(calls)));
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var created = await StewardApp.CreateCaseAsync(agent);
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt32();
        foreach (var (action, reason) in new[] { ("Review", "审核"), ("Start", "处理"), ("WaitOnCustomer", "等客户补材料") })
        {
            version = (await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action, reason, version }))).GetProperty("version").GetInt32();
        }

        await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/classification", new { kind = "Complaint", reason = "客户明确表示投诉", version }));

        Assert.Equal(
        [
            "created SV-20261123-000001 Submitted",
            "Review Submitted/None → UnderReview/None",
            "Start UnderReview/None → InProgress/None",
            "WaitOnCustomer InProgress/None → InProgress/WaitingOnCustomer",
            "retargeted Consultation/Normal → Complaint/High",
        ], calls);
        // 2026-11-23 01:00 UTC + 24 h, set by the observer inside the create.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero), created.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Theory, BothDatabases]
    public async Task OpenApiDocument_DescribesTheCaseAndPublicEndpoints(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);

        var document = await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[]
        {
            "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/transitions", "/api/v1/cases/{id}/replies", "/api/v1/cases/{id}/notes",
            "/api/v1/cases/{id}/attachments", "/api/v1/cases/{id}/attachments/{attachmentId}", "/api/v1/cases/{id}/pick", "/api/v1/cases/{id}/pick-and-start", "/api/v1/cases/{id}/assign",
            "/api/v1/cases/{id}/priority", "/api/v1/cases/{id}/links", "/api/v1/cases/{id}/merge", "/api/v1/public/cases", "/api/v1/public/cases/status",
        })
        {
            Assert.Contains(path, paths);
        }
    }
}
