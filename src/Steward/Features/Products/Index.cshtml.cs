using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Products;

[RequirePermission(Permission.ProductsRead)]
public sealed class ProductsIndexModel(ProductService products) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public ProductCategory? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public ProductRiskLevel? Risk { get; set; }

    [BindProperty(SupportsGet = true)]
    public ProductStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public ProductPage Result { get; private set; } = new([], 0);

    public async Task OnGetAsync(CancellationToken ct) =>
        Result = await products.ListAsync(new ProductListQuery { Category = Category, RiskLevel = Risk, Status = Status, Q = Q }, ct);
}
