using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Customers;

/// <summary>The customers of the reader's branches: search by number, name, exact phone or identity number, filter by KYC status.</summary>
[RequirePermission(Permission.CustomersRead)]
public sealed class CustomersIndexModel(CustomerFileService customers) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public KycStatus? Kyc { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public CustomerListPage Result { get; private set; } = new([], 0);

    public int Pages => Math.Max(1, (Result.Total + CustomerFileService.PageSize - 1) / CustomerFileService.PageSize);

    public async Task OnGetAsync(CancellationToken ct) =>
        Result = await customers.ListAsync(new CustomerListQuery { Q = Q, Kyc = Kyc, Page = Math.Max(1, PageNumber) }, ct);

    /// <summary>This list's address on another page, with the same search.</summary>
    public string PageUrl(int page) => QueryString.Create(new KeyValuePair<string, string?>[]
    {
        new("q", Q), new("kyc", Kyc?.ToString()), new("p", page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    }).ToUriComponent();
}
