using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Customers.Household;

public sealed record HouseholdMemberDto(long LinkId, long CustomerId, string Reference, string Name, HouseholdRelation Relation, string? Note, DateTimeOffset CreatedAt);

public sealed record HouseholdLinkRequest(string? RelatedReference, HouseholdRelation? Relation, string? Note);

public sealed record HouseholdNotFound(long Id) : NotFoundError(
    "not-found", "No such household link 家庭关系不存在", FormattableString.Invariant($"Household link {Id} does not exist. 家庭关系不存在。"));

/// <summary>
/// A customer's household: the links recorded on either customer of a pair, each shown as what the other person is to this
/// one. Both customers must be in the caller's scope; changing needs CustomersManage.
/// </summary>
public sealed class HouseholdService(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    public async Task<Outcome<IReadOnlyList<HouseholdMemberDto>>> MembersAsync(long customerId, CancellationToken ct = default)
    {
        if (await VisibleAsync(customerId, ct) is null)
        {
            return new CustomerNotFound(customerId);
        }

        var links = await db.Set<HouseholdLink>().AsNoTracking().Where(l => l.CustomerId == customerId || l.RelatedCustomerId == customerId).ToListAsync(ct);
        var otherIds = links.Select(l => l.CustomerId == customerId ? l.RelatedCustomerId : l.CustomerId).Distinct().ToList();
        var others = await Visible().Where(c => otherIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference, c.Name, c.Kind }).ToDictionaryAsync(c => c.Id, ct);
        var reveals = user.Can(Permission.PersonalDataReveal);
        // A relative in another branch is not shown (the reader may not know of that customer).
        return links.Where(l => others.ContainsKey(l.CustomerId == customerId ? l.RelatedCustomerId : l.CustomerId))
            .Select(l =>
            {
                var own = l.CustomerId == customerId;
                var other = others[own ? l.RelatedCustomerId : l.CustomerId];
                return new HouseholdMemberDto(l.Id, other.Id, other.Reference, reveals || other.Kind == CustomerKind.Corporate ? other.Name : Mask.Name(other.Name),
                    own ? l.Relation : HouseholdLink.Inverse(l.Relation), l.Note, l.CreatedAt);
            })
            .OrderBy(m => m.Relation).ThenBy(m => m.Reference, StringComparer.Ordinal).ToList();
    }

    public async Task<Outcome<IReadOnlyList<HouseholdMemberDto>>> LinkAsync(long customerId, HouseholdLinkRequest r, CancellationToken ct = default)
    {
        var customer = await VisibleAsync(customerId, ct);
        if (customer is null)
        {
            return new CustomerNotFound(customerId);
        }

        if (!user.Can(Permission.CustomersManage))
        {
            return new CustomerActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var reference = r.RelatedReference?.Trim().ToUpperInvariant();
        var related = string.IsNullOrEmpty(reference) ? null : await Visible().SingleOrDefaultAsync(c => c.Reference == reference, ct);
        if (related is null)
        {
            errors["relatedReference"] = ["Give the customer number of a customer of your branches. 请填写您所在机构客户的客户编号。"];
        }
        else if (related.Id == customerId)
        {
            errors["relatedReference"] = ["A customer cannot be linked to themselves. 不能与客户本人关联。"];
        }
        else if (await db.Set<HouseholdLink>().AnyAsync(l => (l.CustomerId == customerId && l.RelatedCustomerId == related.Id) || (l.CustomerId == related.Id && l.RelatedCustomerId == customerId), ct))
        {
            errors["relatedReference"] = ["These two customers are already linked. 这两位客户已关联。"];
        }

        if (r.Relation is null)
        {
            errors["relation"] = ["Choose the relation. 请选择关系。"];
        }

        var note = r.Note?.Trim();
        if (note is { Length: > 200 })
        {
            errors["note"] = ["Up to 200 characters. 不超过 200 字。"];
        }

        if (errors.Count > 0)
        {
            return new CustomerInvalid(errors);
        }

        db.Add(new HouseholdLink
        {
            CustomerId = customerId, RelatedCustomerId = related!.Id, Relation = r.Relation!.Value, Note = string.IsNullOrEmpty(note) ? null : note,
            CreatedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return await MembersAsync(customerId, ct);
    }

    public async Task<Outcome<IReadOnlyList<HouseholdMemberDto>>> UnlinkAsync(long customerId, long linkId, CancellationToken ct = default)
    {
        if (await VisibleAsync(customerId, ct) is null)
        {
            return new CustomerNotFound(customerId);
        }

        if (!user.Can(Permission.CustomersManage))
        {
            return new CustomerActionForbidden();
        }

        var link = await db.Set<HouseholdLink>().SingleOrDefaultAsync(l => l.Id == linkId && (l.CustomerId == customerId || l.RelatedCustomerId == customerId), ct);
        if (link is null)
        {
            return new HouseholdNotFound(linkId);
        }

        db.Remove(link);
        await db.SaveChangesAsync(ct);
        return await MembersAsync(customerId, ct);
    }

    private IQueryable<Customer> Visible() => CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds);

    private Task<Customer?> VisibleAsync(long id, CancellationToken ct) => Visible().SingleOrDefaultAsync(c => c.Id == id, ct);
}
