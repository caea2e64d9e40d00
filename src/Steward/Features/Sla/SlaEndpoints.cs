using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Clocks;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla;

/// <summary>A calendar as the API takes it: <see cref="Name"/> is the Chinese name, <see cref="NameEn"/> the English one (both required).</summary>
public sealed record CalendarUpdateRequest(
    string? Name,
    string? TimeZone,
    IDictionary<string, string[]?>? WeeklyPeriods,
    bool IsDefault,
    IReadOnlyList<HolidayInput>? Holidays,
    IReadOnlyList<MakeUpDayInput>? MakeUpWorkingDays,
    int? Version,
    IReadOnlyList<int>? HolidayYears = null,
    string? NameEn = null);

public sealed record PrcPresetImportRequest(IReadOnlyList<int>? Years, int? Version);

public sealed record BranchCalendarRequest(long? CalendarId, int? Version);

public sealed record PresetSelectionRequest(long? StandardId, int? Version);

public static class SlaEndpoints
{
    /// <summary>Largest iCalendar upload accepted (bytes).</summary>
    public const int MaxICalendarBytes = 1_000_000;

    private static readonly string Manage = IdentitySetup.Policy(Permission.StandardsManage);

    public static void MapSlaEndpoints(this IEndpointRouteBuilder api)
    {
        var calendars = api.MapGroup("/calendars").WithTags("SLA calendars");
        calendars.MapGet("/", async (CalendarService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Business calendars (any signed-in staff).");
        calendars.MapGet("/{id:long}", async Task<Results<Ok<CalendarDto>, ProblemHttpResult>> (long id, CalendarService service, CancellationToken ct) =>
                await service.FindAsync(id, ct) is { } c ? TypedResults.Ok(c) : Problems.From(new CalendarNotFound(id)))
            .WithSummary("One calendar with its hours, holidays, make-up working days and the branches using it.");
        calendars.MapPost("/", async Task<Results<Created<CalendarDto>, ProblemHttpResult>> (CalendarUpdateRequest r, CalendarService service, CancellationToken ct) =>
                (await service.CreateAsync(new CalendarSaveInput(r.Name, r.NameEn, r.TimeZone, r.WeeklyPeriods, r.IsDefault, r.Holidays, r.MakeUpWorkingDays, r.HolidayYears), ct)).ToCreated(c => $"/api/v1/calendars/{c.Id}"))
            .RequireAuthorization(Manage).WithSummary("Creates a calendar.");
        calendars.MapPut("/{id:long}", async Task<Results<Ok<CalendarDto>, ProblemHttpResult>> (long id, CalendarUpdateRequest r, CalendarService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, new CalendarSaveInput(r.Name, r.NameEn, r.TimeZone, r.WeeklyPeriods, r.IsDefault, r.Holidays, r.MakeUpWorkingDays, r.HolidayYears), r.Version, ct)).ToOk())
            .RequireAuthorization(Manage).WithSummary("Updates a calendar (holidays, make-up days and holidayYears — the years whose holidays are complete — replaced only when given); stale version → 409.");
        calendars.MapPost("/{id:long}/prc-preset", async Task<Results<Ok<CalendarDto>, ProblemHttpResult>> (long id, PrcPresetImportRequest r, CalendarService service, CancellationToken ct) =>
                (await service.ImportPrcPresetAsync(id, r.Years, r.Version, ct)).ToOk())
            .RequireAuthorization(Manage).WithSummary("Imports the PRC State Council holiday schedule (2025, 2026) into a calendar.");
        calendars.MapGet("/{id:long}/holidays.ics", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, CalendarService service, CancellationToken ct) =>
                await service.ExportICalendarAsync(id, ct) is { } text
                    ? TypedResults.File(Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"calendar-{id}.ics"))
                    : Problems.From(new CalendarNotFound(id)))
            .WithSummary("Holidays and make-up working days as iCalendar (RFC 5545).");
        calendars.MapPost("/{id:long}/holidays", async Task<Results<Ok<CalendarDto>, ProblemHttpResult>> (long id, string? mode, int? version, HttpRequest request, CalendarService service, CancellationToken ct) =>
            {
                if (request.ContentType is not { } type || !type.StartsWith("text/calendar", StringComparison.OrdinalIgnoreCase))
                {
                    return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type",
                        "Send the file as text/calendar 请以 text/calendar 格式上传", "The body must be an iCalendar file with Content-Type text/calendar. 请求体须为 iCalendar 文件。");
                }

                if (request.ContentLength > MaxICalendarBytes)
                {
                    return Problems.From(Problems.Invalid("file", "The file is larger than 1 MB. 文件超过 1 MB。"));
                }

                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var text = await reader.ReadToEndAsync(ct);
                var ifMatch = request.Headers.IfMatch.ToString().Trim('"', ' ');
                var expected = version ?? (int.TryParse(ifMatch, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null);
                return (await service.ImportICalendarAsync(id, text, string.Equals(mode, "replace", StringComparison.OrdinalIgnoreCase), expected, ct)).ToOk();
            })
            .RequireAuthorization(Manage)
            .WithSummary("Imports holidays and make-up days from an iCalendar body (text/calendar). mode=merge (default) or replace; version (or If-Match) → 409 when stale.");
        calendars.MapGet("/branches", async (CalendarService service, CancellationToken ct) => TypedResults.Ok(await service.BranchCalendarsAsync(ct)))
            .WithSummary("Each branch's calendar (its own, or the institution default).");
        calendars.MapPut("/branches/{branchId:long}", async Task<Results<Ok<BranchCalendarDto>, ProblemHttpResult>> (long branchId, BranchCalendarRequest r, CalendarService service, CancellationToken ct) =>
                (await service.SetBranchCalendarAsync(branchId, r.CalendarId, r.Version, ct)).ToOk())
            .RequireAuthorization(Manage).WithSummary("Gives a branch its own calendar (calendarId null = use the default).");

        var sla = api.MapGroup("/sla").WithTags("SLA standards");
        sla.MapPost("/preview", async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> (PreviewRequest r, DeadlinePreviewService service, CancellationToken ct) =>
                (await service.PreviewAsync(r, CultureInfo.CurrentUICulture.Name, ct)).ToOk())
            .WithSummary("Deadline calculator: deadlines, warnings and explanation for targets on a stored or inline calendar.");
        sla.MapGet("/standards", async (StandardService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Service standards (institution and regulatory presets) with their versions.");
        sla.MapGet("/standards/resolve", async Task<Results<Ok<SlaResolution>, ProblemHttpResult>> (string? kind, string? priority, string? tier, string? channel, string? at, long? branchId, StandardService service, TimeProvider time, CancellationToken ct) =>
            {
                var when = Instant.FromDateTimeOffset(time.GetUtcNow());
                if (!string.IsNullOrWhiteSpace(at))
                {
                    var parsed = StandardService.InstantInput.Parse(at.Trim());
                    if (!parsed.Success)
                    {
                        return Problems.From(Problems.Invalid("at", $"'{at}' is not an instant with offset. 须为带时区偏移的时间。"));
                    }

                    if (!BusinessDates.InRange(parsed.Value.LocalDateTime))
                    {
                        return Problems.From(Problems.Invalid("at", BusinessDates.RangeMessage));
                    }

                    when = parsed.Value.ToInstant();
                }

                return (await service.ResolveTargetsAsync(kind ?? "", priority ?? "", tier ?? "", channel ?? "", when, branchId, ct)).ToOk();
            })
            .WithSummary("The targets that apply to a case (kind, priority, tier, channel) at an instant, with the standard, version and rule behind each; branchId: use that branch's regulatory regime.");
        sla.MapGet("/standards/{id:long}", async Task<Results<Ok<StandardDto>, ProblemHttpResult>> (long id, StandardService service, CancellationToken ct) =>
            await service.FindAsync(id, ct) is { } s ? TypedResults.Ok(s) : Problems.From(new StandardNotFound(id, OrVersion: true)));
        sla.MapGet("/standards/{id:long}/versions/current", async Task<Results<Ok<StandardVersionDto>, ProblemHttpResult>> (long id, StandardService service, CancellationToken ct) =>
            await service.VersionAsync(id, null, ct) is { } v ? TypedResults.Ok(v) : Problems.From(new StandardNotFound(id, OrVersion: true)))
            .WithSummary("The version in force now, with its rules.");
        sla.MapGet("/standards/{id:long}/versions/{number:int}", async Task<Results<Ok<StandardVersionDto>, ProblemHttpResult>> (long id, int number, StandardService service, CancellationToken ct) =>
            await service.VersionAsync(id, number, ct) is { } v ? TypedResults.Ok(v) : Problems.From(new StandardNotFound(id, OrVersion: true)));
        sla.MapPost("/standards/{id:long}/versions", async Task<Results<Created<StandardVersionDto>, ProblemHttpResult>> (long id, NewStandardVersionInput r, StandardService service, CancellationToken ct) =>
                (await service.CreateVersionAsync(id, r, ct)).ToCreated(v => $"/api/v1/sla/standards/{id}/versions/{v.Number}"))
            .RequireAuthorization(Manage)
            .WithSummary("Creates a new version with edited rules and an effective-from instant; version = the standard's version it was based on (stale → 409).");
        sla.MapGet("/presets", async (StandardService service, CancellationToken ct) => TypedResults.Ok(await service.PresetsAsync(ct)))
            .WithSummary("Regulatory presets with citations and rules text.");
        sla.MapGet("/presets/selection", async (StandardService service, CancellationToken ct) => TypedResults.Ok(await service.SelectionAsync(ct)));
        sla.MapPut("/presets/selection", async Task<Results<Ok<PresetSelectionDto>, ProblemHttpResult>> (PresetSelectionRequest r, StandardService service, CancellationToken ct) =>
                (await service.SelectPresetAsync(r.StandardId, r.Version, ct)).ToOk())
            .RequireAuthorization(Manage).WithSummary("Chooses the regulatory preset layered over the institution standard for complaints (null = none).");
        api.MapSlaClockEndpoints();
    }
}
