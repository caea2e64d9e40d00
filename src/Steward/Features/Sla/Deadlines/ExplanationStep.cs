using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Steward.Features.Sla.Deadlines;

/// <summary>Machine-readable codes of explanation steps, for UI localisation (zh-Hans / en).</summary>
public enum ExplanationCode
{
    StartOutsideHours,
    SkippedHoliday,
    MadeUpWorkingDay,
    PauseExcluded,
    PausedOpenEnded,
    BusinessDaysCounted,
    CalendarDaysCounted,
    RolledForward,
    Retargeted,
    TargetAlreadyExceeded,
    WarningThreshold,
    ZoneTransition,
    HolidaysNotLoaded,
    DeadlineReached,
}

/// <summary>
/// One step of a deadline explanation: a <see cref="Code"/> plus typed parameters (on the derived record) and the
/// same parameters as invariant strings (<see cref="Parameters"/>) for generic rendering. Instants are ISO-8601 UTC,
/// local values ISO-8601, durations NodaTime round-trip format "-D:hh:mm:ss.FFFFFFFFF".
/// </summary>
public abstract record ExplanationStep
{
    public abstract ExplanationCode Code { get; }

    /// <summary>The parameters as invariant-culture strings, keyed by parameter name.</summary>
    public abstract IReadOnlyDictionary<string, string> Parameters { get; }

    private protected static string F(Instant value) => InstantPattern.ExtendedIso.Format(value);

    private protected static string F(LocalDate value) => LocalDatePattern.Iso.Format(value);

    private protected static string F(LocalDateTime value) => LocalDateTimePattern.ExtendedIso.Format(value);

    private protected static string F(Duration value) => DurationPattern.Roundtrip.Format(value);

    private protected static string F(Offset value) => OffsetPattern.GeneralInvariantWithZ.Format(value);

    private protected static string F(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The clock started outside working hours; counting begins at <see cref="NextStart"/>.</summary>
public sealed record StartOutsideHours(Instant Start, Instant NextStart) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.StartOutsideHours;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["start"] = F(Start), ["nextStart"] = F(NextStart) };
}

/// <summary>A public holiday was skipped.</summary>
public sealed record SkippedHoliday(LocalDate Date, string? Name, string? NameEn = null) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.SkippedHoliday;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["date"] = F(Date), ["name"] = Name ?? string.Empty, ["nameEn"] = NameEn ?? string.Empty };
}

/// <summary>A make-up working day (调休) was counted, with the periods of <see cref="WorksLike"/>.</summary>
public sealed record MadeUpWorkingDay(LocalDate Date, IsoDayOfWeek WorksLike, string? Name, string? NameEn = null) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.MadeUpWorkingDay;

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["date"] = F(Date), ["worksLike"] = WorksLike.ToString(), ["name"] = Name ?? string.Empty, ["nameEn"] = NameEn ?? string.Empty,
    };
}

/// <summary>A pause [From, To) was excluded; <see cref="Excluded"/> is the clock time it removed (working time on a business clock).</summary>
public sealed record PauseExcluded(Instant From, Instant To, Duration Excluded) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.PauseExcluded;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["from"] = F(From), ["to"] = F(To), ["excluded"] = F(Excluded) };
}

/// <summary>The clock has been paused since <see cref="Since"/> with no end: no deadline yet.</summary>
public sealed record PausedOpenEnded(Instant Since, Duration Used, Duration Remaining) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.PausedOpenEnded;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["since"] = F(Since), ["used"] = F(Used), ["remaining"] = F(Remaining) };
}

/// <summary>A BusinessDays target resolved to close of business of <see cref="LastDay"/>.</summary>
public sealed record BusinessDaysCounted(LocalDate ReceiptDate, int Days, LocalDate LastDay, Instant CloseOfBusiness, Duration Budget) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.BusinessDaysCounted;

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["receiptDate"] = F(ReceiptDate),
        ["days"] = Days.ToString(CultureInfo.InvariantCulture),
        ["lastDay"] = F(LastDay),
        ["closeOfBusiness"] = F(CloseOfBusiness),
        ["budget"] = F(Budget),
    };
}

/// <summary>A CalendarDays target resolved to the end (24:00) of <see cref="LastDay"/>.</summary>
public sealed record CalendarDaysCounted(LocalDate ReceiptDate, int Days, LocalDate LastDay, Instant EndOfDay, Duration Budget) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.CalendarDaysCounted;

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["receiptDate"] = F(ReceiptDate),
        ["days"] = Days.ToString(CultureInfo.InvariantCulture),
        ["lastDay"] = F(LastDay),
        ["endOfDay"] = F(EndOfDay),
        ["budget"] = F(Budget),
    };
}

/// <summary>The last day <see cref="From"/> was not a working day; the period now ends with <see cref="To"/>.</summary>
public sealed record RolledForward(LocalDate From, LocalDate To) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.RolledForward;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["from"] = F(From), ["to"] = F(To) };
}

/// <summary>
/// The target changed at <see cref="At"/>; <see cref="Used"/> clock time is kept. <see cref="OldTarget"/> is null when
/// only the used time was supplied (<see cref="DeadlineCalculator.RetargetFromUsed"/>).
/// </summary>
public sealed record Retargeted(Instant At, SlaTarget? OldTarget, SlaTarget NewTarget, Duration Used, Duration Remaining) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.Retargeted;

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["at"] = F(At),
        ["oldTarget"] = OldTarget?.ToString() ?? string.Empty,
        ["newTarget"] = NewTarget.ToString(),
        ["used"] = F(Used),
        ["remaining"] = F(Remaining),
    };
}

/// <summary>At the target change the time used already exceeded the new goal: the deadline is the change instant.</summary>
public sealed record TargetAlreadyExceeded(Instant At, Duration Used, Duration Goal) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.TargetAlreadyExceeded;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["at"] = F(At), ["used"] = F(Used), ["goal"] = F(Goal) };
}

/// <summary>The result is a warning instant: <see cref="Percent"/>% of the budget, i.e. <see cref="Goal"/>.</summary>
public sealed record WarningThreshold(decimal Percent, Duration Goal) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.WarningThreshold;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["percent"] = F(Percent), ["goal"] = F(Goal) };
}

/// <summary>The zone's UTC offset changed (DST) within the counted range.</summary>
public sealed record ZoneTransition(Instant At, Offset Before, Offset After) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.ZoneTransition;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["at"] = F(At), ["before"] = F(Before), ["after"] = F(After) };
}

/// <summary>
/// The count reached <see cref="Year"/> (from <see cref="From"/>), whose holidays the calendar does not hold: those days
/// were counted as the plain weekly pattern, so the result may be wrong until the year's holidays are loaded.
/// </summary>
public sealed record HolidaysNotLoaded(int Year, LocalDate From) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.HolidaysNotLoaded;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["year"] = Year.ToString(CultureInfo.InvariantCulture), ["from"] = F(From) };
}

/// <summary>The final instant, also as local date-time in the calendar's zone.</summary>
public sealed record DeadlineReached(Instant At, LocalDateTime LocalAt) : ExplanationStep
{
    public override ExplanationCode Code => ExplanationCode.DeadlineReached;

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["at"] = F(At), ["localAt"] = F(LocalAt) };
}
