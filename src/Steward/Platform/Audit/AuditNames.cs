using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Sla;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Platform.Audit;

/// <summary>What an id in an entry stands for, so that it can be shown by name.</summary>
public enum AuditReference
{
    Staff,
    Branch,
    Team,
    Case,
    Customer,
    Calendar,
}

/// <summary>
/// Names for the ids a page of entries mentions (actors, assignees, branches, teams, cases, customers, calendars), loaded with one
/// query per kind for the whole page, never per entry.
/// </summary>
public sealed class AuditNames
{
    /// <summary>Columns that hold the id of another record, shown by that record's name.</summary>
    public static readonly IReadOnlyDictionary<string, AuditReference> References = new Dictionary<string, AuditReference>(StringComparer.Ordinal)
    {
        ["assignee_id"] = AuditReference.Staff,
        ["author_id"] = AuditReference.Staff,
        ["created_by_id"] = AuditReference.Staff,
        ["uploaded_by_id"] = AuditReference.Staff,
        ["requested_by_id"] = AuditReference.Staff,
        ["decided_by_id"] = AuditReference.Staff,
        ["staff_id"] = AuditReference.Staff,
        ["last_assigned_staff_id"] = AuditReference.Staff,
        ["branch_id"] = AuditReference.Branch,
        ["home_branch_id"] = AuditReference.Branch,
        ["team_id"] = AuditReference.Team,
        ["case_id"] = AuditReference.Case,
        ["related_case_id"] = AuditReference.Case,
        ["merged_into_id"] = AuditReference.Case,
        ["customer_id"] = AuditReference.Customer,
        ["calendar_id"] = AuditReference.Calendar,
    };

    private readonly Dictionary<long, (string Display, string Username)> staff = [];
    private readonly Dictionary<long, (string Zh, string En)> branches = [];
    private readonly Dictionary<long, (string Zh, string En)> teams = [];
    private readonly Dictionary<long, string> cases = [];
    private readonly Dictionary<long, string> customers = [];
    private readonly Dictionary<long, (string Zh, string En)> calendars = [];

    public static async Task<AuditNames> LoadAsync(StewardDbContext db, IReadOnlyDictionary<AuditReference, HashSet<long>> ids, CancellationToken ct)
    {
        var names = new AuditNames();
        List<long> Of(AuditReference kind) => ids.TryGetValue(kind, out var set) ? [.. set] : [];
        if (Of(AuditReference.Staff) is { Count: > 0 } staffIds)
        {
            foreach (var s in await db.Set<Staff>().Where(s => staffIds.Contains(s.Id)).Select(s => new { s.Id, s.DisplayName, s.Username }).ToListAsync(ct))
            {
                names.staff[s.Id] = (s.DisplayName, s.Username);
            }
        }

        if (Of(AuditReference.Branch) is { Count: > 0 } branchIds)
        {
            foreach (var b in await db.Set<Branch>().Where(b => branchIds.Contains(b.Id)).Select(b => new { b.Id, b.Name, b.NameEn }).ToListAsync(ct))
            {
                names.branches[b.Id] = (b.Name, b.NameEn);
            }
        }

        if (Of(AuditReference.Team) is { Count: > 0 } teamIds)
        {
            foreach (var t in await db.Set<Team>().Where(t => teamIds.Contains(t.Id)).Select(t => new { t.Id, t.Name, t.NameEn }).ToListAsync(ct))
            {
                names.teams[t.Id] = (t.Name, t.NameEn);
            }
        }

        if (Of(AuditReference.Case) is { Count: > 0 } caseIds)
        {
            foreach (var c in await db.Set<Case>().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToListAsync(ct))
            {
                names.cases[c.Id] = c.Reference;
            }
        }

        if (Of(AuditReference.Customer) is { Count: > 0 } customerIds)
        {
            foreach (var c in await db.Set<Customer>().Where(c => customerIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToListAsync(ct))
            {
                names.customers[c.Id] = c.Reference;
            }
        }

        if (Of(AuditReference.Calendar) is { Count: > 0 } calendarIds)
        {
            foreach (var c in await db.Set<SlaCalendar>().Where(c => calendarIds.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.NameEn }).ToListAsync(ct))
            {
                names.calendars[c.Id] = (c.Name, c.NameEn);
            }
        }

        return names;
    }

    /// <summary>The staff member's display name, or null when the id is unknown (a deleted account).</summary>
    public string? StaffName(long id) => staff.TryGetValue(id, out var s) ? s.Display : null;

    public string? CaseReference(long id) => cases.GetValueOrDefault(id);

    /// <summary>The name an id stands for in the reader's language, or null when unknown.</summary>
    public string? Name(AuditReference kind, long id, bool chinese) => kind switch
    {
        AuditReference.Staff => staff.TryGetValue(id, out var s) ? $"{s.Display} ({s.Username})" : null,
        AuditReference.Branch => branches.TryGetValue(id, out var b) ? (chinese ? b.Zh : b.En) : null,
        AuditReference.Team => teams.TryGetValue(id, out var t) ? (chinese ? t.Zh : t.En) : null,
        AuditReference.Case => cases.GetValueOrDefault(id),
        AuditReference.Customer => customers.GetValueOrDefault(id),
        AuditReference.Calendar => calendars.TryGetValue(id, out var c) ? DayNames.For(c.Zh, c.En, chinese ? "zh-CN" : "en") : null,
    };

    /// <summary>
    /// Staff whose display name or username contains <paramref name="text"/> (letter case ignored), for searching by a
    /// person's name: what people know a colleague by is the name, not the id or the username.
    /// </summary>
    public static async Task<List<long>> StaffMatchingAsync(StewardDbContext db, string text, CancellationToken ct)
    {
        // Usernames are stored lower-case; display names are compared in SQL lower() (no culture involved, which CA1304 guards against).
        var needle = text.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862
        return await db.Set<Staff>().Where(s => s.DisplayName.ToLower().Contains(needle) || s.Username.Contains(needle)).Select(s => s.Id).ToListAsync(ct);
#pragma warning restore CA1304, CA1311, CA1862
    }
}
