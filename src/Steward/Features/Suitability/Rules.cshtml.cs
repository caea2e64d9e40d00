using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

/// <summary>Publishes the next version of the suitability rules (compliance, administrators); earlier decisions keep theirs.</summary>
[RequirePermission(Permission.SuitabilityRulesManage)]
public sealed class RulesModel(SuitabilityCatalog catalog) : PageModel
{
    public RuleSetDto? Current { get; private set; }

    public IReadOnlyList<RuleSetDto> History { get; private set; } = [];

    [BindProperty]
    public RulesInput Input { get; set; } = new();

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var r = Current!.Rules;
        Input = new RulesInput
        {
            BasedOn = Current.Number, C1 = r.MaxLevel[RiskTolerance.C1], C2 = r.MaxLevel[RiskTolerance.C2], C3 = r.MaxLevel[RiskTolerance.C3], C4 = r.MaxLevel[RiskTolerance.C4],
            C5 = r.MaxLevel[RiskTolerance.C5], AssessmentValidMonths = r.AssessmentValidMonths, AllowInsistAboveLevel = r.AllowInsistAboveLevel, ElderlyAge = r.ElderlyAge,
            ElderlyReviewFrom = r.ElderlyReviewFrom, CoolingOffHours = r.CoolingOffHours, LimitedCapacityMaxLevel = r.LimitedCapacityMaxLevel,
            MaxSharePercent = r.MaxShareOfDeclaredAssets * 100, RecordedInsuranceAge = r.RecordedInsuranceAge,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var i = Input;
        var rules = new SuitabilityRuleContent(
            new Dictionary<RiskTolerance, ProductRiskLevel> { [RiskTolerance.C1] = i.C1, [RiskTolerance.C2] = i.C2, [RiskTolerance.C3] = i.C3, [RiskTolerance.C4] = i.C4, [RiskTolerance.C5] = i.C5 },
            i.AssessmentValidMonths ?? 0, i.AllowInsistAboveLevel, i.ElderlyAge ?? 0, i.ElderlyReviewFrom, i.CoolingOffHours ?? -1, i.LimitedCapacityMaxLevel,
            (i.MaxSharePercent ?? 0) / 100, i.RecordedInsuranceAge ?? 0);
        var published = await catalog.PublishRulesAsync(new RuleSetPublishRequest(i.BasedOn, rules, i.Note), ct);
        if (published.Succeeded)
        {
            return Redirect("/Suitability");
        }

        await LoadAsync(ct);
        Error = published.Error;
        Response.StatusCode = published.Error.Status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        History = await catalog.RuleHistoryAsync(ct);
        Current = History[0];
    }
}

public sealed class RulesInput
{
    public int? BasedOn { get; set; }

    public ProductRiskLevel C1 { get; set; }

    public ProductRiskLevel C2 { get; set; }

    public ProductRiskLevel C3 { get; set; }

    public ProductRiskLevel C4 { get; set; }

    public ProductRiskLevel C5 { get; set; }

    public int? AssessmentValidMonths { get; set; }

    public bool AllowInsistAboveLevel { get; set; }

    public int? ElderlyAge { get; set; }

    public ProductRiskLevel ElderlyReviewFrom { get; set; }

    public int? CoolingOffHours { get; set; }

    public ProductRiskLevel LimitedCapacityMaxLevel { get; set; }

    public decimal? MaxSharePercent { get; set; }

    public int? RecordedInsuranceAge { get; set; }

    public string? Note { get; set; }
}
