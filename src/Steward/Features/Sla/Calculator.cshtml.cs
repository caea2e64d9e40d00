using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Api;
using Steward.Platform.Problems;

namespace Steward.Features.Sla;

/// <summary>The deadline calculator for any signed-in staff member: same computation as POST /api/v1/sla/preview.</summary>
public sealed class CalculatorModel(CalendarService calendars, DeadlinePreviewService preview, TimeProvider time) : PageModel
{
    public static readonly LocalDateTimePattern LocalInput = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public sealed class TargetRow
    {
        public int? Amount { get; set; }

        public string Unit { get; set; } = nameof(SlaUnit.BusinessHours);

        public bool RollForward { get; set; }
    }

    public sealed class PauseRow
    {
        public string? From { get; set; }

        public string? To { get; set; }
    }

    [BindProperty]
    public long? CalendarId { get; set; }

    [BindProperty]
    public string? Start { get; set; }

    [BindProperty]
    public List<TargetRow> Targets { get; set; } = [];

    [BindProperty]
    public List<PauseRow> Pauses { get; set; } = [];

    public IReadOnlyList<CalendarSummaryDto> Calendars { get; private set; } = [];

    public PreviewResponse? Result { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Calendars = await calendars.ListAsync(ct);
        CalendarId = Calendars.FirstOrDefault()?.Id;
        // Opens on now, to the minute, in the chosen calendar's zone (Shanghai when there is no calendar yet).
        var zone = CalendarId is { } id && await calendars.GetAsync(id, ct) is { } snapshot ? snapshot.Calendar.Zone : DateTimeZoneProviders.Tzdb[PrcHolidayPreset.TimeZoneId];
        var now = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).LocalDateTime;
        Start = LocalInput.Format(now.Date + new LocalTime(now.Hour, now.Minute));
        Targets =
        [
            new() { Amount = 24, Unit = nameof(SlaUnit.CalendarHours) },
            new() { Amount = 16, Unit = nameof(SlaUnit.BusinessHours) },
            new() { Amount = 15, Unit = nameof(SlaUnit.CalendarDays), RollForward = true },
        ];
        Pad();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Calendars = await calendars.ListAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var zone = CalendarId is { } id && await calendars.GetAsync(id, ct) is { } snapshot ? snapshot.Calendar.Zone : null;
        string? ToInstant(string? local, string field)
        {
            if (string.IsNullOrWhiteSpace(local))
            {
                return null;
            }

            var parsed = LocalInput.Parse(local.Trim());
            if (!parsed.Success || zone is null)
            {
                errors[field] = [$"'{local}' is not a date and time. 日期时间格式无效。"];
                return null;
            }

            if (!BusinessDates.Check(parsed.Value, field, errors))
            {
                return null;
            }

            return DeadlinePreviewService.Format(parsed.Value.InZoneLeniently(zone).ToInstant(), zone);
        }

        var request = new PreviewRequest(
            CalendarId,
            null,
            ToInstant(Start, "start") ?? (zone is null ? null : ""),
            [.. Targets.Where(t => t.Amount is not null).Select(t => new PreviewTargetInput(null, t.Amount!.Value, t.Unit, t.RollForward))],
            [.. Pauses.Select((p, i) => (p, i)).Where(x => !string.IsNullOrWhiteSpace(x.p.From))
                .Select(x => new PreviewPauseInput(ToInstant(x.p.From, $"pauses[{x.i}].from"), ToInstant(x.p.To, $"pauses[{x.i}].to")))],
            CultureInfo.CurrentUICulture.Name);
        if (errors.Count > 0)
        {
            Error = CalendarService.Invalid(errors);
        }
        else
        {
            var outcome = await preview.PreviewAsync(request, CultureInfo.CurrentUICulture.Name, ct);
            Result = outcome.Value;
            Error = outcome.Error;
        }

        if (Error is not null)
        {
            Response.StatusCode = Error.Status;
        }

        Pad();
        return Page();
    }

    /// <summary>The deadline as the calendar's local time, e.g. "2026-10-09 17:30（周五）".</summary>
    public string Local(string? iso)
    {
        if (iso is null || Result is null)
        {
            return "—";
        }

        var parsed = DeadlinePreviewService.Output.Parse(iso);
        return parsed.Success
            ? ExplanationText.FormatInstant(parsed.Value.ToInstant(), DateTimeZoneProviders.Tzdb[Result.TimeZone], Result.Language) + " " + parsed.Value.Offset
            : iso;
    }

    private void Pad()
    {
        while (Targets.Count < 4)
        {
            Targets.Add(new TargetRow());
        }

        while (Pauses.Count < 2)
        {
            Pauses.Add(new PauseRow());
        }
    }
}
