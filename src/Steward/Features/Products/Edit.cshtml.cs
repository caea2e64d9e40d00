using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Qualifications;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Products;

/// <summary>Create (no id) or edit a product; a refused save keeps what was typed and shows each message at its field.</summary>
[RequirePermission(Permission.ProductsManage)]
public sealed class ProductEditModel(ProductService products, FormIdempotency idempotency, CurrentUser user) : PageModel
{
    public sealed class ProductForm
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? NameEn { get; set; }
        public ProductCategory? Category { get; set; }
        public ProductRiskLevel? IssuerRiskLevel { get; set; }
        public ProductRiskLevel? DistributorRiskLevel { get; set; }
        // Numbers are taken as typed and read here, so that "abc" gets a message at its field (not the error page).
        public string? ExpectedReturnMinPercent { get; set; }
        public string? ExpectedReturnMaxPercent { get; set; }
        public string? LiquidityDays { get; set; }
        public string? TermDays { get; set; }
        public string? MinimumAmount { get; set; }
        public string? Currency { get; set; } = "CNY";
        public bool RecordedSalesRequired { get; set; }
        public long? RequiredQualificationTypeId { get; set; }
        public int? Version { get; set; }
        public string? IdempotencyKey { get; set; }

        /// <summary>The request, and the fields whose text is not a number (message at the field).</summary>
        public (ProductSaveRequest Request, Dictionary<string, string[]> Unreadable) ToRequest()
        {
            var unreadable = new Dictionary<string, string[]>();
            decimal? Dec(string field, string? text) => Read<decimal>(field, text, t => decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null, unreadable);
            int? Int(string field, string? text) => Read<int>(field, text, t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, unreadable);
            var request = new ProductSaveRequest(Code, Name, NameEn, Category, IssuerRiskLevel, DistributorRiskLevel,
                Dec("expectedReturnMinPercent", ExpectedReturnMinPercent), Dec("expectedReturnMaxPercent", ExpectedReturnMaxPercent),
                Int("liquidityDays", LiquidityDays), Int("termDays", TermDays), Dec("minimumAmount", MinimumAmount?.Replace(",", "", StringComparison.Ordinal)),
                Currency, RecordedSalesRequired, RequiredQualificationTypeId, Version);
            return (request, unreadable);
        }

        private static T? Read<T>(string field, string? text, Func<string, T?> parse, Dictionary<string, string[]> unreadable) where T : struct
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var value = parse(text.Trim());
            if (value is null)
            {
                unreadable[field] = ["Write a number, e.g. 2.5. 请填写数字，例如 2.5。"];
            }

            return value;
        }
    }

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public ProductForm Input { get; set; } = new();

    public IReadOnlyList<QualificationType> Types { get; private set; } = [];

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Types = await products.QualificationTypesAsync(ct);
        if (Id is not { } id)
        {
            Input.IdempotencyKey = Guid.NewGuid().ToString("N");
            return Page();
        }

        var found = await products.GetAsync(id, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        var p = found.Value;
        Input = new ProductForm
        {
            Code = p.Code, Name = p.Name, NameEn = p.NameEn, Category = p.Category, IssuerRiskLevel = p.IssuerRiskLevel, DistributorRiskLevel = p.DistributorRiskLevel,
            ExpectedReturnMinPercent = Text(p.ExpectedReturnMinPercent), ExpectedReturnMaxPercent = Text(p.ExpectedReturnMaxPercent),
            LiquidityDays = Text(p.LiquidityDays), TermDays = Text(p.TermDays), MinimumAmount = Text(p.MinimumAmount), Currency = p.Currency, RecordedSalesRequired = p.RecordedSalesRequired,
            RequiredQualificationTypeId = p.RequiredQualificationTypeId, Version = p.Version,
        };
        return Page();
    }

    private static string? Text(IFormattable? value) => value?.ToString(null, CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (request, unreadable) = Input.ToRequest();
        if (unreadable.Count > 0)
        {
            // Report the unreadable numbers together with the other fields' messages, and save nothing.
            var errors = ProductValidation.Check(request, qualificationExists: true);
            foreach (var (field, messages) in unreadable)
            {
                errors[field] = messages;
            }

            return await RefusedAsync(new ProductInvalid(errors), ct);
        }

        var saved = Id is { } id
            ? await products.UpdateAsync(id, request, ct)
            : await idempotency.RunAsync(Idempotency.CallerOf(user), "POST /Products/Edit", Input.IdempotencyKey, request, c => products.CreateAsync(request, c), ct);
        if (saved.Succeeded)
        {
            return Redirect("/Products/Details?id=" + saved.Value.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return await RefusedAsync(saved.Error, ct);
    }

    private async Task<IActionResult> RefusedAsync(Error error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = error.Status;
        Types = await products.QualificationTypesAsync(ct);
        return Page();
    }
}
