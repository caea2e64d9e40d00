using Microsoft.AspNetCore.Mvc;

namespace Steward.Features.Tiering;

/// <summary>The tier history section of the customer page: <c>@await Component.InvokeAsync("TierHistory", new { customerId })</c>.</summary>
public sealed class TierHistoryViewComponent(TierHistory history) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long customerId)
    {
        var result = await history.ForAsync(customerId, HttpContext.RequestAborted);
        return View("/Features/Customers/_TierHistory.cshtml", result.Succeeded ? result.Value : null);
    }
}
