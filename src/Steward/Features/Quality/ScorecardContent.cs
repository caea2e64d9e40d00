using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steward.Features.Quality;

/// <summary>
/// One item of a scorecard. <see cref="Weight"/> 0–100 (its share among the items counted); <see cref="Critical"/>: an answer
/// below 50 % sets the whole review to 0; <see cref="Bonus"/>: not in the mean, its weighted points are added on top (at most
/// 100 in all) and it may be left unanswered; <see cref="AllowNa"/>: "not applicable" may be chosen (the item is then left out).
/// </summary>
public sealed record ScorecardItem(
    string Id, string Text, string TextEn, QaScale Scale, int Weight, bool AllowNa = false, bool Critical = false, bool Bonus = false,
    string? Guidance = null, string? GuidanceEn = null)
{
    /// <summary>The lowest and highest answer of the scale: yes/no 0–1 (no = 0), the point scales from 1.</summary>
    public (int Min, int Max) Range => Scale switch
    {
        QaScale.YesNo => (0, 1),
        QaScale.ThreePoint => (1, 3),
        QaScale.FourPoint => (1, 4),
        QaScale.FivePoint => (1, 5),
    };
}

public sealed record ScorecardSection(string Id, string Title, string TitleEn, IReadOnlyList<ScorecardItem> Items);

/// <summary>The sections and items of one scorecard version, in Chinese and English.</summary>
public sealed record ScorecardContent(IReadOnlyList<ScorecardSection> Sections)
{
    public const int MaxTextLength = 500;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Chinese text stored as itself, not as \u escapes: the audit log shows the stored content to people.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static ScorecardContent Parse(string json) => JsonSerializer.Deserialize<ScorecardContent>(json, Json)!;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public IEnumerable<ScorecardItem> Items => Sections.SelectMany(s => s.Items);

    /// <summary>
    /// What is wrong with a scorecard an inspector publishes, by field: at least one section with at least one item; ids of
    /// letters, digits, - and _, unique across the scorecard; both texts; a weight 0–100; a bonus item neither critical nor
    /// N/A; at least one counted (non-bonus) item with a weight above 0.
    /// </summary>
    public static Dictionary<string, string[]> Check(ScorecardContent? content)
    {
        var errors = new Dictionary<string, string[]>();
        if (content?.Sections is not { Count: > 0 })
        {
            errors["content.sections"] = ["Give the scorecard at least one section. 请至少设置一个评分部分。"];
            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < content.Sections.Count; s++)
        {
            var section = content.Sections[s];
            var key = $"content.sections[{s}]";
            if (section is null || string.IsNullOrWhiteSpace(section.Title) || string.IsNullOrWhiteSpace(section.TitleEn) || !ValidId(section.Id) || !ids.Add(section.Id))
            {
                errors[key] = ["Each section needs its own id (letters, digits, - and _) and a title in Chinese and in English. 每个部分需有唯一编号（字母、数字、- 和 _）及中英文标题。"];
                continue;
            }

            if (section.Items is not { Count: > 0 })
            {
                errors[key + ".items"] = ["Give each section at least one item. 每个部分至少需有一个评分项。"];
                continue;
            }

            for (var i = 0; i < section.Items.Count; i++)
            {
                var item = section.Items[i];
                var itemKey = $"{key}.items[{i}]";
                if (item is null || !ValidId(item.Id) || !ids.Add(item.Id))
                {
                    errors[itemKey] = ["Each item needs its own id (letters, digits, - and _). 每个评分项需有唯一编号（字母、数字、- 和 _）。"];
                }
                else if (string.IsNullOrWhiteSpace(item.Text) || string.IsNullOrWhiteSpace(item.TextEn) || item.Text.Length > MaxTextLength || item.TextEn.Length > MaxTextLength)
                {
                    errors[itemKey] = ["Give the item's text in Chinese and in English (at most 500 characters each). 请填写评分项的中英文内容（各不超过 500 个字符）。"];
                }
                else if (item.Weight is < 0 or > 100 || !Enum.IsDefined(item.Scale))
                {
                    errors[itemKey] = ["An item's weight is 0 to 100, its scale yes/no, 3, 4 or 5 points. 评分项权重为 0 至 100，量表为是/否或 3、4、5 分制。"];
                }
                else if (item.Bonus && (item.Critical || item.AllowNa))
                {
                    errors[itemKey] = ["A bonus item is neither critical nor N/A: it only adds points. 加分项不能设为关键项或允许不适用：它只加分。"];
                }
            }
        }

        if (errors.Count == 0 && !content.Items.Any(i => !i.Bonus && i.Weight > 0))
        {
            errors["content.sections"] = ["At least one item that is not a bonus needs a weight above 0. 至少需有一个权重大于 0 的非加分项。"];
        }

        return errors;
    }

    private static bool ValidId(string? id) =>
        id is { Length: > 0 and <= 40 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
