using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Database;

namespace Steward.Features.Queues;

/// <summary>
/// The demo branches' queue set-up: five service types (wealth consulting needs the banking wealth-management qualification)
/// and four counters — a priority (爱心) counter, two general ones, a wealth sales-zone counter.
/// </summary>
public static class QueueDemoData
{
    private static readonly (string Prefix, string Name, string NameEn, int TargetWait, string? Qualification)[] Types =
    [
        ("A", "现金业务", "Cash", 10, null),
        ("B", "开户与账户业务", "Accounts", 15, null),
        ("C", "理财咨询", "Wealth consulting", 20, "BANKING-WM"),
        ("D", "个人贷款", "Personal loans", 20, null),
        ("E", "对公业务", "Corporate", 20, null),
    ];

    private static readonly (int Number, string Name, string NameEn, string Prefixes, bool Priority, bool Wealth)[] Counters =
    [
        (1, "爱心窗口", "Priority counter", "AB", true, false),
        (2, "综合窗口", "General counter", "ABD", false, false),
        (3, "综合窗口", "General counter", "ABDE", false, false),
        (4, "理财专区", "Wealth sales zone", "CB", false, true),
    ];

    public static async Task SeedAsync(StewardDbContext db, CancellationToken ct)
    {
        var qualifications = await db.Set<QualificationType>().AsNoTracking().ToDictionaryAsync(q => q.Code, q => q.Id, ct);
        foreach (var branch in await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Id).ToListAsync(ct))
        {
            if (await db.Set<QueueServiceType>().AnyAsync(s => s.BranchId == branch.Id, ct))
            {
                continue;
            }

            var types = Types.Select((t, i) => new QueueServiceType
            {
                BranchId = branch.Id, Prefix = t.Prefix, Name = t.Name, NameEn = t.NameEn, TargetWaitMinutes = t.TargetWait, SortOrder = i,
                RequiredQualificationTypeId = t.Qualification is { } code && qualifications.TryGetValue(code, out var id) ? id : null,
            }).ToList();
            db.AddRange(types);
            await db.SaveChangesAsync(ct);
            db.AddRange(Counters.Select(c => new QueueCounter
            {
                BranchId = branch.Id, Number = c.Number, Name = c.Name, NameEn = c.NameEn, IsPriorityCounter = c.Priority, IsWealthZone = c.Wealth,
                ServiceTypeIds = QueueIds.Format(types.Where(t => c.Prefixes.Contains(t.Prefix, StringComparison.Ordinal)).Select(t => t.Id)),
            }));
            await db.SaveChangesAsync(ct);
        }
    }
}
