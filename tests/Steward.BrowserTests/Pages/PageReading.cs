using System.Globalization;
using System.Text.RegularExpressions;
using Steward.Platform.Localization;

namespace Steward.BrowserTests.Pages;

/// <summary>
/// Reads the texts a page shows (as <see cref="SiteCrawler"/> collects them) and says what reads wrong
/// for the page's language: a resource key shown instead of its text, a raw enum name, words of the
/// other language. Names people typed in (staff, customers) and codes (SLA, LN01, C-000004, e-mail
/// addresses, usernames, time zone ids) are allowed in either language.
/// </summary>
public sealed partial class PageReading
{
    /// <summary>Words that are the same in both languages: product names, standards, formats, abbreviations.</summary>
    private static readonly HashSet<string> AllowedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "Steward", "API", "SLA", "CSV", "xlsx", "iCalendar", "Liquid", "ics", "JSON", "OpenAPI", "Bearer", "UTC", "GMT", "CST", "BST",
        "FCA", "DISP", "PBOC", "NFRA", "CSRC", "PRC", "HTTP", "RFC", "ID", "English", "PDF", "PNG", "JPEG", "Word", "Excel",
        // HTTP header names and the API reference's own button, quoted on the API help page.
        "Accept", "Language", "Authorization", "Authorize",
        // The two web address schemes, named in a message that asks for a link.
        "http", "https",
    };

    private readonly HashSet<string> keyPrefixes;
    private readonly HashSet<string> enumNames;
    private readonly string names;

    /// <param name="enumNames">Names of the app's enum members, which a page must show translated.</param>
    /// <param name="names">Names people entered (staff and customers), allowed in either language.</param>
    public PageReading(IEnumerable<string> enumNames, IEnumerable<string> names)
    {
        keyPrefixes = new HashSet<string>(JsonStringLocalizerFactory.Load(Cultures.English).Keys.Select(k => k.Split('.')[0]), StringComparer.Ordinal);
        this.enumNames = new HashSet<string>(enumNames.Where(n => n.Length > 2), StringComparer.Ordinal);
        this.names = "\n" + string.Join("\n", names) + "\n";
    }

    /// <summary>Everything wrong with one text of a page in <paramref name="chinese"/> or English.</summary>
    public IEnumerable<string> Problems(string text, bool chinese)
    {
        foreach (Match key in ResourceKey().Matches(text))
        {
            if (keyPrefixes.Contains(key.Groups["prefix"].Value))
            {
                yield return $"untranslated resource key \"{key.Value}\"";
            }
        }

        // Codes, addresses and identifiers are the same in every language; take them out before looking at words.
        var words = Code().Replace(text, " ");
        if (chinese)
        {
            foreach (Match word in EnglishWord().Matches(words))
            {
                var w = word.Value;
                if (enumNames.Contains(w))
                {
                    yield return $"raw enum name \"{w}\"";
                }
                else if (!AllowedWords.Contains(w) && !IsAcronym(w) && !names.Contains(w, StringComparison.Ordinal))
                {
                    yield return $"English word \"{w}\"";
                }
            }
        }
        else
        {
            foreach (Match word in EnglishWord().Matches(words))
            {
                // A single English word may be an enum name and a right translation at once ("Complaint"); two humps never are.
                if (enumNames.Contains(word.Value) && TwoHumps().IsMatch(word.Value))
                {
                    yield return $"raw enum name \"{word.Value}\"";
                }
            }

            foreach (Match run in ChineseRun().Matches(text))
            {
                if (!names.Contains(run.Value, StringComparison.Ordinal))
                {
                    yield return $"Chinese text \"{run.Value}\"";
                }
            }
        }
    }

    // Codes and abbreviations: SLA, LN01, INSTITUTION (a standard's code).
    private static bool IsAcronym(string word) => word.All(c => char.IsUpper(c) || char.IsDigit(c));

    // `audit.field.actor`, `cases.kind.Complaint`: lower-case first part, dots, no spaces; not part of an address or a path.
    [GeneratedRegex(@"(?<![\w@./:-])(?<prefix>[a-z][a-zA-Z0-9]*)(?:\.[a-zA-Z][a-zA-Z0-9_-]*)+(?![\w@/-])")]
    private static partial Regex ResourceKey();

    // E-mail addresses, web addresses, anything with a digit, a dot, a slash or an underscore inside it (C-000004, LN01,
    // sh.agent1, Asia/Shanghai, v1.2), and ALL-CAPS codes.
    [GeneratedRegex(@"\S+@\S+|https?://\S+|[\w./:+-]*[0-9./_:][\w./:+-]*[A-Za-z][\w./:+-]*|[A-Za-z][\w-]*[0-9./_][\w./:+-]*")]
    private static partial Regex Code();

    [GeneratedRegex(@"[A-Za-z]{2,}(?:['’][a-z]+)?")]
    private static partial Regex EnglishWord();

    [GeneratedRegex(@"^[A-Z][a-z]+[A-Z]")]
    private static partial Regex TwoHumps();

    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}][\p{IsCJKUnifiedIdeographs}·]*")]
    private static partial Regex ChineseRun();

    /// <summary>A short quote of <paramref name="text"/> for a report.</summary>
    public static string Quote(string text)
    {
        var flat = Whitespace().Replace(text, " ").Trim();
        return flat.Length <= 80 ? flat : string.Create(CultureInfo.InvariantCulture, $"{flat[..77]}...");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
