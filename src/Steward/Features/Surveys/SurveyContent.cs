using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steward.Features.Surveys;

/// <summary>An option of a single- or multiple-choice question.</summary>
public sealed record SurveyOption(string Id, string Text, string TextEn);

/// <summary>
/// One question. Scores are poor at or below <see cref="PoorAtMost"/> (CSAT, NPS) or at or above <see cref="PoorAtLeast"/>
/// (effort, where 7 is the hardest): the thresholds of the closed loop are data of the survey version.
/// </summary>
public sealed record SurveyQuestion(
    string Id, SurveyQuestionType Type, string Text, string TextEn, bool Required = false,
    IReadOnlyList<SurveyOption>? Options = null, int? PoorAtMost = null, int? PoorAtLeast = null)
{
    /// <summary>The lowest and highest score of a scored question (CSAT 1–5, NPS 0–10, effort 1–7); null for the others.</summary>
    public (int Min, int Max)? Range => Type switch
    {
        SurveyQuestionType.Csat => (1, 5),
        SurveyQuestionType.Nps => (0, 10),
        SurveyQuestionType.Effort => (1, 7),
        SurveyQuestionType.SingleChoice or SurveyQuestionType.MultipleChoice or SurveyQuestionType.FreeText => null,
    };

    public bool IsPoor(int score) => (PoorAtMost is { } most && score <= most) || (PoorAtLeast is { } least && score >= least);
}

/// <summary>The questions of one survey version, in Chinese and English.</summary>
public sealed record SurveyContent(string Title, string TitleEn, string? Intro, string? IntroEn, IReadOnlyList<SurveyQuestion> Questions)
{
    public const int MaxTextLength = 2000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static SurveyContent Parse(string json) => JsonSerializer.Deserialize<SurveyContent>(json, Json)!;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// What is wrong with a survey an administrator publishes, by field: a title in both languages, at least one question;
    /// each question an id (letters, digits, - and _), unique, both texts; choice questions at least two options with ids
    /// and both texts; thresholds inside the question's range and only on scored questions.
    /// </summary>
    public static Dictionary<string, string[]> Check(SurveyContent? content)
    {
        var errors = new Dictionary<string, string[]>();
        if (content is null)
        {
            errors["content"] = ["Send the survey's questions. 请提交问卷内容。"];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(content.Title) || string.IsNullOrWhiteSpace(content.TitleEn))
        {
            errors["content.title"] = ["Give the title in Chinese and in English. 请填写中英文标题。"];
        }

        if (content.Questions is not { Count: > 0 })
        {
            errors["content.questions"] = ["Add at least one question. 至少需要一个问题。"];
            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < content.Questions.Count; i++)
        {
            var q = content.Questions[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"content.questions[{i}]");
            if (q is null || string.IsNullOrWhiteSpace(q.Id) || q.Id.Length > 40 || !q.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || !ids.Add(q.Id))
            {
                errors[at + ".id"] = ["Each question needs its own id (letters, digits, - or _, at most 40). 每个问题需要唯一的编号（字母、数字、- 或 _，最多 40 个字符）。"];
                continue;
            }

            if (string.IsNullOrWhiteSpace(q.Text) || string.IsNullOrWhiteSpace(q.TextEn))
            {
                errors[at + ".text"] = ["Give the question in Chinese and in English. 请填写中英文题目。"];
            }

            if (q.Type is SurveyQuestionType.SingleChoice or SurveyQuestionType.MultipleChoice)
            {
                var options = q.Options ?? [];
                if (options.Count < 2 || options.Any(o => o is null || string.IsNullOrWhiteSpace(o.Id) || string.IsNullOrWhiteSpace(o.Text) || string.IsNullOrWhiteSpace(o.TextEn))
                    || options.Select(o => o.Id).Distinct(StringComparer.Ordinal).Count() != options.Count)
                {
                    errors[at + ".options"] = ["A choice needs at least two options, each with its own id and both texts. 选择题至少两个选项，每个选项须有唯一编号和中英文文字。"];
                }
            }
            else if (q.Options is { Count: > 0 })
            {
                errors[at + ".options"] = ["Only choice questions have options. 只有选择题有选项。"];
            }

            if (q.Range is { } range)
            {
                if ((q.PoorAtMost is { } most && (most < range.Min || most > range.Max)) || (q.PoorAtLeast is { } least && (least < range.Min || least > range.Max)))
                {
                    errors[at + ".poor"] = [string.Create(CultureInfo.InvariantCulture, $"A threshold must lie within {range.Min}–{range.Max}. 阈值须在 {range.Min}–{range.Max} 之间。")];
                }
            }
            else if (q.PoorAtMost is not null || q.PoorAtLeast is not null)
            {
                errors[at + ".poor"] = ["Only scored questions (CSAT, NPS, effort) have a threshold. 只有评分题（CSAT、NPS、费力度）可设阈值。"];
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks a customer's answers against the questions and returns them in stored form (question id → values), or the
    /// errors by field <c>answers.{id}</c>: an unknown question, a score that is not a whole number in the question's range
    /// (an NPS of 11), an option the question does not have, two options for a single choice, text over 2000 characters, a
    /// required question left out, or nothing answered at all.
    /// </summary>
    public (Dictionary<string, string[]> Answers, Dictionary<string, string[]> Errors) Validate(IReadOnlyDictionary<string, IReadOnlyList<string>>? given)
    {
        var answers = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        given ??= new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (id, raw) in given)
        {
            var values = (raw ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToArray();
            var q = Questions.FirstOrDefault(x => x.Id == id);
            if (q is null)
            {
                errors["answers." + id] = ["This survey has no such question. 问卷中没有这个问题。"];
                continue;
            }

            if (values.Length == 0)
            {
                continue;
            }

            switch (q.Type)
            {
                case SurveyQuestionType.Csat or SurveyQuestionType.Nps or SurveyQuestionType.Effort:
                    var (min, max) = q.Range!.Value;
                    if (values.Length != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var score) || score < min || score > max)
                    {
                        errors["answers." + id] = [string.Create(CultureInfo.InvariantCulture, $"Choose one score from {min} to {max}. 请选择 {min} 到 {max} 之间的一个分数。")];
                        continue;
                    }

                    answers[id] = [score.ToString(CultureInfo.InvariantCulture)];
                    break;
                case SurveyQuestionType.SingleChoice or SurveyQuestionType.MultipleChoice:
                    var known = (q.Options ?? []).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
                    var distinct = values.Distinct(StringComparer.Ordinal).ToArray();
                    if (distinct.Any(v => !known.Contains(v)) || (q.Type == SurveyQuestionType.SingleChoice && distinct.Length > 1))
                    {
                        errors["answers." + id] = [q.Type == SurveyQuestionType.SingleChoice ? "Choose one of the options. 请选择一个选项。" : "Choose from the options. 请从选项中选择。"];
                        continue;
                    }

                    answers[id] = distinct;
                    break;
                case SurveyQuestionType.FreeText:
                    var text = string.Join("\n", values);
                    if (text.Length > MaxTextLength)
                    {
                        errors["answers." + id] = ["Write at most 2000 characters. 最多 2000 个字。"];
                        continue;
                    }

                    answers[id] = [text];
                    break;
            }
        }

        foreach (var q in Questions.Where(q => q.Required && !answers.ContainsKey(q.Id) && !errors.ContainsKey("answers." + q.Id)))
        {
            errors["answers." + q.Id] = ["Please answer this question. 请回答此题。"];
        }

        if (errors.Count == 0 && answers.Count == 0)
        {
            errors["answers"] = ["Answer at least one question. 请至少回答一个问题。"];
        }

        return (answers, errors);
    }

    /// <summary>The first answered score of each scored type (what the analysis reads) and whether any answered score is poor.</summary>
    public (int? Csat, int? Nps, int? Effort, bool Poor) Scores(IReadOnlyDictionary<string, string[]> answers)
    {
        int? csat = null, nps = null, effort = null;
        var poor = false;
        foreach (var q in Questions.Where(q => q.Range is not null && answers.ContainsKey(q.Id)))
        {
            var score = int.Parse(answers[q.Id][0], CultureInfo.InvariantCulture);
            poor |= q.IsPoor(score);
            switch (q.Type)
            {
                case SurveyQuestionType.Csat: csat ??= score; break;
                case SurveyQuestionType.Nps: nps ??= score; break;
                case SurveyQuestionType.Effort: effort ??= score; break;
            }
        }

        return (csat, nps, effort, poor);
    }
}
