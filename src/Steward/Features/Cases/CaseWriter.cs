using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>How a change to existing cases is written (<see cref="WriteChangeAsync"/>) and how its timeline events are added.</summary>
public sealed class CaseWriter(StewardDbContext db, IEnumerable<ICaseLifecycleObserver> observers, CaseDetails details)
{
    /// <summary>
    /// Writes one change to existing cases in one transaction, always in the same order:
    /// <list type="number">
    /// <item>each case row is claimed, lowest id first: an update that sets the version to itself, which takes the row's
    /// write lock and, with <paramref name="checkVersion"/>, is refused when the case is no longer at the version the change
    /// read (<see cref="StaleVersion"/>, nothing written);</item>
    /// <item><paramref name="write"/> saves the change (its events, what the observers added: SLA clocks and their rows);</item>
    /// <item>the audit entries are appended to the chain last, so that its head is locked for one batch and the commit.</item>
    /// </list>
    /// Why the claim comes first: EF writes the dependent tables (<c>case_events</c>, <c>case_sla_*</c>) before <c>cases</c>,
    /// and PostgreSQL runs a save as one batch, so a stale change's new SLA clock collided on the clocks' unique index with
    /// the one the winner had just added, and that error, not the refused version, was what came back (500 instead of 409).
    /// Claiming first also gives every change of a case one lock order (case, its rows, audit head): two changes of one case
    /// queue on the case row instead of deadlocking. A save still refused by a concurrent change (a version, or a row an
    /// observer recognises, <see cref="ICaseLifecycleObserver.IsConcurrentChange"/>) is stale too.
    /// </summary>
    internal async Task<Error?> WriteChangeAsync(IReadOnlyList<Case> changed, Func<CancellationToken, Task> write, CancellationToken ct, bool checkVersion = true)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var flush = db.DeferAudit();
        try
        {
            foreach (var c in changed.OrderBy(x => x.Id))
            {
                var id = c.Id;
                var read = (int)db.Entry(c).Property(x => x.Version).OriginalValue!;
                var claimed = await db.Set<Case>().Where(x => x.Id == id && (!checkVersion || x.Version == read))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version), ct);
                if (claimed == 0)
                {
                    db.ChangeTracker.Clear();
                    return Problems.StaleVersion();
                }
            }

            await write(ct);
            if (flush)
            {
                await db.FlushAuditAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || observers.Any(o => o.IsConcurrentChange(e)))
        {
            db.ChangeTracker.Clear();
            return Problems.StaleVersion();
        }
        finally
        {
            if (flush)
            {
                db.EndDeferredAudit();
            }
        }
    }

    /// <summary>Saves a change to <paramref name="c"/> (and to <paramref name="other"/>, a merge's surviving case) and answers the case as it is now.</summary>
    public async Task<Outcome<CaseDetail>> SaveAndDetailAsync(Case c, CaseViewer v, CancellationToken ct, Case? other = null)
    {
        var failed = await WriteChangeAsync(other is null ? [c] : [c, other], t => db.SaveChangesAsync(t), ct);
        return failed is null ? await details.DetailAsync(c, v, ct) : failed;
    }

    /// <summary>Adds a timeline event to <paramref name="c"/> (saved with the change).</summary>
    public void AddEvent(Case c, CaseActor actor, CaseEventType type, DateTimeOffset at, CaseAction? action = null,
        CaseStatus? from = null, CaseStatus? to = null, string? reason = null, string? detail = null,
        string? code = null, Dictionary<string, string>? parameters = null, long? messageId = null) =>
        db.Add(new CaseEvent
        {
            CaseId = c.Id,
            OccurredAt = at,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Type = type,
            Action = action,
            FromStatus = from,
            ToStatus = to,
            Reason = reason,
            Detail = detail is { Length: > 400 } ? detail[..400] : detail,
            DetailCode = code,
            DetailParameters = CaseEventText.Serialize(parameters),
            MessageId = messageId,
        });
}
