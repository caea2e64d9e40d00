using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Qualifications;

/// <summary>
/// What the suitability check asks of the registry: does a staff member hold a valid qualification of a type on a date.
/// A certificate is valid from its issue date to its expiry date, both included (the expiry date is the last valid day,
/// docs/decisions/0025); the day after, it no longer gates. A certificate of a higher level of the same family satisfies
/// a lower-level requirement. "Today" is the local date of the staff member's home branch (<see cref="TodayAsync"/>).
/// </summary>
public sealed class QualificationRegistry(StewardDbContext db, TimeProvider time)
{
    /// <summary>Whether <paramref name="staffId"/> holds a certificate valid on <paramref name="date"/> that satisfies <paramref name="typeId"/>.</summary>
    public async Task<bool> HoldsValidAsync(long staffId, long typeId, DateOnly date, CancellationToken ct = default)
    {
        var required = await db.Set<QualificationType>().AsNoTracking().Where(t => t.Id == typeId).Select(t => new { t.Family, t.Level }).SingleOrDefaultAsync(ct);
        if (required is null)
        {
            return false;
        }

        var level = required.Level ?? 0;
        return await db.Set<StaffQualification>().AsNoTracking()
            .Where(q => q.StaffId == staffId && q.IssuedOn <= date && (q.ExpiresOn == null || q.ExpiresOn >= date))
            .Join(db.Set<QualificationType>(), q => q.QualificationTypeId, t => t.Id, (q, t) => t)
            .AnyAsync(t => t.Family == required.Family && (t.Level ?? 0) >= level, ct);
    }

    /// <summary>The types a staff member holds a valid certificate of on <paramref name="date"/> (each once).</summary>
    public async Task<IReadOnlyList<QualificationTypeDto>> ValidTypesAsync(long staffId, DateOnly date, CancellationToken ct = default)
    {
        var held = db.Set<StaffQualification>()
            .Where(q => q.StaffId == staffId && q.IssuedOn <= date && (q.ExpiresOn == null || q.ExpiresOn >= date)).Select(q => q.QualificationTypeId);
        return await db.Set<QualificationType>().AsNoTracking().Where(t => held.Contains(t.Id)).OrderBy(t => t.Code)
            .Select(t => new QualificationTypeDto(t.Id, t.Code, t.Name, t.NameEn, t.Family, t.Level)).ToListAsync(ct);
    }

    /// <summary>Today in the zone of the staff member's home branch (Asia/Shanghai when unknown).</summary>
    public async Task<DateOnly> TodayAsync(long staffId, CancellationToken ct = default)
    {
        var zone = await db.Set<Staff>().AsNoTracking().Where(s => s.Id == staffId)
            .Join(db.Set<Branch>(), s => s.HomeBranchId, b => b.Id, (s, b) => b.TimeZone).SingleOrDefaultAsync(ct);
        return LocalToday(zone);
    }

    public DateOnly LocalToday(string? zoneId) => LocalDate(time.GetUtcNow(), zoneId);

    public static DateOnly LocalDate(DateTimeOffset instant, string? zoneId)
    {
        var zone = (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)) ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        return Instant.FromDateTimeOffset(instant).InZone(zone).Date.ToDateOnly();
    }

    /// <summary>The state of a certificate on <paramref name="today"/>: expiring from 30 days before the expiry day to the day itself.</summary>
    public static (CertificateState State, int? DaysLeft) StateOn(DateOnly issuedOn, DateOnly? expiresOn, DateOnly today)
    {
        int? left = expiresOn is { } last ? last.DayNumber - today.DayNumber : null;
        var state = issuedOn > today ? CertificateState.NotYetValid
            : left is < 0 ? CertificateState.Expired
            : left is <= ExpiringDays ? CertificateState.Expiring
            : CertificateState.Valid;
        return (state, left);
    }

    public const int ExpiringDays = 30;
}
