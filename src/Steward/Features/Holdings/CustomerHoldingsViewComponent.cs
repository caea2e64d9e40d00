using Microsoft.AspNetCore.Mvc;

namespace Steward.Features.Holdings;

/// <summary>The customer page's holdings section: products and balances as the core banking system last reported them.</summary>
public sealed class CustomerHoldingsViewComponent(HoldingQueries holdings) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long customerId)
    {
        var found = await holdings.CustomerAsync(customerId, HttpContext.RequestAborted);
        return View("/Features/Holdings/_CustomerHoldings.cshtml", found.Succeeded ? found.Value : null);
    }
}
