using System.Text;
using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Tests.Features.Sla;

public class ICalendarFormatTests
{
    private static readonly Instant Stamp = Instant.FromUtc(2025, 1, 1, 0, 0);

    [Fact]
    public void ExportImport_Prc2025Schedule_RoundTrips()
    {
        var holidays = PrcHolidayPreset.GetHolidays(2025);
        var makeUps = PrcHolidayPreset.GetMakeUpWorkingDays(2025);

        var text = ICalendarFormat.Export(holidays, makeUps, Stamp, "中国法定节假日 2025");
        var imported = ICalendarFormat.Import(text);

        Assert.Equal(holidays, imported.Holidays.OrderBy(h => h.Date));
        Assert.Equal(makeUps, imported.MakeUpWorkingDays.OrderBy(d => d.Date));
    }

    [Fact]
    public void Export_ConsecutiveDates_OneEventWithExclusiveEnd()
    {
        var text = ICalendarFormat.Export(PrcHolidayPreset.GetHolidays(2025), PrcHolidayPreset.GetMakeUpWorkingDays(2025), Stamp);

        // Spring Festival Jan 28 - Feb 4 inclusive -> DTEND (exclusive) Feb 5. (Properties come in alphabetical order.)
        Assert.Equal(["DTEND;VALUE=DATE:20250205", "DTSTART;VALUE=DATE:20250128", "SUMMARY:春节"], Lines(Event(text, "DTSTART;VALUE=DATE:20250128"), "DTEND", "DTSTART", "SUMMARY"));
        Assert.Equal(["DTEND;VALUE=DATE:20250127", "X-STEWARD-KIND:WORKDAY"], Lines(Event(text, "DTSTART;VALUE=DATE:20250126"), "DTEND", "X-STEWARD-KIND"));
        Assert.Contains("DTSTAMP:20250101T000000Z\r\n", text, StringComparison.Ordinal);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nVERSION:2.0\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("END:VCALENDAR\r\n", text, StringComparison.Ordinal);
        // 6 holiday blocks + 5 make-up days.
        Assert.Equal(11, text.Split("BEGIN:VEVENT").Length - 1);
    }

    [Fact]
    public void Export_LongUtf8Summary_FoldsAt75OctetsAndRoundTrips()
    {
        // 40 CJK characters = 120 UTF-8 octets, plus "SUMMARY:" -> must fold, never inside a character.
        var name = string.Concat(Enumerable.Repeat("国庆节中秋节放假调休", 4));
        var holidays = new[] { new Holiday(new LocalDate(2025, 10, 1), name) };

        var text = ICalendarFormat.Export(holidays, [], Stamp);
        var lines = text.Split("\r\n");

        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"'{l}' is longer than 75 octets"));
        Assert.Contains(lines, l => l.StartsWith(' '));
        Assert.Equal(name, Assert.Single(ICalendarFormat.Import(text).Holidays).Name);
    }

    [Fact]
    public void Export_SummaryLineOfExactlySeventyFiveOctets_IsNotFolded()
    {
        Assert.Contains("\r\nSUMMARY:" + new string('a', 67) + "\r\n", ExportOne(new string('a', 67)), StringComparison.Ordinal);
        Assert.Contains("\r\nSUMMARY:" + new string('a', 67) + "\r\n b\r\n", ExportOne(new string('a', 67) + "b"), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_SpecialCharacters_EscapedAndRoundTrip()
    {
        var name = "Bank holiday; part 1, \"a\\b\"\nsecond line";
        var text = ICalendarFormat.Export([new Holiday(new LocalDate(2026, 12, 25), name)], [], Stamp);

        Assert.Contains(@"SUMMARY:Bank holiday\; part 1\, ""a\\b""\nsecond line", text, StringComparison.Ordinal);
        // A SUMMARY without Chinese characters is the English name.
        Assert.Equal(name, Assert.Single(ICalendarFormat.Import(text).Holidays).NameEn);
    }

    [Fact]
    public void Import_ForeignFeedWithLfFoldingCategoriesAndDuration_ParsesDates()
    {
        // LF line ends, a tab-folded SUMMARY, an all-day multi-day event with DTEND, a DURATION event, a
        // CATEGORIES-marked workday, a VTIMEZONE and a VALARM to be ignored, lower-case property names.
        const string text =
            "BEGIN:VCALENDAR\n" +
            "VERSION:2.0\n" +
            "PRODID:-//Example//EN\n" +
            "BEGIN:VTIMEZONE\n" +
            "TZID:Asia/Shanghai\n" +
            "END:VTIMEZONE\n" +
            "BEGIN:VEVENT\n" +
            "UID:a\n" +
            "DTSTART;VALUE=DATE:20251001\n" +
            "DTEND;VALUE=DATE:20251004\n" +
            "SUMMARY:National\n" +
            "\t Day\n" +
            "BEGIN:VALARM\n" +
            "DTSTART:20250101T000000Z\n" +
            "END:VALARM\n" +
            "END:VEVENT\n" +
            "BEGIN:VEVENT\n" +
            "dtstart;value=date:20250531\n" +
            "DURATION:P2D\n" +
            "END:VEVENT\n" +
            "BEGIN:VEVENT\n" +
            "DTSTART:20250928\n" +
            "CATEGORIES:Holiday,Workday\n" +
            "SUMMARY:调休上班\n" +
            "END:VEVENT\n" +
            "END:VCALENDAR\n";

        var data = ICalendarFormat.Import(text);

        // DTEND is exclusive: Oct 1, 2, 3. DURATION P2D: May 31, Jun 1.
        Assert.Equal(
            [
                new Holiday(new LocalDate(2025, 10, 1), null, "National Day"),
                new Holiday(new LocalDate(2025, 10, 2), null, "National Day"),
                new Holiday(new LocalDate(2025, 10, 3), null, "National Day"),
                new Holiday(new LocalDate(2025, 5, 31)),
                new Holiday(new LocalDate(2025, 6, 1)),
            ],
            data.Holidays);
        Assert.Equal([new MakeUpWorkingDay(new LocalDate(2025, 9, 28), IsoDayOfWeek.Monday, "调休上班")], data.MakeUpWorkingDays);
    }

    [Fact]
    public void ImportInto_Calendar_AddsHolidaysAndMakeUpDays()
    {
        var text = ICalendarFormat.Export(PrcHolidayPreset.GetHolidays(2026), PrcHolidayPreset.GetMakeUpWorkingDays(2026), Stamp);
        var calendar = ICalendarFormat.ImportInto(SlaTestData.ShanghaiPlain(), text);

        Assert.False(calendar.IsWorkingDay(new LocalDate(2026, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new LocalDate(2026, 10, 10)));
    }

    [Theory]
    [InlineData("BEGIN:VEVENT\r\nEND:VEVENT\r\n", 1, "expected BEGIN:VCALENDAR")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20250101T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 3, "all-day date")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE-TIME:20250101T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 3, "VALUE=DATE")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250230\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 3, "invalid date '20250230'")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250105\r\nDTEND;VALUE=DATE:20250105\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 4, "DTEND must be after DTSTART")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 2, "no DTSTART")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nEND:VEVENT\r\n", 4, "missing END:VCALENDAR")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nEND:VCALENDAR\r\n", 4, "does not match BEGIN:VEVENT at line 2")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nSUMMARY:bad \\x escape\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 4, "invalid escape")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 4, "RRULE")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nSUMMARY no colon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 4, "expected 'NAME:value'")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nX-STEWARD-KIND:MAYBE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 4, "X-STEWARD-KIND")]
    [InlineData(" folded first line\r\n", 1, "continuation line")]
    [InlineData("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\n", 3, "after END:VCALENDAR")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nDURATION:PT8H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 4, "DURATION")]
    public void Import_MalformedInput_ThrowsNamingTheLine(string text, int line, string fragment)
    {
        var ex = Assert.Throws<ICalendarFormatException>(() => ICalendarFormat.Import(text));

        Assert.Equal(line, ex.LineNumber);
        Assert.StartsWith($"iCalendar line {line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_SameDateInTwoEvents_ThrowsNamingBothLines()
    {
        const string text =
            "BEGIN:VCALENDAR\r\n" +
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251001\r\nDTEND;VALUE=DATE:20251003\r\nEND:VEVENT\r\n" +
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251002\r\nEND:VEVENT\r\n" +
            "END:VCALENDAR\r\n";

        var ex = Assert.Throws<ICalendarFormatException>(() => ICalendarFormat.Import(text));

        Assert.Equal(6, ex.LineNumber);
        Assert.Contains("2025-10-02 is already defined by the event at line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_FoldedLineNumbers_ReportPhysicalLineOfLogicalStart()
    {
        // The bad SUMMARY starts on physical line 4 and continues on line 5.
        const string text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nSUMMARY:abc\r\n \\qdef\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var ex = Assert.Throws<ICalendarFormatException>(() => ICalendarFormat.Import(text));

        Assert.Equal(4, ex.LineNumber);
    }

    [Fact]
    public void ExportImport_AllSpecialCharacters_EscapedAndRestored()
    {
        const string value = @"a\b;c,d" + "\ne";
        var text = ExportOne(value);

        Assert.Contains(@"SUMMARY:a\\b\;c\,d\ne" + "\r\n", text, StringComparison.Ordinal);
        Assert.Equal(value, Assert.Single(ICalendarFormat.Import(text).Holidays).NameEn);
    }

    [Theory]
    [InlineData("en", "iCalendar line 4: invalid escape '\\x' in text.")]
    [InlineData("zh-CN", "iCalendar 文件第 4 行：文本中的转义“\\x”无效。")]
    public void Import_MalformedInput_IsDescribedInEitherLanguage(string language, string expected)
    {
        const string text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nSUMMARY:bad \\x escape\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var ex = Assert.Throws<ICalendarFormatException>(() => ICalendarFormat.Import(text));

        Assert.Equal(expected, ex.Describe(language));
    }

    [Fact]
    public void Import_DurationInWeeks_CountsSevenDaysEach()
    {
        const string text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nDURATION:P1W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        // 1 to 7 January.
        Assert.Equal(Enumerable.Range(1, 7).Select(d => new LocalDate(2025, 1, d)), ICalendarFormat.Import(text).Holidays.Select(h => h.Date));
    }

    private static string ExportOne(string name) => ICalendarFormat.Export([new Holiday(new LocalDate(2026, 12, 25), name)], [], Stamp);

    /// <summary>The VEVENT block of <paramref name="text"/> that holds the content line <paramref name="line"/>.</summary>
    private static string[] Event(string text, string line) =>
        text.Split("BEGIN:VEVENT\r\n").Select(e => e.Split("\r\n")).Single(e => e.Contains(line));

    private static string[] Lines(string[] block, params string[] names) =>
        [.. block.Where(l => names.Any(n => l.StartsWith(n + ":", StringComparison.Ordinal) || l.StartsWith(n + ";", StringComparison.Ordinal)))];
}
