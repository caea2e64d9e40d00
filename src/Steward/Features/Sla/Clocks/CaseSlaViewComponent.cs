using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Steward.Features.Sla.Clocks;

/// <summary>The SLA panel of the case page: <c>@await Component.InvokeAsync("CaseSla", new { caseId })</c>.</summary>
public sealed class CaseSlaViewComponent(CaseSlaService service) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long caseId)
    {
        var sla = await service.GetAsync(caseId, CultureInfo.CurrentUICulture.Name, HttpContext.RequestAborted);
        // Outcome of the panel's last form (CaseSlaActions, post/redirect/get): shown once, next to that form.
        ViewData["SlaError"] = SlaFormError.Take(TempData);
        ViewData["SlaDone"] = TempData[CaseSlaActionsModel.DoneKey] as string;
        return View("/Features/Sla/Clocks/_CaseSla.cshtml", sla.Succeeded ? sla.Value : null);
    }
}
