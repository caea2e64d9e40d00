using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Qualifications;

/// <summary>
/// Demo certificates relative to the demo's clock: most valid for a year or more, some expiring within 30 days (the
/// expiring-soon list and the reminders have something to show), some expired (the suitability check will block them).
/// </summary>
public static class QualificationDemoData
{
    /// <summary>(username, type code, days from today to the expiry day; null = never lapses).</summary>
    private static readonly (string User, string Type, int? ExpiresInDays)[] Rows =
    [
        ("sh.agent1", "FUND", 420), ("sh.agent1", "BANKING-WM", 300), ("sh.agent1", "INSURANCE-2", 610),
        ("sh.agent2", "FUND", 12), ("sh.agent2", "BANKING-WM", 75),
        ("sh.lead", "FUND", 540), ("sh.lead", "SECURITIES", null), ("sh.lead", "INSURANCE-3", 25),
        ("sh.manager", "BANKING-WM", 700),
        ("bj.agent1", "FUND", -5), ("bj.agent1", "BANKING-WM", 250),
        ("bj.agent2", "FUND", 28), ("bj.agent2", "INSURANCE-1", 400),
        ("sz.agent1", "FUND", 365), ("sz.agent1", "INSURANCE-2", -40),
        ("sz.agent2", "BANKING-WM", 6),
        ("hz.agent1", "SECURITIES", 800), ("hz.agent1", "FUND", 190),
        ("hz.agent2", "INSURANCE-4", 58),
        ("ln.agent1", "FUND", 500),
    ];

    public static async Task SeedAsync(StewardDbContext db, DateOnly today, CancellationToken ct)
    {
        var staff = await db.Set<Staff>().AsNoTracking().ToDictionaryAsync(s => s.Username, s => s.Id, ct);
        var types = await db.Set<QualificationType>().AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.Id, ct);
        var n = 0;
        foreach (var (user, type, days) in Rows)
        {
            if (!staff.TryGetValue(user, out var staffId) || !types.TryGetValue(type, out var typeId))
            {
                continue;
            }

            n++;
            var expires = days is { } d ? today.AddDays(d) : (DateOnly?)null;
            db.Add(new StaffQualification
            {
                StaffId = staffId,
                QualificationTypeId = typeId,
                CertificateNumber = string.Create(CultureInfo.InvariantCulture, $"{type[..3]}{today.Year - 3}{n:00000}"),
                IssuedOn = (expires ?? today).AddYears(-3),
                ExpiresOn = expires,
                EvidenceReference = string.Create(CultureInfo.InvariantCulture, $"人事档案 HR-{n:0000}"),
            });
        }
    }
}
