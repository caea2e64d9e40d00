using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Customers;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

/// <summary>
/// Publishes the next version of the risk-tolerance questionnaire (compliance, administrators): the current version's
/// questions, options and scores in both languages, one empty question and one empty option per question to add, and the
/// five score bands. A row left entirely empty is dropped; earlier assessments keep the version they were answered on.
/// </summary>
[RequirePermission(Permission.SuitabilityRulesManage)]
public sealed class QuestionnaireModel(SuitabilityCatalog catalog) : PageModel
{
    [BindProperty]
    public QuestionnaireInput Input { get; set; } = new();

    public int CurrentNumber { get; private set; }

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    public IReadOnlyList<string> FieldErrorsOf(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var current = await catalog.CurrentQuestionnaireAsync(ct);
        CurrentNumber = current.Number;
        Input = QuestionnaireInput.From(current);
        Input.AddBlankRows();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var published = await catalog.PublishQuestionnaireAsync(new QuestionnairePublishRequest(Input.BasedOn, Input.ToContent()), ct);
        if (published.Succeeded)
        {
            return Redirect("/Suitability");
        }

        CurrentNumber = (await catalog.CurrentQuestionnaireAsync(ct)).Number;
        Error = published.Error;
        Response.StatusCode = published.Error.Status;
        Input.DropBlankRows();
        return Page();
    }
}

public sealed class QuestionnaireInput
{
    public int? BasedOn { get; set; }

    public string? Title { get; set; }

    public string? TitleEn { get; set; }

    public List<QuestionInput> Questions { get; set; } = [];

    public Dictionary<RiskTolerance, int?> Bands { get; set; } = [];

    public static QuestionnaireInput From(QuestionnaireDto q) => new()
    {
        BasedOn = q.Number,
        Title = q.Content.Title,
        TitleEn = q.Content.TitleEn,
        Questions = [.. q.Content.Questions.Select(x => new QuestionInput
        {
            Id = x.Id, Text = x.Text, TextEn = x.TextEn,
            Options = [.. x.Options.Select(o => new OptionInput { Id = o.Id, Text = o.Text, TextEn = o.TextEn, Score = o.Score })],
        })],
        Bands = q.Content.Bands.ToDictionary(b => b.Level, b => (int?)b.MinScore),
    };

    public void AddBlankRows()
    {
        foreach (var q in Questions)
        {
            q.Options.Add(new OptionInput());
        }

        Questions.Add(new QuestionInput { Options = [new OptionInput(), new OptionInput()] });
    }

    public void DropBlankRows()
    {
        Questions.RemoveAll(q => q.IsBlank);
        Questions.ForEach(q => q.Options.RemoveAll(o => o.IsBlank));
    }

    /// <summary>The questionnaire as typed, rows left empty dropped; a score that is not a number becomes -1 so that it is refused at its field.</summary>
    public QuestionnaireContent ToContent()
    {
        DropBlankRows();
        return new QuestionnaireContent(
            Title?.Trim() ?? "", TitleEn?.Trim() ?? "",
            [.. Questions.Select(q => new Question(q.Id?.Trim() ?? "", q.Text?.Trim() ?? "", q.TextEn?.Trim() ?? "",
                [.. q.Options.Select(o => new QuestionOption(o.Id?.Trim() ?? "", o.Text?.Trim() ?? "", o.TextEn?.Trim() ?? "", o.Score ?? -1))]))],
            [.. Bands.Where(b => b.Value is not null).Select(b => new ScoreBand(b.Key, b.Value!.Value))]);
    }
}

public sealed class QuestionInput
{
    public string? Id { get; set; }

    public string? Text { get; set; }

    public string? TextEn { get; set; }

    public List<OptionInput> Options { get; set; } = [];

    public bool IsBlank => string.IsNullOrWhiteSpace(Id) && string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(TextEn) && Options.All(o => o.IsBlank);
}

public sealed class OptionInput
{
    public string? Id { get; set; }

    public string? Text { get; set; }

    public string? TextEn { get; set; }

    public int? Score { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Id) && string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(TextEn) && Score is null;
}
