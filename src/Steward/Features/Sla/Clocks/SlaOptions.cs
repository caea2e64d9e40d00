using System.ComponentModel.DataAnnotations;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla.Clocks;

/// <summary>Bound from <c>Sla</c>.</summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    /// <summary>How often each node sweeps for warnings and breaches.</summary>
    [Range(1, 3600)]
    public int SweepIntervalSeconds { get; set; } = 30;

    /// <summary>How long after a breach compliance is told (hours).</summary>
    [Range(0, 24 * 90)]
    public int ComplianceEscalationAfterHours { get; set; } = 24;

    /// <summary>Clocks examined per query of a sweep pass.</summary>
    [Range(1, 10000)]
    public int SweepBatchSize { get; set; } = 500;
}

/// <summary>The calendar a case's clocks use: the branch's (or default) calendar, else the built-in fallback.</summary>
public sealed record SlaCalendarChoice(long? CalendarId, string? Name, BusinessCalendar Calendar, string? NameEn = null)
{
    public bool IsFallback => CalendarId is null;

    /// <summary>The calendar's name in <paramref name="language"/>; null for the built-in fallback.</summary>
    public string? NameFor(string? language) => DayNames.For(Name, NameEn, language);
}
