using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Api;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Deadlines;

/// <summary>One target to compute. <see cref="Clock"/> is optional and, when given, must agree with the unit.</summary>
public sealed record PreviewTargetInput(
    string? Name,
    int Amount,
    string? Unit,
    bool RollForward = false,
    string? Clock = null,
    IReadOnlyList<decimal>? WarningPercents = null);

/// <summary>A pause [from, to); <see cref="To"/> null = still paused.</summary>
public sealed record PreviewPauseInput(string? From, string? To);

/// <summary>
/// A deadline preview: a stored calendar (<see cref="CalendarId"/>) or an inline one (<see cref="Calendar"/>), the
/// start instant with offset (<c>2026-09-30T10:00:00+08:00</c>), targets and pauses. <see cref="Language"/> (zh-CN or
/// en) chooses the explanation language; by default the request's.
/// </summary>
public sealed record PreviewRequest(
    long? CalendarId,
    CalendarDefinitionInput? Calendar,
    string? Start,
    IReadOnlyList<PreviewTargetInput>? Targets,
    IReadOnlyList<PreviewPauseInput>? Pauses = null,
    string? Language = null);

public sealed record PreviewStepDto(string Code, IReadOnlyDictionary<string, string> Parameters, string Text);

public sealed record PreviewWarningDto(decimal Percent, DeadlineStatus Status, string? At);

public sealed record PreviewResultDto(
    string? Name,
    int Amount,
    SlaUnit Unit,
    SlaClock Clock,
    bool RollForward,
    DeadlineStatus Status,
    string? Deadline,
    string? PausedSince,
    long BudgetMinutes,
    IReadOnlyList<PreviewWarningDto> Warnings,
    IReadOnlyList<PreviewStepDto> Steps);

public sealed record PreviewResponse(long? CalendarId, int? CalendarVersion, string TimeZone, string Start, string Language, IReadOnlyList<PreviewResultDto> Results);

/// <summary>Validates a preview request and computes each target's deadline, warnings and explanation.</summary>
public sealed class DeadlinePreviewService(CalendarService calendars)
{
    public const int MaxTargets = 20;
    public const int MaxPauses = 50;

    /// <summary>Instants in responses: ISO 8601 with the offset in force in the calendar's zone, e.g. <c>2026-10-09T17:30:00+08:00</c>.</summary>
    public static readonly OffsetDateTimePattern Output =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HH:mm>");

    public static string Format(Instant instant, DateTimeZone zone) => Output.Format(instant.InZone(zone).ToOffsetDateTime());

    public async Task<Outcome<PreviewResponse>> PreviewAsync(PreviewRequest request, string defaultLanguage, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        BusinessCalendar? calendar = null;
        CalendarSnapshot? stored = null;
        if (request.CalendarId is { } id)
        {
            if (request.Calendar is not null)
            {
                errors["calendar"] = ["Give either calendarId or an inline calendar, not both. calendarId 与 calendar 只能二选一。"];
            }
            else if ((stored = await calendars.GetAsync(id, ct)) is null)
            {
                errors["calendarId"] = [$"Calendar {id} does not exist. 日历不存在。"];
            }
            else
            {
                calendar = stored.Calendar;
            }
        }
        else
        {
            calendar = CalendarDefinitions.TryBuild(request.Calendar, "calendar", errors);
        }

        var start = ParseInstant(request.Start, "start", errors, required: true);
        var targets = ValidateTargets(request.Targets, errors);
        var pauses = ValidatePauses(request.Pauses, errors);
        if (errors.Count > 0 || calendar is null || start is null)
        {
            return CalendarService.Invalid(errors);
        }

        var language = ExplanationText.Language(request.Language ?? defaultLanguage);
        var calculator = new DeadlineCalculator(calendar);
        var zone = calendar.Zone;
        var results = new List<PreviewResultDto>();
        try
        {
            foreach (var (input, target, percents) in targets!)
            {
                var result = calculator.Calculate(start.Value, target, pauses);
                var warnings = percents.Select(p =>
                {
                    var w = calculator.CalculateWarning(start.Value, target, p, pauses);
                    return new PreviewWarningDto(p, w.Status, w.Deadline is { } at ? Format(at, zone) : null);
                }).ToList();
                results.Add(new PreviewResultDto(
                    input.Name,
                    target.Amount,
                    target.Unit,
                    target.Clock,
                    target.RollForwardWhenLastDayIsNonWorking,
                    result.Status,
                    result.Deadline is { } d ? Format(d, zone) : null,
                    result.PausedSince is { } p ? Format(p, zone) : null,
                    (long)result.Budget.TotalMinutes,
                    warnings,
                    [.. result.Steps.Select(s => new PreviewStepDto(s.Code.ToString(), s.Parameters, ExplanationText.Render(s, zone, language)))]));
            }
        }
        catch (InvalidOperationException e)
        {
            return CalendarService.Invalid(request.CalendarId is null ? "calendar" : "calendarId", e.Message + " 日历中长期没有工作时段，无法计算到期时间。");
        }

        return new PreviewResponse(stored?.Id, stored?.Version, zone.Id, Format(start.Value, zone), language, results);
    }

    private static List<(PreviewTargetInput Input, SlaTarget Target, IReadOnlyList<decimal> Percents)>? ValidateTargets(
        IReadOnlyList<PreviewTargetInput>? input, Dictionary<string, string[]> errors)
    {
        if (input is null || input.Count == 0 || input.Count > MaxTargets)
        {
            errors["targets"] = [string.Create(CultureInfo.InvariantCulture, $"Give 1–{MaxTargets} targets. 须提供 1–{MaxTargets} 个时限目标。")];
            return null;
        }

        var result = new List<(PreviewTargetInput, SlaTarget, IReadOnlyList<decimal>)>();
        for (var i = 0; i < input.Count; i++)
        {
            var t = input[i];
            var f = string.Create(CultureInfo.InvariantCulture, $"targets[{i}]");
            if (t is null)
            {
                errors[f] = ["Empty target. 空目标。"];
                continue;
            }

            var before = errors.Count;
            var unit = StandardService.ParseUnit(t.Unit);
            if (unit is null)
            {
                errors[f + ".unit"] = [StandardService.UnitMessage(t.Unit)];
            }

            if (t.Amount is < 1 or > 100_000)
            {
                errors[f + ".amount"] = ["The amount must be between 1 and 100000. 数值须在 1 到 100000 之间。"];
            }

            if (unit is { } u && t.RollForward && u != SlaUnit.CalendarDays)
            {
                errors[f + ".rollForward"] = ["Rolling forward applies to CalendarDays only. 顺延仅适用于自然日。"];
            }

            if (!string.IsNullOrWhiteSpace(t.Clock))
            {
                if (!Enum.TryParse<SlaClock>(t.Clock.Trim(), ignoreCase: true, out var clock) || !Enum.IsDefined(clock) || int.TryParse(t.Clock, CultureInfo.InvariantCulture, out _))
                {
                    errors[f + ".clock"] = [$"'{t.Clock}' is not a clock (Business, Calendar). 计时方式无效。"];
                }
                else if (unit is { } known && new SlaTarget(1, known).Clock != clock)
                {
                    errors[f + ".clock"] = [$"{known} counts on the {new SlaTarget(1, known).Clock} clock, not {clock}. 计时方式与单位不符。"];
                }
            }

            var percents = t.WarningPercents ?? [75m, 90m];
            if (percents.Count > 5 || percents.Any(p => p is <= 0m or > 100m))
            {
                errors[f + ".warningPercents"] = ["Up to 5 warning percentages, each in (0, 100]. 最多 5 个预警百分比，取值 (0, 100]。"];
            }

            if (errors.Count == before)
            {
                result.Add((t, new SlaTarget(t.Amount, unit!.Value, t.RollForward), percents));
            }
        }

        return result;
    }

    private static List<SlaPause>? ValidatePauses(IReadOnlyList<PreviewPauseInput>? input, Dictionary<string, string[]> errors)
    {
        var result = new List<SlaPause>();
        if (input is null)
        {
            return result;
        }

        if (input.Count > MaxPauses)
        {
            errors["pauses"] = [string.Create(CultureInfo.InvariantCulture, $"At most {MaxPauses} pauses. 最多 {MaxPauses} 个暂停区间。")];
            return null;
        }

        for (var i = 0; i < input.Count; i++)
        {
            var f = string.Create(CultureInfo.InvariantCulture, $"pauses[{i}]");
            var from = ParseInstant(input[i]?.From, f + ".from", errors, required: true);
            var to = ParseInstant(input[i]?.To, f + ".to", errors, required: false);
            if (from is { } a && to is { } b && b < a)
            {
                errors[f + ".to"] = ["A pause cannot end before it starts. 暂停结束时间不能早于开始时间。"];
            }
            else if (from is { } start)
            {
                result.Add(new SlaPause(start, to));
            }
        }

        return result;
    }

    private static Instant? ParseInstant(string? text, string field, Dictionary<string, string[]> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors[field] = ["Required: an instant with offset, e.g. 2026-09-30T10:00:00+08:00. 必填：带时区偏移的时间。"];
            }

            return null;
        }

        var parsed = StandardService.InstantInput.Parse(text.Trim());
        if (!parsed.Success)
        {
            errors[field] = [$"'{text}' is not an instant with offset, e.g. 2026-09-30T10:00:00+08:00. 须为带时区偏移的时间。"];
            return null;
        }

        return BusinessDates.Check(parsed.Value, field, errors) ? parsed.Value.ToInstant() : null;
    }
}
