using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Features.Customers.Household;

/// <summary>A few households among the demo's individual customers: pairs in the same branch as spouses, parent and child, guardian and dependant.</summary>
public static class HouseholdDemoData
{
    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => c.Kind == CustomerKind.Individual).OrderBy(c => c.Id).Take(90)
            .Select(c => new { c.Id, c.HomeBranchId }).ToListAsync(ct);
        HouseholdRelation[] relations = [HouseholdRelation.Spouse, HouseholdRelation.Child, HouseholdRelation.Spouse, HouseholdRelation.Dependant, HouseholdRelation.Parent];
        var n = 0;
        foreach (var branch in customers.GroupBy(c => c.HomeBranchId))
        {
            var members = branch.ToList();
            for (var i = 0; i + 1 < members.Count && i < 10; i += 2)
            {
                db.Add(new HouseholdLink
                {
                    CustomerId = members[i].Id, RelatedCustomerId = members[i + 1].Id, Relation = relations[n++ % relations.Length], CreatedAt = now.AddDays(-(n * 11 % 200)),
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
