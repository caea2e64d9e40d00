using Microsoft.EntityFrameworkCore;
using Steward.Features.Sla;
using Steward.Platform.Database;

namespace Steward.Features.Customers;

/// <summary>
/// The one language Steward writes to a customer in — a survey invitation, an SLA extension notice, a complaint letter's
/// default: the language on their file when they stated one, else the branch's regime's (<see cref="SlaRegimes.CustomerLanguage"/>).
/// A contact with no customer file has only the regime's.
/// </summary>
public static class CustomerLanguages
{
    public static async Task<string> ForAsync(StewardDbContext db, long? customerId, long branchId, CancellationToken ct)
    {
        if (customerId is { } id
            && await db.Set<Customer>().AsNoTracking().Where(c => c.Id == id).Select(c => c.PreferredLanguage).SingleOrDefaultAsync(ct) is { } stated)
        {
            return stated;
        }

        return SlaRegimes.CustomerLanguage(await SlaRegimes.CodeOfBranchAsync(db, branchId, ct));
    }
}
