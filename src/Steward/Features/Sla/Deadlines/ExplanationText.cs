using System.Collections.Frozen;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Localization;

namespace Steward.Features.Sla.Deadlines;

/// <summary>
/// Renders explanation steps as sentences in Chinese or English from the string tables (<c>sla.step.*</c>). Instants
/// are shown as local date-times in the calendar's zone, durations in hours and minutes.
/// </summary>
public static class ExplanationText
{
    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> Tables =
        Cultures.Supported.ToFrozenDictionary(c => c, JsonStringLocalizerFactory.Load);

    /// <summary>zh-CN or en for a language tag (anything starting with "zh" is Chinese; default Chinese).</summary>
    public static string Language(string? tag) =>
        tag is { Length: > 0 } t && !t.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Cultures.English : Cultures.Chinese;

    public static string Text(string language, string key) =>
        Tables[Language(language)].TryGetValue(key, out var value) ? value : key;

    public static string Render(ExplanationStep step, DateTimeZone zone, string language)
    {
        ArgumentNullException.ThrowIfNull(step);
        var lang = Language(language);
        var culture = CultureInfo.GetCultureInfo(lang);
        string T(string key) => Text(lang, key);
        string I(Instant i) => FormatInstant(i, zone, lang);
        string D(LocalDate d) => FormatDate(d, lang);
        string Dur(Duration d) => FormatDuration(d, lang);
        string Name(string? zh, string? en) => DayNames.For(zh, en, lang) ?? T("sla.holiday");
        string Day(IsoDayOfWeek d) => T("sla.weekday." + d);
        string Target(SlaTarget? t) => t is null ? "—" : FormatTarget(t, lang);

        object[] args = step switch
        {
            StartOutsideHours s => [I(s.Start), I(s.NextStart)],
            SkippedHoliday s => [D(s.Date), Name(s.Name, s.NameEn)],
            MadeUpWorkingDay s => [D(s.Date), Name(s.Name, s.NameEn), Day(s.WorksLike)],
            PauseExcluded s => [I(s.From), I(s.To), Dur(s.Excluded)],
            PausedOpenEnded s => [I(s.Since), Dur(s.Used), Dur(s.Remaining)],
            BusinessDaysCounted s => [D(s.ReceiptDate), s.Days, D(s.LastDay), I(s.CloseOfBusiness), Dur(s.Budget)],
            CalendarDaysCounted s => [D(s.ReceiptDate), s.Days, D(s.LastDay), I(s.EndOfDay), Dur(s.Budget)],
            RolledForward s => [D(s.From), D(s.To)],
            Retargeted s => [I(s.At), Target(s.OldTarget), Target(s.NewTarget), Dur(s.Used), Dur(s.Remaining)],
            TargetAlreadyExceeded s => [I(s.At), Dur(s.Used), Dur(s.Goal)],
            WarningThreshold s => [s.Percent.ToString("0.##", CultureInfo.InvariantCulture), Dur(s.Goal)],
            ZoneTransition s => [I(s.At), OffsetPattern.GeneralInvariantWithZ.Format(s.Before), OffsetPattern.GeneralInvariantWithZ.Format(s.After)],
            HolidaysNotLoaded s => [s.Year.ToString(CultureInfo.InvariantCulture), D(s.From)],
            DeadlineReached s => [I(s.At)],
            _ => [],
        };
        return string.Format(culture, T("sla.step." + step.Code), args);
    }

    public static string FormatInstant(Instant instant, DateTimeZone zone, string language)
    {
        var local = instant.InZone(zone);
        var lang = Language(language);
        var day = Text(lang, "sla.weekday." + local.DayOfWeek);
        var text = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm").Format(local.LocalDateTime);
        return lang == Cultures.Chinese ? $"{text}（{day}）" : $"{text} ({day})";
    }

    public static string FormatDate(LocalDate date, string language)
    {
        var lang = Language(language);
        var day = Text(lang, "sla.weekday." + date.DayOfWeek);
        var text = LocalDatePattern.Iso.Format(date);
        return lang == Cultures.Chinese ? $"{text}（{day}）" : $"{text} ({day})";
    }

    public static string FormatDuration(Duration duration, string language)
    {
        var minutes = (long)Math.Round(duration.TotalMinutes, MidpointRounding.AwayFromZero);
        var hours = minutes / 60;
        var rest = minutes % 60;
        var zh = Language(language) == Cultures.Chinese;
        var h = hours.ToString(CultureInfo.InvariantCulture);
        var m = rest.ToString(CultureInfo.InvariantCulture);
        return (hours, rest) switch
        {
            (0, _) => zh ? $"{m} 分钟" : $"{m} min",
            (_, 0) => zh ? $"{h} 小时" : $"{h} h",
            _ => zh ? $"{h} 小时 {m} 分钟" : $"{h} h {m} min",
        };
    }

    public static string FormatTarget(SlaTarget target, string language)
    {
        var text = target.Amount.ToString(CultureInfo.InvariantCulture) + " " + Text(language, "sla.unit." + target.Unit);
        return target.RollForwardWhenLastDayIsNonWorking ? text + Text(language, "sla.rollForward.suffix") : text;
    }
}
