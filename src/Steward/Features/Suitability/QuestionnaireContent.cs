using System.Text.Json;
using System.Text.Json.Serialization;
using Steward.Features.Customers;

namespace Steward.Features.Suitability;

/// <summary>An option of a question, with the score it adds.</summary>
public sealed record QuestionOption(string Id, string Text, string TextEn, int Score);

/// <summary>A question of the questionnaire; the customer chooses exactly one option.</summary>
public sealed record Question(string Id, string Text, string TextEn, IReadOnlyList<QuestionOption> Options);

/// <summary>A score band: a total from <see cref="MinScore"/> up (to the next band's minimum) gives <see cref="Level"/>.</summary>
public sealed record ScoreBand(RiskTolerance Level, int MinScore);

/// <summary>The questions and the bands of one questionnaire version.</summary>
public sealed record QuestionnaireContent(string Title, string TitleEn, IReadOnlyList<Question> Questions, IReadOnlyList<ScoreBand> Bands)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Chinese text stored as itself, not as \u escapes: the audit log shows the stored content to people.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static QuestionnaireContent Parse(string json) => JsonSerializer.Deserialize<QuestionnaireContent>(json, Json)!;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The level of a total score: the band with the highest minimum at or below it.</summary>
    public RiskTolerance LevelOf(int score) =>
        Bands.Where(b => b.MinScore <= score).OrderByDescending(b => b.MinScore).Select(b => b.Level).FirstOrDefault(RiskTolerance.C1);

    /// <summary>
    /// What is wrong with a questionnaire an administrator publishes, by field: each question and option needs an id, both
    /// texts and (options) a score ≥ 0; ids unique; at least two options a question; the five bands C1–C5 once each, C1
    /// from 0, minimums rising with the level.
    /// </summary>
    public static Dictionary<string, string[]> Check(QuestionnaireContent? content)
    {
        var errors = new Dictionary<string, string[]>();
        if (content is null)
        {
            errors["content"] = ["Send the questionnaire. 请提交问卷内容。"];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(content.Title) || string.IsNullOrWhiteSpace(content.TitleEn))
        {
            errors["title"] = ["Give the title in Chinese and in English. 请填写中英文标题。"];
        }

        if (content.Questions is not { Count: > 0 })
        {
            errors["questions"] = ["Add at least one question. 至少需要一个问题。"];
        }

        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (content.Questions?.Count ?? 0); i++)
        {
            var q = content.Questions![i];
            var at = $"questions[{i}]";
            if (string.IsNullOrWhiteSpace(q.Id) || q.Id.Length > 20 || !questionIds.Add(q.Id))
            {
                errors[at + ".id"] = ["Each question needs its own id (up to 20 characters). 每个问题需要唯一的编号（不超过 20 个字符）。"];
            }

            if (string.IsNullOrWhiteSpace(q.Text) || string.IsNullOrWhiteSpace(q.TextEn))
            {
                errors[at + ".text"] = ["Give the question in Chinese and in English. 请填写问题的中英文。"];
            }

            if (q.Options is not { Count: >= 2 })
            {
                errors[at + ".options"] = ["A question needs at least two options. 每个问题至少需要两个选项。"];
                continue;
            }

            var optionIds = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < q.Options.Count; j++)
            {
                var o = q.Options[j];
                var oat = $"{at}.options[{j}]";
                if (string.IsNullOrWhiteSpace(o.Id) || o.Id.Length > 20 || !optionIds.Add(o.Id))
                {
                    errors[oat + ".id"] = ["Each option of a question needs its own id. 同一问题的选项编号不能重复。"];
                }

                if (string.IsNullOrWhiteSpace(o.Text) || string.IsNullOrWhiteSpace(o.TextEn))
                {
                    errors[oat + ".text"] = ["Give the option in Chinese and in English. 请填写选项的中英文。"];
                }

                if (o.Score is < 0 or > 100)
                {
                    errors[oat + ".score"] = ["A score is from 0 to 100. 分值应在 0 到 100 之间。"];
                }
            }
        }

        var bands = content.Bands ?? [];
        var levels = new[] { RiskTolerance.C1, RiskTolerance.C2, RiskTolerance.C3, RiskTolerance.C4, RiskTolerance.C5 };
        if (bands.Count != 5 || !levels.All(l => bands.Count(b => b.Level == l) == 1))
        {
            errors["bands"] = ["Give one score band for each level C1 to C5. 请为 C1 至 C5 每个等级各设一个分数段。"];
        }
        else
        {
            var ordered = levels.Select(l => bands.Single(b => b.Level == l).MinScore).ToArray();
            if (ordered[0] != 0 || ordered.Zip(ordered.Skip(1)).Any(p => p.Second <= p.First))
            {
                errors["bands"] = ["C1 starts at 0 and each higher level needs a higher minimum score. C1 从 0 分起，等级越高最低分越高。"];
            }
        }

        return errors;
    }
}
