using System.Globalization;

namespace Steward.Features.Cases;

/// <summary>The checks of free text a case takes (subject, description, names, messages, tags); errors are collected per field.</summary>
internal static class CaseInput
{
    /// <summary>The trimmed text, or null with an error for <paramref name="field"/> when it is missing or longer than <paramref name="max"/>.</summary>
    public static string? Text(Dictionary<string, string[]> errors, string field, string? value, int max, string label)
    {
        var text = value?.Trim();
        // "English 中文" as every message (OneLanguage shows one half): the label "Subject 主题" in each half.
        var split = label.IndexOf(' ', StringComparison.Ordinal);
        var (en, zh) = split > 0 ? (label[..split], label[(split + 1)..]) : (label, label);
        if (string.IsNullOrEmpty(text))
        {
            errors[field] = [$"{en}: required. {zh}：必填。"];
            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [$"{en}: at most {max.ToString(CultureInfo.InvariantCulture)} characters. {zh}：最多 {max.ToString(CultureInfo.InvariantCulture)} 字。"];
            return null;
        }

        return text;
    }

    public static List<string> Tags(Dictionary<string, string[]> errors, IReadOnlyList<string>? tags)
    {
        var clean = (tags ?? []).Select(t => (t ?? "").Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (clean.Count > 10 || clean.Any(t => t.Length > 40 || t.Contains(',', StringComparison.Ordinal)))
        {
            errors["tags"] = ["At most 10 tags of at most 40 characters, without commas. 最多 10 个标签，每个不超过 40 字，不含逗号。"];
        }

        return clean;
    }
}
