using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>What the complaint page's corrective-action section shows, and the refusal of its last post (if any).</summary>
public sealed record ComplaintActionsView(
    ComplaintDto Complaint, ComplaintActionList List, IReadOnlyList<ComplaintOwner> Owners, IReadOnlyList<(long Id, string FileName)> Attachments,
    DateOnly Today, string TimeZone, Error? Error)
{
    public bool MayHaveActions => Complaint.Outcome is ComplaintOutcome.Upheld or ComplaintOutcome.PartlyUpheld;
}

/// <summary>
/// The complaint page's corrective actions and recurrences:
/// <c>@await Component.InvokeAsync("ComplaintActions", new { complaint, error })</c>; its forms post to the page's
/// <c>Action</c> handler (<see cref="ComplaintActionForm"/>), whose refusal comes back here as <c>error</c>.
/// </summary>
public sealed class ComplaintActionsViewComponent(ComplaintActions actions, ComplaintService complaints, TimeProvider time) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(ComplaintDto complaint, Error? error)
    {
        var ct = HttpContext.RequestAborted;
        var list = await actions.ListAsync(complaint.Id, ct);
        if (!list.Succeeded)
        {
            return Content("");
        }

        var zone = await complaints.TimeZoneOfBranchAsync(complaint.BranchId, ct);
        return View("/Features/Complaints/_ComplaintActions.cshtml", new ComplaintActionsView(
            complaint, list.Value, await actions.OwnersAsync(complaint.BranchId, ct), await actions.AttachmentsAsync(complaint.CaseId, ct),
            ComplaintActions.TodayIn(zone, time.GetUtcNow()), zone, error));
    }
}

/// <summary>
/// The complaint page's corrective-action forms (<c>op</c> = <c>create</c> or <c>status</c>) read into requests; a value that
/// does not parse is refused at its field like any other.
/// </summary>
public static class ComplaintActionForm
{
    public static async Task<Error?> SubmitAsync(ComplaintActions actions, long complaintId, IFormCollection form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string? Text(string field) => form[field].ToString() is { Length: > 0 } s ? s : null;
        long? Id(string field)
        {
            if (Text(field) is not { } s)
            {
                return null;
            }

            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }

            errors[field] = ["Choose from the list. 请从列表中选择。"];
            return null;
        }

        if (Text("op") == "status")
        {
            ComplaintActionStatus? status = Enum.TryParse<ComplaintActionStatus>(Text("status"), out var s) && Enum.IsDefined(s) ? s : null;
            var version = int.TryParse(Text("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;
            var actionId = Id("actionId");
            var attachment = Id("evidenceAttachmentId");
            if (errors.Count > 0 || actionId is null)
            {
                return actionId is null ? new ComplaintActionNotFound(0) : new ComplaintInvalid(errors);
            }

            return (await actions.ChangeStatusAsync(complaintId, actionId.Value, new ComplaintActionStatusRequest(status, Text("evidenceNote"), attachment, Text("reason"), version), ct)).Error;
        }

        var owner = Id("ownerId");
        DateOnly? due = null;
        if (Text("dueOn") is { } day)
        {
            if (DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                due = parsed;
            }
            else
            {
                errors["dueOn"] = ["A date as YYYY-MM-DD. 请按 YYYY-MM-DD 填写日期。"];
            }
        }

        return errors.Count > 0
            ? new ComplaintInvalid(errors)
            : (await actions.CreateAsync(complaintId, new ComplaintActionRequest(Text("title"), Text("description"), owner, due), ct)).Error;
    }
}
