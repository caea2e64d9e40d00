using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Steward.Platform.Localization;

/// <summary>
/// A translated sentence that quotes code (a template's <c>{{ reference }}</c>, a command): the sentence is in the
/// reader's language, each <c>{n}</c> in it becomes <c>&lt;code lang=""&gt;</c> with the n-th code, so the quoted code is
/// marked as no language (it reads the same in both) and both parts are HTML-encoded.
/// </summary>
public static partial class WithCode
{
    public static IHtmlContent Format(string sentence, params string[] codes)
    {
        var html = new HtmlContentBuilder();
        var at = 0;
        while (at < sentence.Length)
        {
            var open = sentence.IndexOf('{', at);
            var close = open < 0 ? -1 : sentence.IndexOf('}', open);
            if (open < 0 || close < 0 || !int.TryParse(sentence.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n >= codes.Length)
            {
                html.Append(sentence[at..]);
                break;
            }

            html.Append(sentence[at..open]);
            html.AppendHtml("<code lang=\"\">" + HtmlEncoder.Default.Encode(codes[n]) + "</code>");
            at = close + 1;
        }

        return html;
    }

    /// <summary>A text that quotes template tags (<c>{{ reference }}</c>, <c>{% if … %}</c>): each tag marked as code of no language.</summary>
    public static IHtmlContent TemplateTags(string text)
    {
        var html = new HtmlContentBuilder();
        var at = 0;
        foreach (System.Text.RegularExpressions.Match tag in Tag().Matches(text))
        {
            html.Append(text[at..tag.Index]);
            html.AppendHtml("<code lang=\"\">" + HtmlEncoder.Default.Encode(tag.Value) + "</code>");
            at = tag.Index + tag.Length;
        }

        html.Append(text[at..]);
        return html;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}")]
    private static partial System.Text.RegularExpressions.Regex Tag();
}
