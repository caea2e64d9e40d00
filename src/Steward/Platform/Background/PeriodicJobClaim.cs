using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Database;

namespace Steward.Platform.Background;

/// <summary>
/// A daily job's lease on one day: the first node to insert (job, day) runs that day's pass; the unique index refuses the
/// others, so two nodes never both run it (the claim lives in the database, never in memory).
/// </summary>
public sealed class PeriodicJobClaim
{
    public long Id { get; set; }

    public string Job { get; set; } = "";

    public DateOnly Day { get; set; }

    public string Node { get; set; } = "";

    public DateTimeOffset ClaimedAt { get; set; }

    private static readonly UniqueIndex JobDay = new("periodic_job_claims", "ix_periodic_job_claims_job_day", "job", "day");

    /// <summary>True when this node now holds <paramref name="job"/>'s lease on <paramref name="day"/>; false when another node (or an earlier pass) has it.</summary>
    public static async Task<bool> TryClaimDayAsync(StewardDbContext db, string job, DateOnly day, DateTimeOffset now, CancellationToken ct)
    {
        var claim = new PeriodicJobClaim { Job = job, Day = day, Node = Environment.MachineName + ":" + Environment.ProcessId, ClaimedAt = now };
        db.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (JobDay.IsViolatedBy(e))
        {
            db.Entry(claim).State = EntityState.Detached;
            return false;
        }
    }
}

internal sealed class PeriodicJobClaimConfiguration : IEntityTypeConfiguration<PeriodicJobClaim>
{
    public void Configure(EntityTypeBuilder<PeriodicJobClaim> builder)
    {
        builder.ToTable("periodic_job_claims");
        builder.HasIndex(c => new { c.Job, c.Day }).IsUnique();
        builder.Property(c => c.Job).HasMaxLength(60);
        builder.Property(c => c.Node).HasMaxLength(200);
    }
}
