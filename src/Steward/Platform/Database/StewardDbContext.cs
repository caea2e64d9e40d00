using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Steward.Platform.Audit;
using Steward.Platform.Security;

namespace Steward.Platform.Database;

/// <summary>
/// The one database context. Each feature adds its sets in a partial file of its own folder and
/// its mappings as <see cref="IEntityTypeConfiguration{TEntity}"/> classes, applied from the assembly.
/// </summary>
public partial class StewardDbContext(
    DbContextOptions<StewardDbContext> options,
    TimeProvider time,
    IAuditActorAccessor actorAccessor,
    AuditKeyRing auditKeys) : DbContext(options)
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    internal TimeProvider Time => time;

    /// <summary>Who is making the changes being saved (the audit collector leaves an account's own bookkeeping out).</summary>
    internal AuditActor CurrentActor => actorAccessor.Current;

    // Audit entries of SaveChanges calls made while deferral is on (inside a transaction), appended by FlushAuditAsync.
    private List<PendingAudit>? deferredAudit;
    private readonly HashSet<object> keepVersion = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Until <see cref="FlushAuditAsync"/> (or <see cref="EndDeferredAudit"/>), SaveChanges inside the current
    /// transaction writes only the business rows and keeps their audit entries, so that the chain head is locked
    /// once, at the end of the transaction, for one insert and one update (see docs/decisions/0005-audit-hash-chain.md).
    /// True when this call started the deferral: that caller flushes (and ends it); false when an outer caller
    /// (e.g. the idempotency store around a create) already deferred and will flush as its last write.
    /// Committing while entries are still deferred throws (<see cref="DeferredAuditGuard"/>).
    /// </summary>
    internal bool DeferAudit()
    {
        if (deferredAudit is not null)
        {
            return false;
        }

        deferredAudit = [];
        return true;
    }

    /// <summary>Audit entries saved under deferral and not yet appended to the chain.</summary>
    internal bool HasDeferredAudit => deferredAudit is { Count: > 0 };

    /// <summary>Forgets deferred entries (after a rollback, or in a finally after the flush).</summary>
    internal void EndDeferredAudit() => deferredAudit = null;

    /// <summary>
    /// Appends the deferred audit entries to the chain (locks the head) and ends the deferral. Every other tracked
    /// change (e.g. the idempotency record's stored response) is written in the same batch, so the head is held for
    /// that one batch and the commit.
    /// </summary>
    internal async Task FlushAuditAsync(CancellationToken cancellationToken)
    {
        // Rows that need stamping or auditing go through SaveChanges first (their entries join the deferred ones);
        // only plain rows ride in the audit batch below unstamped.
        ChangeTracker.DetectChanges();
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await FlushDetectedAsync(cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task FlushDetectedAsync(CancellationToken cancellationToken)
    {
        if (deferredAudit is not null && ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && e.Entity is IAuditable or IVersioned or ITimestamped))
        {
            await SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
        }

        var pending = deferredAudit;
        deferredAudit = null;
        if (pending is not { Count: > 0 })
        {
            await SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
            return;
        }

        await AuditWriter.AppendAsync(this, pending, actorAccessor.Current, auditKeys.Current, time.GetUtcNow(), cancellationToken);
        await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
    }

    /// <summary>
    /// The next save changes <paramref name="entity"/> without raising its <see cref="IVersioned.Version"/>: a change the
    /// system records on its own (the SLA sweep marking a clock breached) must not make a person's open edit of the row
    /// stale. The change is still audited, and still refused if the row changed since it was read.
    /// </summary>
    public void KeepVersion(object entity) => keepVersion.Add(entity);

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<string>().HaveMaxLength(400);
        if (!IsPostgres)
        {
            // SQLite has no instant type: store UTC ticks so that comparisons and ordering are exact.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StewardDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }

            if (typeof(IVersioned).IsAssignableFrom(entity.ClrType))
            {
                entity.FindProperty(nameof(IVersioned.Version))!.IsConcurrencyToken = true;
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves the change and its audit entries in one transaction: versions and timestamps are
    /// stamped, the business rows written, then one hash-chained audit entry per changed row.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // No savepoint around SaveChanges inside a transaction: EF's default wraps each in SAVEPOINT … RELEASE, two round
        // trips more per SaveChanges and four per audited save (whose own transaction counts). Contract: a SaveChanges
        // that fails inside a transaction leaves it unusable (PostgreSQL aborts it): roll it back, never carry on in it.
        // Every caller does (the idempotency store rolls back a lost key race; the others let their transaction go).
        Database.AutoSavepointsEnabled = false;
        // The tracked rows are compared with their snapshots once, here. Everything this save changes after that goes
        // through the entry API (which tells the change tracker at once), so EF's own scans (one per Entries() call: the
        // stamping below, the audit capture, the control-character guard, each base save) are switched off until the end.
        // Measured on the demo's first start: seven full scans per audited save before, one now.
        ChangeTracker.DetectChanges();
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task<int> SaveDetectedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is IVersioned)
            {
                if (entry.State == EntityState.Added)
                {
                    entry.Property(nameof(IVersioned.Version)).CurrentValue = 1;
                }
                else if (entry.State == EntityState.Modified && !keepVersion.Contains(entry.Entity)
                    && entry.Properties.Any(p => p.IsModified && !PropertyMarkers.Has<NotVersionedAttribute>(p.Metadata.PropertyInfo)))
                {
                    var version = entry.Property(nameof(IVersioned.Version));
                    version.CurrentValue = (int)version.OriginalValue! + 1;
                }
            }

            if (entry.Entity is ITimestamped)
            {
                if (entry.State == EntityState.Added)
                {
                    entry.Property(nameof(ITimestamped.CreatedAt)).CurrentValue = now;
                }

                if (entry.State is EntityState.Added or EntityState.Modified)
                {
                    entry.Property(nameof(ITimestamped.UpdatedAt)).CurrentValue = now;
                }
            }
        }

        keepVersion.Clear();
        var pending = AuditCollector.Capture(ChangeTracker);
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (deferredAudit is not null && Database.CurrentTransaction is not null)
        {
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
            deferredAudit.AddRange(AuditCollector.AfterSave(pending));
            return written;
        }

        var owned = Database.CurrentTransaction is null;
        var transaction = owned ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // Ids of new rows are known only after this first write; the audit entries need them.
            var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
            pending = AuditCollector.AfterSave(pending);
            await AuditWriter.AppendAsync(this, pending, actorAccessor.Current, auditKeys.Current, now, cancellationToken);
            await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return count;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
