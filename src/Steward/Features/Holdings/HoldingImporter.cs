using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Holdings;

/// <summary>
/// Imports a holdings file from the core banking system (docs/decisions/0027-holdings-import.md). Every row is checked:
/// the customer reference must name a customer the importer may see (another branch's customer is unknown, as
/// everywhere), the product code a product; the balance a number ≥ 0 with two decimals at most; the currency three
/// letters; as_of a real date (yyyy-MM-dd) not after today in the customer's home branch; one customer and product once
/// per file (every row of a repeated pair is refused). An accepted row replaces the customer's holding of the product,
/// unless the stored one is as of a later date. The import, its refused rows and its accepted rows are written in one
/// transaction; a file whose content (SHA-256) was imported before is answered with that import and writes nothing.
/// </summary>
public sealed partial class HoldingImporter(StewardDbContext db, CurrentUser user, TimeProvider time, HoldingQueries queries)
{
    private const int Chunk = 500;

    private static readonly UniqueIndex OneImportPerFile = new("holding_imports", "ix_holding_imports_sha256", "sha256");

    private static readonly UniqueIndex OneHoldingPerProduct = new("holdings", "ix_holdings_customer_id_product_id", "customer_id", "product_id");

    public static string HashOf(HoldingFile file) => Convert.ToHexStringLower(SHA256.HashData(file.Content));

    /// <summary>The earlier import of the same content, if any.</summary>
    public async Task<HoldingImportOutcome?> EarlierAsync(HoldingFile file, CancellationToken ct = default)
    {
        var hash = HashOf(file);
        var earlier = await db.Set<HoldingImport>().AsNoTracking().Where(i => i.Sha256 == hash).Select(i => (long?)i.Id).SingleOrDefaultAsync(ct);
        return earlier is { } id ? new HoldingImportOutcome((await queries.ImportAsync(id, ct)).Value!, AlreadyImported: true) : null;
    }

    public async Task<Outcome<HoldingImportOutcome>> ImportAsync(HoldingFile file, CancellationToken ct = default)
    {
        if (await EarlierAsync(file, ct) is { } earlier)
        {
            return earlier;
        }

        var hash = HashOf(file);

        var read = HoldingFileReader.Read(file);
        if (!read.Succeeded)
        {
            return read.Error!;
        }

        var rows = read.Value!;
        var now = time.GetUtcNow();
        var import = new HoldingImport
        {
            FileName = Path.GetFileName(file.FileName) is { Length: > 0 } name ? name[..Math.Min(name.Length, 200)] : "holdings",
            Sha256 = hash, Format = file.Format, RowsRead = rows.Count, ImportedById = user.StaffId, ImportedAt = now,
        };

        var customers = await CustomersAsync(rows, ct);
        var products = await db.Set<Product>().AsNoTracking().ToDictionaryAsync(p => p.Code, p => p.Id, StringComparer.Ordinal, ct);
        var zones = await db.Set<Branch>().AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.TimeZone, ct);
        var stored = await StoredAsync(customers.Values.Select(c => c.Id), ct);
        var pairs = rows.Where(r => r.CustomerReference is not null && r.ProductCode is not null)
            .GroupBy(r => (Customer: r.CustomerReference!.ToUpperInvariant(), Product: r.ProductCode!.ToUpperInvariant()))
            .Where(g => g.Count() > 1).SelectMany(g => g.Select(r => (r.Number, Others: g.Where(o => o.Number != r.Number).Select(o => o.Number).ToList())))
            .ToDictionary(x => x.Number, x => x.Others);

        foreach (var row in rows)
        {
            var rejected = new List<HoldingImportRejection>();
            void Reject(string field, HoldingRejectReason reason, string? value) =>
                rejected.Add(new HoldingImportRejection { RowNumber = row.Number, Field = field, Reason = reason, Value = value is { Length: > 200 } ? value[..200] : value });

            var customer = Required(row.CustomerReference, "customer_reference") is { } reference
                ? customers.TryGetValue(reference.ToUpperInvariant(), out var c) ? c : Fail("customer_reference", HoldingRejectReason.UnknownCustomer, reference)
                : null;
            long? productId = Required(row.ProductCode, "product_code") is { } code
                ? products.TryGetValue(code.ToUpperInvariant(), out var p) ? p : FailId("product_code", HoldingRejectReason.UnknownProduct, code)
                : null;
            var balance = Required(row.Balance, "balance") is { } b ? Balance(b) : null;
            var currency = Required(row.Currency, "currency") is { } cur
                ? CurrencyCode().IsMatch(cur) ? cur.ToUpperInvariant() : FailText("currency", HoldingRejectReason.CurrencyInvalid, cur)
                : null;
            DateOnly? asOf = null;
            if (Required(row.AsOf, "as_of") is { } d)
            {
                if (!DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    Reject("as_of", HoldingRejectReason.DateInvalid, d);
                }
                else if (date > QualificationRegistry.LocalDate(now, customer is null ? null : zones.GetValueOrDefault(customer.BranchId)))
                {
                    Reject("as_of", HoldingRejectReason.DateInFuture, d);
                }
                else
                {
                    asOf = date;
                }
            }

            if (pairs.TryGetValue(row.Number, out var others))
            {
                Reject("customer_reference", HoldingRejectReason.Duplicate, string.Join(", ", others.Select(o => o.ToString(CultureInfo.InvariantCulture))));
            }

            Holding? held = null;
            if (rejected.Count == 0 && stored.TryGetValue((customer!.Id, productId!.Value), out held) && held.AsOf > asOf!.Value)
            {
                Reject("as_of", HoldingRejectReason.OlderThanStored, row.AsOf);
            }

            if (rejected.Count > 0)
            {
                import.Rejections.AddRange(rejected);
                import.RowsRejected++;
                continue;
            }

            import.RowsAccepted++;
            if (held is null)
            {
                held = new Holding { CustomerId = customer!.Id, ProductId = productId!.Value };
                stored[(held.CustomerId, held.ProductId)] = held;
                db.Add(held);
            }

            held.Balance = balance!.Value;
            held.Currency = currency!;
            held.AsOf = asOf!.Value;
            held.Import = import;

            string? Required(string? value, string field)
            {
                if (value is null)
                {
                    Reject(field, HoldingRejectReason.Required, null);
                }

                return value;
            }

            CustomerKey? Fail(string field, HoldingRejectReason reason, string value)
            {
                Reject(field, reason, value);
                return null;
            }

            long? FailId(string field, HoldingRejectReason reason, string value)
            {
                Reject(field, reason, value);
                return null;
            }

            string? FailText(string field, HoldingRejectReason reason, string value)
            {
                Reject(field, reason, value);
                return null;
            }

            decimal? Balance(string text)
            {
                if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
                {
                    Reject("balance", HoldingRejectReason.BalanceNotANumber, text);
                    return null;
                }

                if (amount < 0)
                {
                    Reject("balance", HoldingRejectReason.BalanceNegative, text);
                    return null;
                }

                if (amount.Scale > 2 && amount != Math.Round(amount, 2) || amount >= 10_000_000_000_000_000m)
                {
                    Reject("balance", HoldingRejectReason.BalanceTooPrecise, text);
                    return null;
                }

                return amount;
            }
        }

        db.Add(import);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (OneImportPerFile.IsViolatedBy(e))
        {
            // The same file sent twice at the same moment: the other request's import stands, and is the answer to both.
            db.ChangeTracker.Clear();
            return (await EarlierAsync(file, ct))!;
        }
        catch (DbUpdateException e) when (OneHoldingPerProduct.IsViolatedBy(e))
        {
            // Another file set the same customer's holding of the same product in the same instant: nothing of this one
            // is kept, and it may be sent again (it will then be judged against what the other stored).
            db.ChangeTracker.Clear();
            return Problems.StaleVersion();
        }

        return new HoldingImportOutcome((await queries.ImportAsync(import.Id, ct)).Value!, AlreadyImported: false);
    }

    private sealed record CustomerKey(long Id, long BranchId);

    /// <summary>The customers the rows name that the importer may see, by upper-case reference.</summary>
    private async Task<Dictionary<string, CustomerKey>> CustomersAsync(IEnumerable<HoldingRow> rows, CancellationToken ct)
    {
        var references = rows.Select(r => r.CustomerReference?.ToUpperInvariant()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, CustomerKey>(StringComparer.Ordinal);
        foreach (var chunk in references.Chunk(Chunk))
        {
            var list = chunk.ToList();
            var visible = CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds);
            foreach (var c in await visible.Where(c => list.Contains(c.Reference)).Select(c => new { c.Reference, c.Id, c.HomeBranchId }).ToListAsync(ct))
            {
                found[c.Reference.ToUpperInvariant()] = new CustomerKey(c.Id, c.HomeBranchId);
            }
        }

        return found;
    }

    /// <summary>The stored holdings of these customers, tracked, by customer and product.</summary>
    private async Task<Dictionary<(long, long), Holding>> StoredAsync(IEnumerable<long> customerIds, CancellationToken ct)
    {
        var stored = new Dictionary<(long, long), Holding>();
        foreach (var chunk in customerIds.Distinct().Chunk(Chunk))
        {
            var list = chunk.ToList();
            foreach (var h in await db.Set<Holding>().Where(h => list.Contains(h.CustomerId)).ToListAsync(ct))
            {
                stored[(h.CustomerId, h.ProductId)] = h;
            }
        }

        return stored;
    }

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();
}
