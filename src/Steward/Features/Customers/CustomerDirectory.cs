using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Customers;

/// <summary>A customer as a staff form lists it. <see cref="Name"/> is the full name: the page masks it unless the reader has PersonalDataReveal.</summary>
public sealed record CustomerHit(long Id, string Reference, string Name, CustomerTier Tier);

/// <summary>
/// The customers the signed-in staff member may see: those whose home branch is one of their branches, or every customer
/// for institution-wide roles (compliance, administrators). A customer outside that scope does not exist for them: a
/// look-up does not find it, and its id is answered exactly like an id that does not exist.
/// </summary>
public sealed partial class CustomerDirectory(StewardDbContext db, CurrentUser user, PersonalDataProtector protector)
{
    /// <summary>At most this many customers per look-up.</summary>
    public const int MaxHits = 20;

    /// <summary>The customers of <paramref name="branchIds"/>, or all of them when <paramref name="allBranches"/>.</summary>
    public static IQueryable<Customer> Within(IQueryable<Customer> customers, bool allBranches, IReadOnlyList<long> branchIds)
    {
        if (allBranches)
        {
            return customers;
        }

        var branches = branchIds.ToList();
        return customers.Where(c => branches.Contains(c.HomeBranchId));
    }

    /// <summary>The customer with this id if the signed-in person may see it, else null (also when it does not exist).</summary>
    public Task<CustomerHit?> GetAsync(long id, CancellationToken ct = default) =>
        Visible().Where(c => c.Id == id).Select(c => new CustomerHit(c.Id, c.Reference, c.Name, c.Tier)).SingleOrDefaultAsync(ct);

    /// <summary>
    /// Customers the signed-in person may see, found by <paramref name="query"/>: the customer number (<c>C-000004</c>,
    /// any case), part of the name, or exactly the phone number or identity number. Phone and identity number are stored
    /// encrypted, so they are compared through their blind index, never decrypted: the query is normalised the way the
    /// index normalises (spaces and dashes removed, upper case: a final <c>x</c> of an identity number is <c>X</c>), and
    /// also without brackets or dots and without China's country code (<c>+86 138-0013-8000</c> finds <c>13800138000</c>).
    /// Ordered by customer number, at most <see cref="MaxHits"/>.
    /// </summary>
    public async Task<IReadOnlyList<CustomerHit>> FindAsync(string? query, CancellationToken ct = default)
    {
        var q = query?.Trim();
        if (string.IsNullOrEmpty(q) || q.Length > 100)
        {
            return [];
        }

        var reference = q.ToUpperInvariant();
        var indexes = NumberForms(q).Select(protector.BlindIndex).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return await (await MatchingAsync(Visible(), db.Set<Documents.CustomerIdentityDocument>().AsNoTracking(), q, reference, indexes, ct))
            .OrderBy(c => c.Reference).Take(MaxHits)
            .Select(c => new CustomerHit(c.Id, c.Reference, c.Name, c.Tier))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The ways a typed phone or identity number may be stored: as typed without separators, and for a phone number with
    /// China's country code (<c>+86</c>, <c>0086</c>) also without it and a mainland mobile number also with it. Nothing when
    /// the query cannot be a number (a name).
    /// </summary>
    internal static IReadOnlyList<string> NumberForms(string query)
    {
        var compact = Separators().Replace(query, "").ToUpperInvariant();
        if (!NumberLike().IsMatch(compact))
        {
            return [];
        }

        var forms = new List<string> { compact };
        var national = compact.StartsWith("+86", StringComparison.Ordinal) ? compact[3..]
            : compact.StartsWith("0086", StringComparison.Ordinal) ? compact[4..]
            : compact;
        if (MainlandMobile().IsMatch(national))
        {
            forms.Add(national);
            forms.Add("+86" + national);
        }

        return forms;
    }

    /// <summary>
    /// Customers whose number is <paramref name="reference"/>, whose phone or identity number has one of the blind
    /// <paramref name="indexes"/>, or — unless the query has a digit, which no name has — whose name contains it. A number
    /// is then found by index alone: a name match is a scan of every customer in scope, which at a million customers
    /// costs far more than the look-up it would add nothing to.
    /// </summary>
    internal static async Task<IQueryable<Customer>> MatchingAsync(IQueryable<Customer> customers, IQueryable<Documents.CustomerIdentityDocument> documents, string query,
        string reference, IReadOnlyList<string> indexes, CancellationToken ct)
    {
        var list = indexes.ToList();
        // A further identity document's number finds its customer too (Documents.CustomerIdentityDocument, by its blind index).
        // Looked up first, on its own index: as a sub-query OR-ed with the others it kept PostgreSQL from combining the
        // indexes, and a phone search at a million customers scanned them all (676 ms instead of milliseconds).
        var byDocument = list.Count == 0 ? []
            : await documents.Where(d => list.Contains(d.NumberIndex)).Select(d => d.CustomerId).Distinct().Take(MaxHits).ToListAsync(ct);
        return query.Any(char.IsAsciiDigit) && list.Count > 0
            ? customers.Where(c => c.Reference == reference
                || (c.PhoneIndex != null && list.Contains(c.PhoneIndex))
                || (c.IdNumberIndex != null && list.Contains(c.IdNumberIndex))
                || byDocument.Contains(c.Id))
            : customers.Where(c => c.Reference == reference || c.Name.Contains(query)
                || (c.PhoneIndex != null && list.Contains(c.PhoneIndex))
                || (c.IdNumberIndex != null && list.Contains(c.IdNumberIndex))
                || byDocument.Contains(c.Id));
    }

    private IQueryable<Customer> Visible() =>
        Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds);

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex Separators();

    // A phone number (digits after an optional +) or an identity or passport number (letters and digits, at least 6).
    [GeneratedRegex(@"^(\+?[0-9]{5,20}|[0-9A-Z]{6,30})$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^1[0-9]{10}$")]
    private static partial Regex MainlandMobile();
}
