using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Holdings;

/// <summary>
/// Reading holdings and imports. A customer's holdings follow the customer directory's scope: a customer of another
/// branch is not found (<see cref="CustomerDirectory.Within"/>). Imports are read by those who may import.
/// </summary>
public sealed class HoldingQueries(StewardDbContext db, CurrentUser user, IStringLocalizer<SharedResource> l)
{
    /// <summary>At most this many imports in a list, newest first.</summary>
    public const int ListSize = 100;

    public async Task<Outcome<CustomerHoldingsDto>> CustomerAsync(long customerId, CancellationToken ct = default)
    {
        var customer = await CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds)
            .Where(c => c.Id == customerId).Select(c => new { c.Id, c.Reference }).SingleOrDefaultAsync(ct);
        if (customer is null)
        {
            return new HoldingCustomerNotFound(customerId);
        }

        var rows = await db.Set<Holding>().AsNoTracking().Where(h => h.CustomerId == customerId)
            .Join(db.Set<Product>(), h => h.ProductId, p => p.Id, (h, p) => new { h, p.Code, p.Name, p.NameEn })
            .ToListAsync(ct);
        return new CustomerHoldingsDto(customer.Id, customer.Reference, [.. rows.OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => new HoldingDto(r.h.Id, r.h.ProductId, r.Code, r.Name, r.NameEn, r.h.Balance, r.h.Currency, r.h.AsOf, r.h.ImportId, r.h.UpdatedAt))]);
    }

    public async Task<IReadOnlyList<HoldingImportSummary>> ImportsAsync(CancellationToken ct = default) =>
        await db.Set<HoldingImport>().AsNoTracking().OrderByDescending(i => i.Id).Take(ListSize)
            .Select(i => new HoldingImportSummary(i.Id, i.FileName, i.Sha256, i.Format, i.RowsRead, i.RowsAccepted, i.RowsRejected, i.ImportedById, i.ImportedAt))
            .ToListAsync(ct);

    public async Task<Outcome<HoldingImportDto>> ImportAsync(long id, CancellationToken ct = default)
    {
        var import = await db.Set<HoldingImport>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null)
        {
            return new HoldingImportNotFound(id);
        }

        var rejections = await db.Set<HoldingImportRejection>().AsNoTracking().Where(r => r.ImportId == id).OrderBy(r => r.RowNumber).ThenBy(r => r.Id).ToListAsync(ct);
        return new HoldingImportDto(import.Id, import.FileName, import.Sha256, import.Format, import.RowsRead, import.RowsAccepted, import.RowsRejected,
            import.ImportedById, import.ImportedAt, [.. rejections.Select(r => new HoldingRejectionDto(r.RowNumber, r.Field, r.Reason, r.Value, Message(r)))]);
    }

    /// <summary>The reason of a refused row in the reader's language, naming the field and the value.</summary>
    public string Message(HoldingImportRejection r) => l["holding.reject." + r.Reason, r.Field, r.Value ?? ""];
}

/// <summary>
/// Who holds a product, from the holdings table: customers with a balance above zero, with their risk tolerance. Only
/// the customers the reader may see are listed (their branches, or all for institution-wide roles), so a risk raise
/// read by a branch's staff names that branch's holders only.
/// </summary>
public sealed class TableProductHoldings(StewardDbContext db, CurrentUser user) : IProductHoldings
{
    public async Task<IReadOnlyList<ProductHolder>> HoldersAsync(long productId, CancellationToken ct = default)
    {
        var customers = CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds);
        var rows = await db.Set<Holding>().AsNoTracking().Where(h => h.ProductId == productId)
            .Join(customers, h => h.CustomerId, c => c.Id, (h, c) => new { c.Id, c.Reference, c.RiskTolerance, h.Balance })
            .ToListAsync(ct);
        // Balances compared here: SQLite keeps decimals as text.
        return [.. rows.Where(r => r.Balance > 0).OrderBy(r => r.Reference, StringComparer.Ordinal)
            .Select(r => new ProductHolder(r.Id, r.Reference, r.RiskTolerance == RiskTolerance.Unassessed ? null : (int)r.RiskTolerance, r.Balance))];
    }
}
