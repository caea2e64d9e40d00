using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Identity;

namespace Steward.Features.Suitability;

/// <summary>What the customer page shows of suitability: the risk level with its assessments, and the suitability decisions.</summary>
public sealed record CustomerSuitabilityView(
    long CustomerId, string? Zone, IReadOnlyList<AssessmentDto> Assessments, IReadOnlyList<DecisionDto> Decisions, bool CanCheck, string? Link, DateTimeOffset? LinkExpires);

public sealed class CustomerSuitabilityViewComponent(RiskAssessments assessments, SuitabilityChecks checks, CurrentUser user) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long customerId, string? link = null, DateTimeOffset? linkExpires = null)
    {
        var ct = HttpContext.RequestAborted;
        var history = await assessments.HistoryAsync(customerId, ct);
        var view = new CustomerSuitabilityView(
            customerId, await assessments.ZoneOfAsync(customerId, ct), history.Succeeded ? history.Value : [], await checks.ForCustomerAsync(customerId, ct),
            user.Can(Permission.SuitabilityCheck), link, linkExpires);
        return View("/Features/Suitability/_CustomerSuitability.cshtml", view);
    }
}
