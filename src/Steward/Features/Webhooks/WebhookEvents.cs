using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;

namespace Steward.Features.Webhooks;

/// <summary>
/// Raising an event for the endpoints that subscribe to it. <see cref="RaiseAsync"/> only adds rows to the caller's unit of
/// work (the event's body once, a delivery per endpoint): they are saved with the change that raised the event, or not at
/// all. Endpoints are read once per scope (a request, a job's pass), so a burst of events costs one query; paused endpoints
/// get their deliveries too, which wait for the endpoint to be resumed.
/// </summary>
/// <remarks>
/// The body is <c>{ "id", "type", "occurredAt", "data" }</c>; <c>data</c> holds ids, references, statuses and codes only —
/// never a subject, a description, a name or contact details (decision 0047 lists each event's fields).
/// </remarks>
public sealed class WebhookEvents(StewardDbContext db, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private List<(long Id, IReadOnlyList<string> Types)>? endpoints;

    public async Task RaiseAsync(string type, object data, CancellationToken ct = default)
    {
        endpoints ??= [.. (await db.Set<WebhookEndpoint>().AsNoTracking().Select(e => new { e.Id, e.EventTypes }).ToListAsync(ct))
            .Select(e => (e.Id, (IReadOnlyList<string>)e.EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries)))];
        var receivers = endpoints.Where(e => e.Types.Contains(type)).Select(e => e.Id).ToList();
        if (receivers.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var publicId = "evt_" + Guid.CreateVersion7(now).ToString("N");
        var payload = JsonSerializer.Serialize(new { id = publicId, type, occurredAt = now, data }, Json);
        var row = new WebhookEvent { PublicId = publicId, Type = type, OccurredAt = now, Payload = payload };
        db.Add(row);
        foreach (var endpoint in receivers)
        {
            db.Add(new WebhookDelivery { EndpointId = endpoint, Event = row, Status = WebhookDeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now });
        }
    }

    /// <summary>What every case event says of the case (its <c>data.case</c>): ids, reference and codes, nothing a customer wrote or is called.</summary>
    public static object CaseData(Case c) => new
    {
        caseId = c.Id, reference = c.Reference, kind = c.Kind, channel = c.Channel, status = c.Status, waiting = c.Waiting, priority = c.Priority,
        branchId = c.BranchId, teamId = c.TeamId, assigneeId = c.AssigneeId, customerId = c.CustomerId,
    };
}

/// <summary>Raises <c>case.created</c>, <c>case.status_changed</c> and <c>case.closed</c> in the unit of work of the change.</summary>
public sealed class WebhookCaseObserver(WebhookEvents events) : ICaseLifecycleObserver
{
    public Task OnCreatedAsync(Case @case, CancellationToken ct) => events.RaiseAsync(WebhookEventTypes.CaseCreated, new { @case = WebhookEvents.CaseData(@case) }, ct);

    public async Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct)
    {
        var data = new { @case = WebhookEvents.CaseData(@case), from = change.From, fromWaiting = change.FromWaiting, to = change.To, toWaiting = change.ToWaiting, action = change.Action };
        await events.RaiseAsync(WebhookEventTypes.CaseStatusChanged, data, ct);
        if (change.To == CaseStatus.Closed && change.From != CaseStatus.Closed)
        {
            await events.RaiseAsync(WebhookEventTypes.CaseClosed, new { @case = WebhookEvents.CaseData(@case) }, ct);
        }
    }

    public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct) => Task.CompletedTask;
}
