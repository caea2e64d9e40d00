using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Standards;

/// <summary>One version's targets, and the form that creates the next version from it.</summary>
[RequirePermission(Permission.StandardsManage)]
public sealed class StandardVersionModel(StandardService standards, CalendarService calendars, TimeProvider time) : PageModel
{
    public const int BlankRows = 3;

    public sealed class RuleRow
    {
        public bool Delete { get; set; }

        public string? CaseKind { get; set; }

        public string? Priority { get; set; }

        public string? CustomerTier { get; set; }

        public string? Channel { get; set; }

        public string? TargetType { get; set; }

        public int? Amount { get; set; }

        public string? Unit { get; set; }

        public bool RollForward { get; set; }

        public int? WarningPercent1 { get; set; } = 75;

        public int? WarningPercent2 { get; set; } = 90;

        public List<string> PauseReasons { get; set; } = [];

        public int? MaxExtension { get; set; }

        public bool ExtensionNeedsApproval { get; set; }

        public bool ExtensionNoticeToCustomer { get; set; }

        public string? Note { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Number { get; set; }

    [BindProperty]
    public int StandardVersion { get; set; }

    [BindProperty]
    public string? EffectiveFrom { get; set; }

    [BindProperty]
    public string? ChangeNote { get; set; }

    [BindProperty]
    public List<RuleRow> Rules { get; set; } = [];

    public StandardDto? Standard { get; private set; }

    public StandardVersionDto? Shown { get; private set; }

    /// <summary>The zone the effective-from is typed in: the default calendar's, else Asia/Shanghai.</summary>
    public string Zone { get; private set; } = PrcHolidayPreset.TimeZoneId;

    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        StandardVersion = Standard!.Version;
        var zone = DateTimeZoneProviders.Tzdb[Zone];
        var tomorrow = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date.PlusDays(1);
        EffectiveFrom = CalculatorModel.LocalInput.Format(tomorrow.AtMidnight());
        Rules = [.. Shown!.Rules.Select(r => new RuleRow
        {
            CaseKind = r.CaseKind, Priority = r.Priority, CustomerTier = r.CustomerTier, Channel = r.Channel, TargetType = r.TargetType.ToString(),
            Amount = r.Amount, Unit = r.Unit.ToString(), RollForward = r.RollForward, WarningPercent1 = r.WarningPercent1, WarningPercent2 = r.WarningPercent2,
            PauseReasons = [.. r.PauseReasons], MaxExtension = r.MaxExtension, ExtensionNeedsApproval = r.ExtensionNeedsApproval,
            ExtensionNoticeToCustomer = r.ExtensionNoticeToCustomer, Note = r.Note,
        })];
        Pad();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var zone = DateTimeZoneProviders.Tzdb[Zone];
        var local = CalculatorModel.LocalInput.Parse(EffectiveFrom?.Trim() ?? "");
        // Out of the business range the local time is not converted (it may have no instant): the service refuses it for the field.
        var effective = !local.Success ? EffectiveFrom
            : BusinessDates.InRange(local.Value) ? DeadlinePreviewService.Format(local.Value.InZoneLeniently(zone).ToInstant(), zone)
            : StandardService.InstantInput.Format(local.Value.WithOffset(Offset.Zero));
        var rules = Rules.Where(r => !r.Delete && r.Amount is not null && !string.IsNullOrWhiteSpace(r.TargetType))
            .Select(r => new SlaRuleInput(r.CaseKind, r.Priority, r.CustomerTier, r.Channel, r.TargetType, r.Amount!.Value, r.Unit, r.RollForward,
                r.WarningPercent1, r.WarningPercent2, r.PauseReasons, r.MaxExtension, r.ExtensionNeedsApproval, r.ExtensionNoticeToCustomer, r.Note))
            .ToList();
        var outcome = await standards.CreateVersionAsync(Id, new NewStandardVersionInput(StandardVersion, effective, ChangeNote, rules), ct);
        if (outcome.Succeeded)
        {
            return Redirect(string.Create(CultureInfo.InvariantCulture, $"/Sla/Standards/Version?id={Id}&number={outcome.Value!.Number}"));
        }

        Error = outcome.Error;
        Response.StatusCode = Error!.Status;
        Pad();
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Standard = await standards.FindAsync(Id, ct);
        Shown = Standard is null ? null : await standards.VersionAsync(Id, Number, ct);
        if ((await calendars.GetDefaultAsync(ct)) is { } calendar)
        {
            Zone = calendar.Calendar.Zone.Id;
        }

        return Shown is not null;
    }

    private void Pad()
    {
        for (var i = 0; i < BlankRows; i++)
        {
            Rules.Add(new RuleRow());
        }
    }
}
