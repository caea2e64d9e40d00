using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;

namespace Steward.Features.Sla.Clocks;

/// <summary>Follows the case lifecycle for the SLA clocks (registered in <see cref="SlaSetup"/>).</summary>
public sealed class SlaCaseObserver(SlaClockService clocks, TimeProvider time) : ICaseLifecycleObserver
{
    public Task OnCreatedAsync(Case @case, CancellationToken ct) => clocks.StartAsync(@case, ct);

    public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct) => clocks.TransitionAsync(@case, change, ct);

    public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct) =>
        clocks.RetargetAsync(@case, time.GetUtcNow(), ct);

    public Task OnRepliedAsync(Case @case, DateTimeOffset at, CancellationToken ct) => clocks.RepliedAsync(@case, at, ct);

    /// <summary>A second clock of the same target and layer: another change of the case started it first.</summary>
    public bool IsConcurrentChange(DbUpdateException error) => SlaClockConfiguration.OneClockPerTarget.IsViolatedBy(error);
}
