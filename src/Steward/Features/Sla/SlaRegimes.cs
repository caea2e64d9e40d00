using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Localization;

namespace Steward.Features.Sla;

/// <summary>The regulatory regime a branch's cases fall under, and the language its customers are written to in.</summary>
public static class SlaRegimes
{
    /// <summary>The code of the regulatory preset that applies to <paramref name="branchId"/> (the branch's own, else the institution's), or null.</summary>
    public static async Task<string?> CodeOfBranchAsync(StewardDbContext db, long branchId, CancellationToken ct)
    {
        var standardId = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == branchId).Select(b => b.RegulatoryStandardId).SingleOrDefaultAsync(ct)
            ?? await db.Set<SlaSettings>().AsNoTracking().Where(s => s.Scope == SlaSettings.InstitutionScope).Select(s => s.RegulatoryStandardId).SingleOrDefaultAsync(ct);
        return standardId is { } id ? await db.Set<SlaStandard>().AsNoTracking().Where(s => s.Id == id).Select(s => s.Code).SingleOrDefaultAsync(ct) : null;
    }

    /// <summary>
    /// The language a notice to a customer of a branch under <paramref name="regime"/> is written in when the customer has stated
    /// none (<see cref="Customers.CustomerLanguages"/>): the jurisdiction that serves them decides, English under the FCA's rules,
    /// Chinese under the PRC's or none (the institution's working language). One language, never both halves in one message.
    /// </summary>
    public static string CustomerLanguage(string? regime) => regime == SlaPresets.FcaCode ? Cultures.English : Cultures.Chinese;
}
