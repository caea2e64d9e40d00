using System.Globalization;

namespace Steward.Platform.Localization;

/// <summary>
/// Server messages written in both languages, English first ("No such branch 分支机构不存在",
/// "Reload it and apply your change again. 请刷新后重新操作。"), shown in one: the English half before
/// the first Chinese character, or the Chinese half from it (from the English half's last full stop when the Chinese half
/// starts with a time or a number both halves quote). A text without a Chinese character, or
/// that starts in Chinese, is shown as it is. See docs/decisions/0021-one-language-for-server-messages.md.
/// </summary>
public static class OneLanguage
{
    public static string Pick(string? text, CultureInfo culture)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var first = FirstChinese(text);
        // The English half is a phrase of two words at least: a Chinese message that starts with a name ("iCalendar 文件第 3 行")
        // is one language already.
        if (first <= 0 || text[..first].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 2)
        {
            return text;
        }

        // The Chinese half may start with what both halves quote, a time or a number ("… choose another time. 11:00 的名额已约满"):
        // then it starts after the English half's last sentence, when what lies between has no word in it.
        var cut = first;
        var end = text.LastIndexOfAny(['.', '!', '?'], first - 1);
        if (end > 0 && end + 1 < first && char.IsWhiteSpace(text[end + 1]) && !System.Text.RegularExpressions.Regex.IsMatch(text[(end + 1)..first], "[A-Za-z]{3}"))
        {
            cut = end + 1;
        }

        return Cultures.IsChinese(culture) ? text[cut..].Trim() : text[..cut].Trim();
    }

    /// <summary><see cref="Pick(string?, CultureInfo)"/> in the request's UI language.</summary>
    public static string Pick(string? text) => Pick(text, CultureInfo.CurrentUICulture);

    /// <summary>
    /// The language a quoted text is in (a regulation's own words, cited as published): <c>zh-CN</c> if it has a
    /// Chinese character, else <c>en</c>. For the <c>lang</c> attribute, so that screen readers read it right.
    /// </summary>
    public static string LanguageOf(string? text) => text is not null && FirstChinese(text) >= 0 ? Cultures.Chinese : Cultures.English;

    /// <summary>
    /// The <c>lang</c> of a stored value quoted whole (an audit log's before and after): its one language, or <c>""</c>
    /// (unknown) for a text written in both (a notice sent to the customer in Chinese and English), which no one
    /// language describes.
    /// </summary>
    public static string QuoteLanguage(string? text)
    {
        if (text is null || FirstChinese(text) < 0)
        {
            return Cultures.English;
        }

        var englishWords = System.Text.RegularExpressions.Regex.Count(text, @"(?<![A-Za-z])[A-Za-z]{2,}(?![A-Za-z])");
        return englishWords >= 3 ? "" : Cultures.Chinese;
    }

    /// <summary>
    /// A quoted text's paragraphs for a reader in <see cref="CultureInfo.CurrentUICulture"/>: a citation kept as published
    /// with a translation after it (the original, a line break, the English) shows the paragraphs in the reader's
    /// language; one only in the other language shows as it is, each paragraph with its language for the
    /// <c>lang</c> attribute.
    /// </summary>
    public static IReadOnlyList<(string Language, string Text)> Paragraphs(string? text)
    {
        var all = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => (Language: LanguageOf(p), Text: p)).ToList();
        var reader = Cultures.IsChinese(CultureInfo.CurrentUICulture) ? Cultures.Chinese : Cultures.English;
        var own = all.Where(p => p.Language == reader).ToList();
        return own.Count > 0 ? own : all;
    }

    private static int FirstChinese(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf' or '《' or '“')
            {
                return i;
            }
        }

        return -1;
    }
}
