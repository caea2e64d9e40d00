using Steward.Features.Customers;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Platform.Audit;

/// <summary>
/// Which entries to list. <see cref="Actor"/> finds a person by display name or username, in part (or <c>system</c>);
/// <see cref="Case"/> is a case reference and finds the case's entries and those of its messages, files, links, SLA
/// clocks and contact-detail showings.
/// </summary>
public sealed record AuditFilter(
    string? EntityType = null,
    string? EntityId = null,
    string? Actor = null,
    AuditAction? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Case = null);

/// <summary>One field of an entry as the reader is shown it: values masked or left out as <see cref="Access"/> says.</summary>
public sealed record AuditFieldChange(string Field, JsonNode? Before, JsonNode? After, AuditFieldAccess Access);

/// <summary>
/// An entry as one reader may see it. <see cref="CaseId"/>: the case a case-bound entry belongs to;
/// <see cref="Revealable"/>: it shows masked personal data the reader may reveal.
/// </summary>
/// <summary>A page of entries and the names of everything they mention.</summary>
public sealed record AuditBatch(IReadOnlyList<AuditView> Views, AuditNames Names);

public sealed record AuditView(AuditEntry Entry, IReadOnlyList<AuditFieldChange> Changes, long? CaseId, bool Revealable, bool Revealed)
{
    public long? ActorId => Entry.ActorId;

    /// <summary>Every field is shown as recorded; only then may the entry's hash be shown (a masked name is short enough to guess back from it).</summary>
    public bool Complete => Changes.All(c => c.Access == AuditFieldAccess.Visible);
}

/// <summary>
/// The audit log as the signed-in reader may see it: the one read path of the API, the page and the export. Rows are
/// filtered in the query; what each field shows is decided per entry by <see cref="AuditVisibility"/>, with the cases
/// and customers the entries concern looked up in one query per entity type (never per entry).
/// </summary>
public sealed class AuditBrowser(StewardDbContext db, CurrentUser user, CaseService cases, TimeProvider time)
{
    public async Task<AuditReader> ReaderAsync(CancellationToken ct = default)
    {
        var caseViewer = await cases.ViewerAsync(ct);
        return new AuditReader(user.Can(Permission.CasesWork), user.Can(Permission.CustomersRead), user.Can(Permission.PersonalDataReveal),
            user.HasInstitutionScope, user.BranchIds, caseViewer);
    }

    /// <summary>Newest first; <paramref name="beforeSequence"/> is the cursor (exclusive).</summary>
    public async Task<AuditBatch> BrowseAsync(AuditFilter filter, long? beforeSequence, int limit, CancellationToken ct = default)
    {
        var query = await QueryAsync(filter, ct);
        if (beforeSequence is { } cursor)
        {
            query = query.Where(e => e.Sequence < cursor);
        }

        var entries = await query.OrderByDescending(e => e.Sequence).Take(limit).ToListAsync(ct);
        return await WithNamesAsync(await ProjectAsync(entries, await ReaderAsync(ct), revealed: null, ct), ct);
    }

    /// <summary>How many entries before <paramref name="beforeSequence"/> match, counted up to <paramref name="cap"/> + 1 (a count reads no further).</summary>
    public async Task<int> CountAsync(AuditFilter filter, int cap, long beforeSequence, CancellationToken ct = default) =>
        await (await QueryAsync(filter, ct)).Where(e => e.Sequence < beforeSequence).Take(cap + 1).CountAsync(ct);

    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken ct = default) =>
        await db.AuditEntries.AsNoTracking().Select(e => e.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct);

    /// <summary>
    /// The entry with its personal data in full, for a reader with PersonalDataReveal. The showing is recorded first
    /// (a <see cref="PersonalDataAccess"/> row, itself audited) with <paramref name="purpose"/>; no record, no data.
    /// Content outside the reader's scope stays hidden: revealing only unmasks.
    /// </summary>
    public async Task<Outcome<AuditBatch>> RevealAsync(long sequence, string purpose, CancellationToken ct = default)
    {
        var entry = await db.AuditEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Sequence == sequence, ct);
        if (entry is null)
        {
            return new NotFoundError("audit-entry-not-found", "No such audit entry 审计记录不存在", $"There is no entry {sequence}. 不存在第 {sequence} 条记录。");
        }

        var reader = await ReaderAsync(ct);
        if (!reader.Reveals)
        {
            return new ForbiddenError("forbidden", "You may not see personal data in full 无权查看完整个人信息",
                "Your roles do not include revealing personal data. 您的角色不含查看完整个人信息的权限。");
        }

        var masked = (await ProjectAsync([entry], reader, revealed: null, ct))[0];
        if (!masked.Revealable)
        {
            return new ConflictError("nothing-to-reveal", "This entry shows no masked personal data 此记录没有被遮蔽的个人信息",
                "Only masked names can be revealed; content outside your scope stays hidden. 只能查看被遮蔽的姓名；超出您权限范围的内容仍然隐藏。");
        }

        var subject = AuditVisibility.SubjectOf(entry.EntityType);
        db.Add(PersonalDataAccess.Of(time.GetUtcNow(), reader.Cases.StaffId, reader.Cases.Name, subject.ToString(),
            subject == AuditSubject.Case ? masked.CaseId!.Value : long.Parse(entry.EntityId, CultureInfo.InvariantCulture), entry.BranchId, purpose));
        await db.SaveChangesAsync(ct);
        return await WithNamesAsync(await ProjectAsync([entry], reader, revealed: sequence, ct), ct);
    }

    private async Task<IQueryable<AuditEntry>> QueryAsync(AuditFilter filter, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.EntityType))
        {
            query = query.Where(e => e.EntityType == filter.EntityType);
        }

        if (!string.IsNullOrWhiteSpace(filter.EntityId))
        {
            query = query.Where(e => e.EntityId == filter.EntityId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            var people = await AuditNames.StaffMatchingAsync(db, actor, ct);
            query = query.Where(e => e.ActorName == actor || (e.ActorId != null && people.Contains(e.ActorId.Value)));
        }

        if (!string.IsNullOrWhiteSpace(filter.Case))
        {
            var reference = filter.Case.Trim().ToUpperInvariant();
            var caseId = await db.Set<Case>().Where(c => c.Reference == reference).Select(c => (long?)c.Id).SingleOrDefaultAsync(ct);
            query = caseId is { } id ? query.Where(await AuditVisibility.EntriesOfCaseAsync(db, id, ct)) : query.Where(e => false);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        // PostgreSQL takes instants in UTC only; a client may send any offset.
        if (filter.From?.ToUniversalTime() is { } fromInstant)
        {
            query = query.Where(e => e.OccurredAt >= fromInstant);
        }

        if (filter.To?.ToUniversalTime() is { } toInstant)
        {
            query = query.Where(e => e.OccurredAt < toInstant);
        }

        return query;
    }

    /// <summary>Loads the names of the actors, cases and the records that visible fields refer to, for the whole batch at once.</summary>
    private async Task<AuditBatch> WithNamesAsync(IReadOnlyList<AuditView> views, CancellationToken ct)
    {
        var ids = new Dictionary<AuditReference, HashSet<long>>();
        void Add(AuditReference kind, long id) => (ids.TryGetValue(kind, out var set) ? set : ids[kind] = []).Add(id);
        foreach (var view in views)
        {
            if (view.ActorId is { } actor)
            {
                Add(AuditReference.Staff, actor);
            }

            if (view.CaseId is { } caseId)
            {
                Add(AuditReference.Case, caseId);
            }

            foreach (var change in view.Changes.Where(c => c.Access == AuditFieldAccess.Visible && AuditNames.References.ContainsKey(c.Field)))
            {
                foreach (var value in new[] { change.Before, change.After })
                {
                    if (value is JsonValue v && v.TryGetValue<long>(out var id))
                    {
                        Add(AuditNames.References[change.Field], id);
                    }
                }
            }
        }

        return new AuditBatch(views, await AuditNames.LoadAsync(db, ids, ct));
    }

    /// <summary>Applies <see cref="AuditVisibility"/> to each entry; <paramref name="revealed"/>: the entry whose names were revealed (and recorded).</summary>
    private async Task<IReadOnlyList<AuditView>> ProjectAsync(IReadOnlyList<AuditEntry> entries, AuditReader reader, long? revealed, CancellationToken ct)
    {
        var parsed = entries.Select(e => (Entry: e, Changes: JsonNode.Parse(e.Changes) as JsonObject ?? [])).ToList();
        var caseOf = await CasesOfAsync(parsed, ct);
        var casesInScope = await CasesInScopeAsync(reader, caseOf.Values.Distinct().ToList(), ct);
        var customersInScope = await CustomersInScopeAsync(reader, entries, ct);

        return parsed.Select(p =>
        {
            var entry = p.Entry;
            long? caseId = caseOf.TryGetValue((entry.EntityType, entry.EntityId), out var c) ? c : null;
            var inScope = AuditVisibility.SubjectOf(entry.EntityType) switch
            {
                AuditSubject.Case => caseId is { } id && casesInScope.Contains(id),
                AuditSubject.Customer => customersInScope.Contains(entry.EntityId),
                AuditSubject.Organisation => true,
                AuditSubject.Unknown => false,
            };
            var isRevealed = revealed == entry.Sequence;
            var changes = Fields(p.Changes).Select(field =>
            {
                var access = AuditVisibility.Access(reader, entry.EntityType, field, inScope, isRevealed);
                return new AuditFieldChange(field, Shown(p.Changes["before"]?[field], access), Shown(p.Changes["after"]?[field], access), access);
            }).ToList();
            var revealable = reader.Reveals && changes.Any(f => f.Access == AuditFieldAccess.Masked);
            return new AuditView(entry, changes, caseId, revealable, isRevealed);
        }).ToList();
    }

    /// <summary>The fields an entry records, in the order recorded (after, then those only in before).</summary>
    private static IEnumerable<string> Fields(JsonObject changes)
    {
        var after = (changes["after"] as JsonObject)?.Select(kv => kv.Key) ?? [];
        var before = (changes["before"] as JsonObject)?.Select(kv => kv.Key) ?? [];
        return after.Concat(before).Distinct(StringComparer.Ordinal);
    }

    private static JsonNode? Shown(JsonNode? value, AuditFieldAccess access) => access switch
    {
        AuditFieldAccess.Visible => value?.DeepClone(),
        AuditFieldAccess.Masked => value is JsonValue v && v.TryGetValue<string>(out var text) ? JsonValue.Create(Mask.Name(text)) : null,
        AuditFieldAccess.Hidden => null,
    };

    /// <summary>(entity type, entity id) → case id for the case-bound entries: one query per entity type.</summary>
    private async Task<Dictionary<(string, string), long>> CasesOfAsync(List<(AuditEntry Entry, JsonObject Changes)> parsed, CancellationToken ct)
    {
        var result = new Dictionary<(string, string), long>();
        foreach (var group in parsed.Where(p => AuditVisibility.SubjectOf(p.Entry.EntityType) == AuditSubject.Case).GroupBy(p => p.Entry.EntityType))
        {
            var ids = group.Select(p => long.TryParse(p.Entry.EntityId, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
            var found = await AuditVisibility.CaseIdsAsync(db, group.Key, ids, ct);
            foreach (var (entry, changes) in group)
            {
                // A row deleted since keeps its case in the entry it was deleted with.
                if (long.TryParse(entry.EntityId, CultureInfo.InvariantCulture, out var id) && found.TryGetValue(id, out var caseId))
                {
                    result[(entry.EntityType, entry.EntityId)] = caseId;
                }
                else if ((changes["before"]?["case_id"] ?? changes["after"]?["case_id"]) is JsonValue v && v.TryGetValue<long>(out var recorded) && recorded > 0)
                {
                    result[(entry.EntityType, entry.EntityId)] = recorded;
                }
            }
        }

        return result;
    }

    private async Task<HashSet<long>> CasesInScopeAsync(AuditReader reader, List<long> caseIds, CancellationToken ct)
    {
        if (!reader.ReadsCases || caseIds.Count == 0)
        {
            return [];
        }

        if (reader.Cases.AllBranches)
        {
            return [.. caseIds];
        }

        return [.. await cases.Visible(reader.Cases).Where(c => caseIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)];
    }

    /// <summary>Entity ids of the Customer entries whose customer the reader may read (home branch in their branches, now or, if deleted, when recorded).</summary>
    private async Task<HashSet<string>> CustomersInScopeAsync(AuditReader reader, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var customers = entries.Where(e => AuditVisibility.SubjectOf(e.EntityType) == AuditSubject.Customer).ToList();
        if (!reader.ReadsCustomers || customers.Count == 0)
        {
            return [];
        }

        if (reader.AllBranches)
        {
            return [.. customers.Select(e => e.EntityId)];
        }

        // Branch by branch only the customer file's own entries, whose entity id is the customer's (a holding's is not).
        customers = [.. customers.Where(e => e.EntityType == nameof(Customer))];
        var ids = customers.Select(e => long.TryParse(e.EntityId, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
        var branches = await AuditVisibility.CustomerBranchesAsync(db, ids, ct);
        return [.. customers.Where(e =>
        {
            long? branch = long.TryParse(e.EntityId, CultureInfo.InvariantCulture, out var id) && branches.TryGetValue(id, out var b) ? b : e.BranchId;
            return branch is { } home && reader.BranchIds.Contains(home);
        }).Select(e => e.EntityId)];
    }
}
