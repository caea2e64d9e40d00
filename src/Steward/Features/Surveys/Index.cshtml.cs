using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>The surveys in force, their analysis by segment over a period (n and 95 % intervals; n &lt; 30 marked) and the latest responses.</summary>
public sealed class SurveysIndexModel(SurveyDefinitions definitions, SurveyAnalysis analysis, SurveyQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public SurveyAnalysisDimension By { get; set; } = SurveyAnalysisDimension.Branch;

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public IReadOnlyList<SurveyDefinitionDto> Definitions { get; private set; } = [];

    public SurveyAnalysisResult? Analysis { get; private set; }

    public IReadOnlyList<SurveyResponseDto> Latest { get; private set; } = [];

    public Error? Error { get; private set; }

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public IReadOnlyList<string> FieldErrors(string field) => Shared.FieldErrors.For(Error, field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Definitions = await definitions.CurrentAsync(ct);
        var result = await analysis.AnalyseAsync(new SurveyAnalysisQuery { By = By, From = From, To = To }, Chinese, ct);
        if (result.Succeeded)
        {
            Analysis = result.Value;
            (From, To) = (result.Value.From, result.Value.To);
        }
        else
        {
            Error = result.Error;
            Response.StatusCode = result.Error.Status;
        }

        Latest = await queries.ResponsesAsync(new SurveyListQuery { Limit = 20 }, ct);
        return Page();
    }

    public static string Number(double? value, string format = "0.0") => value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : "–";

    public static string Interval(SurveyFigure f, string format = "0.0") =>
        f.Low is { } low && f.High is { } high ? $"{low.ToString(format, CultureInfo.CurrentCulture)} – {high.ToString(format, CultureInfo.CurrentCulture)}" : "–";
}
