using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>The surveys in force, their analysis by segment over a period (n and 95 % intervals; n &lt; 30 marked) and the latest responses.</summary>
public sealed class SurveysIndexModel(SurveyDefinitions definitions, SurveyAnalysis analysis, SurveyQueries queries, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    /// <summary>The instant the page judges follow-ups overdue by (the app's clock, as every deadline).</summary>
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>The comment drill-down: a segment's key and a word or phrase of its comments.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Segment { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Term { get; set; }

    /// <summary>The same period by month, for the trend chart.</summary>
    public SurveyAnalysisResult? Trend { get; private set; }

    public SurveyKeywordsResult? Keywords { get; private set; }

    public IReadOnlyList<SurveyResponseDto> OpenFollowUps { get; private set; } = [];

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
            Trend = By == SurveyAnalysisDimension.Month ? Analysis : (await analysis.AnalyseAsync(new SurveyAnalysisQuery { By = SurveyAnalysisDimension.Month, From = From, To = To }, Chinese, ct)).Value;
            Keywords = (await analysis.KeywordsAsync(new SurveyAnalysisQuery { By = By, From = From, To = To, Segment = Segment, Term = Term }, Chinese, ct)).Value;
        }
        else
        {
            Error = result.Error;
            Response.StatusCode = result.Error.Status;
        }

        Latest = await queries.ResponsesAsync(new SurveyListQuery { Limit = 20 }, ct);
        OpenFollowUps = await queries.OpenFollowUpsAsync(20, ct);
        return Page();
    }

    /// <summary>The trend chart's data (months, CSAT %, NPS, and whether each month is a small sample), labels in the page's language.</summary>
    public string TrendJson()
    {
        var months = Trend?.Segments ?? [];
        var chart = new SurveyTrendChart(
            [.. months.Select(m => m.Key)], l["survey.trend.csat"].Value, l["survey.trend.nps"].Value,
            [.. months.Select(m => m.Csat.Value is { } v ? Math.Round(v, 1) : (double?)null)], [.. months.Select(m => m.Nps.Value is { } v ? Math.Round(v, 1) : (double?)null)],
            [.. months.Select(m => m.Responses < SurveyFigure.SmallSampleBelow)], l["survey.smallSample"].Value);
        return System.Text.Json.JsonSerializer.Serialize(chart, System.Text.Json.JsonSerializerOptions.Web);
    }

    /// <summary>A segment key as the page shows it (channel and kind names translated).</summary>
    public string SegmentLabel(string key, string label) => By switch
    {
        SurveyAnalysisDimension.Channel => l["case.channel." + label].Value,
        SurveyAnalysisDimension.Kind => l["case.kind." + label].Value,
        _ => label,
    };

    public static string Number(double? value, string format = "0.0") => value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : "–";

    public static string Interval(SurveyFigure f, string format = "0.0") =>
        f.Low is { } low && f.High is { } high ? $"{low.ToString(format, CultureInfo.CurrentCulture)} – {high.ToString(format, CultureInfo.CurrentCulture)}" : "–";
}

public sealed record SurveyTrendChart(
    IReadOnlyList<string> Months, string CsatName, string NpsName, IReadOnlyList<double?> Csat, IReadOnlyList<double?> Nps, IReadOnlyList<bool> Small, string SmallName);
