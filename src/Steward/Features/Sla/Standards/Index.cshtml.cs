using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Standards;

[RequirePermission(Permission.StandardsManage)]
public sealed class StandardsIndexModel(StandardService standards, CalendarService calendars, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Priority { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tier { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    public IReadOnlyList<StandardDto> Standards { get; private set; } = [];

    public SlaResolution? Resolution { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>The zone dates are shown in: the default calendar's (Shanghai when there is none).</summary>
    public DateTimeZone Zone { get; private set; } = DateTimeZoneProviders.Tzdb[PrcHolidayPreset.TimeZoneId];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Standards = await standards.ListAsync(ct);
        if (await calendars.GetDefaultAsync(ct) is { } calendar)
        {
            Zone = calendar.Calendar.Zone;
        }

        if (Kind is not null)
        {
            var outcome = await standards.ResolveTargetsAsync(Kind, Priority ?? "", Tier ?? "", Channel ?? "", Instant.FromDateTimeOffset(time.GetUtcNow()), ct: ct);
            Resolution = outcome.Value;
            Error = outcome.Error;
        }
    }
}
