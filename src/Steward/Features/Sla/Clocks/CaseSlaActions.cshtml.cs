using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Clocks;

/// <summary>An error of one form of the SLA panel, carried to the case page (PRG) so that it is shown next to that form.</summary>
public sealed record SlaFormError(string Form, string Code, string Title, string Detail, IReadOnlyList<string> Messages)
{
    internal const string Key = "SlaError";

    internal static SlaFormError? Take(ITempDataDictionary temp) =>
        temp[Key] is string json ? JsonSerializer.Deserialize<SlaFormError>(json) : null;
}

/// <summary>
/// The forms of the case page's SLA panel (<c>_CaseSla.cshtml</c>) post here: request an extension, approve or reject
/// one, restart a regulatory clock on new facts. Same rules as the API (<see cref="CaseSlaService"/>); success and
/// errors go back to the case page (post/redirect/get), the error next to the form that caused it.
/// </summary>
[RequirePermission(Permission.CasesWork)]
public sealed class CaseSlaActionsModel(CaseSlaService service) : PageModel
{
    internal const string DoneKey = "SlaDone";

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public IActionResult OnGet() => Back();

    /// <param name="clock">"TargetType|Layer" of the clock to extend.</param>
    public async Task<IActionResult> OnPostExtendAsync(string? clock, int? newAmount, int? addAmount, string? reason, CancellationToken ct)
    {
        var (type, layer) = ParseClock(clock);
        if (type is null)
        {
            return Fail("extend", new InvalidClockRequest("clock", "Choose the target to extend. 请选择要延期的目标。"));
        }

        if (newAmount is null && addAmount is null)
        {
            return Fail("extend", new InvalidClockRequest("newAmount", "Give the new total or the amount to add. 请填写新的总时限或增加的时长。"));
        }

        var outcome = await service.RequestExtensionAsync(Id, new SlaExtensionRequest(type, layer, newAmount, newAmount is null ? addAmount : null, reason), ct);
        return outcome.Succeeded
            ? Done(outcome.Value!.Status == SlaExtensionStatus.Approved ? "Applied" : "Requested")
            : Fail("extend", outcome.Error!);
    }

    public Task<IActionResult> OnPostApproveAsync(long extensionId, int? version, string? note, CancellationToken ct) =>
        DecideAsync(extensionId, approve: true, version, note, ct);

    public Task<IActionResult> OnPostRejectAsync(long extensionId, int? version, string? note, CancellationToken ct) =>
        DecideAsync(extensionId, approve: false, version, note, ct);

    public async Task<IActionResult> OnPostRestartAsync(string? clock, string? reason, CancellationToken ct)
    {
        var (type, layer) = ParseClock(clock);
        var outcome = await service.RestartAsync(Id, new SlaRestartRequest(type ?? SlaTargetType.Resolution, layer ?? SlaLayer.Regulatory, reason),
            CultureInfo.CurrentUICulture.Name, ct);
        return outcome.Succeeded ? Done("Restarted") : Fail("restart", outcome.Error!);
    }

    private async Task<IActionResult> DecideAsync(long extensionId, bool approve, int? version, string? note, CancellationToken ct)
    {
        var outcome = await service.DecideAsync(Id, extensionId, approve, new SlaDecisionRequest(note, version), ct);
        return outcome.Succeeded ? Done(approve ? "Approved" : "Rejected") : Fail("decide-" + extensionId.ToString(CultureInfo.InvariantCulture), outcome.Error!);
    }

    private IActionResult Done(string what)
    {
        TempData[DoneKey] = what;
        return Back();
    }

    private IActionResult Fail(string form, Error error)
    {
        if (error is NotFoundError { Code: "case-not-found" })
        {
            return NotFound();
        }

        var messages = error is InvalidError { Fields: { } fields } ? fields.SelectMany(f => f.Value).ToList() : [];
        TempData[SlaFormError.Key] = JsonSerializer.Serialize(new SlaFormError(form, error.Code, error.Title, error.Detail, messages));
        return Back();
    }

    private RedirectResult Back() => Redirect("/Cases/" + Id.ToString(CultureInfo.InvariantCulture) + "#sla-heading");

    private static (SlaTargetType? Type, SlaLayer? Layer) ParseClock(string? clock)
    {
        var parts = (clock ?? "").Split('|');
        return parts.Length == 2 && Enum.TryParse<SlaTargetType>(parts[0], out var type) && Enum.TryParse<SlaLayer>(parts[1], out var layer)
            && Enum.IsDefined(type) && Enum.IsDefined(layer)
            ? (type, layer)
            : (null, null);
    }
}
