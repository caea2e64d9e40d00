using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Complaints;

/// <summary>One choice of a select on the complaint forms.</summary>
public sealed record ComplaintChoice(string Value, string Text);

/// <summary>What the complaint forms offer: the codes in force, the catalogue's products, the staff of the case's branch.</summary>
public sealed record ComplaintChoices(
    IReadOnlyDictionary<ComplaintCodeSet, IReadOnlyList<ComplaintChoice>> Codes, IReadOnlyList<ComplaintChoice> Products, IReadOnlyList<ComplaintChoice> Staff);

public sealed class ComplaintFormOptions(StewardDbContext db, ComplaintService complaints)
{
    /// <summary>A JR/T code with its name ("A01 营业现场"); the nature and the FCA group by name only (their codes are English words).</summary>
    private static string Text(ComplaintCodeDto c) =>
        c.CodeSet is ComplaintCodeSet.Nature or ComplaintCodeSet.FcaProductGroup ? ComplaintDisplay.Name(c) : c.Code + " " + ComplaintDisplay.Name(c);

    public async Task<ComplaintChoices> ForBranchAsync(long branchId, CancellationToken ct)
    {
        var zh = Cultures.IsChinese(CultureInfo.CurrentUICulture);
        var taxonomy = await complaints.TaxonomyAsync(ct);
        var codes = taxonomy.Codes.GroupBy(c => c.CodeSet).ToDictionary(g => g.Key,
            g => (IReadOnlyList<ComplaintChoice>)[.. g.Where(c => !c.Retired).Select(c => new ComplaintChoice(c.Code, Text(c)))]);
        var products = await db.Set<Product>().AsNoTracking().OrderBy(p => p.Code).Select(p => new { p.Id, p.Code, p.Name, p.NameEn }).ToListAsync(ct);
        var staff = await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && (s.HomeBranchId == branchId || s.ExtraBranches.Any(b => b.BranchId == branchId)))
            .OrderBy(s => s.DisplayName).Select(s => new { s.Id, s.DisplayName, s.Username }).ToListAsync(ct);
        return new ComplaintChoices(codes,
            [.. products.Select(p => new ComplaintChoice(p.Id.ToString(CultureInfo.InvariantCulture), p.Code + " " + (zh ? p.Name : p.NameEn)))],
            [.. staff.Select(s => new ComplaintChoice(s.Id.ToString(CultureInfo.InvariantCulture), s.DisplayName + " (" + s.Username + ")"))]);
    }
}
