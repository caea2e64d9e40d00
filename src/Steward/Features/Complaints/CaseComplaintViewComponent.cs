using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>What the case page shows of the case's complaint: a link to its record, or — for a complaint case not yet taken in — to the intake.</summary>
public sealed record CaseComplaintLink(long CaseId, long? ComplaintId, bool IsComplaintCase);

/// <summary>The case page's link to the complaint record (for those who handle complaints).</summary>
public sealed class CaseComplaintViewComponent(StewardDbContext db, CurrentUser user) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long caseId, CaseKind kind)
    {
        if (!user.Can(Permission.ComplaintsHandle) && !user.Can(Permission.ComplaintsOversee))
        {
            return Content("");
        }

        var complaintId = await db.Set<Complaint>().AsNoTracking().Where(c => c.CaseId == caseId).Select(c => (long?)c.Id).SingleOrDefaultAsync(HttpContext.RequestAborted);
        return View("/Features/Complaints/_CaseComplaint.cshtml", new CaseComplaintLink(caseId, complaintId, kind == CaseKind.Complaint));
    }
}
