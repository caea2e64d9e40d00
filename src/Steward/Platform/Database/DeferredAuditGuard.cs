using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Steward.Platform.Database;

/// <summary>
/// Refuses to commit a transaction while audit entries saved under <see cref="StewardDbContext.DeferAudit"/> have not
/// been appended to the chain: a change must never commit without its audit entry (the caller forgot
/// <see cref="StewardDbContext.FlushAuditAsync"/>). A bug, so an exception, and the transaction rolls back.
/// </summary>
internal sealed class DeferredAuditGuard : DbTransactionInterceptor
{
    public static readonly DeferredAuditGuard Instance = new();

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Check(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Check(eventData);
        return ValueTask.FromResult(result);
    }

    private static void Check(TransactionEventData eventData)
    {
        if (eventData.Context is StewardDbContext { HasDeferredAudit: true })
        {
            throw new InvalidOperationException("Committing with deferred audit entries not appended: call FlushAuditAsync before the commit.");
        }
    }
}
