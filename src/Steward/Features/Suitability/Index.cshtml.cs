using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Suitability;

/// <summary>The suitability desk: decisions waiting for a second reviewer (reviewers), and the rules and questionnaire in force.</summary>
public sealed class SuitabilityIndexModel(SuitabilityChecks checks, SuitabilityCatalog catalog, CurrentUser user) : PageModel
{
    public IReadOnlyList<DecisionDto> AwaitingReview { get; private set; } = [];

    public RuleSetDto? Rules { get; private set; }

    public QuestionnaireDto? Questionnaire { get; private set; }

    public bool CanReview => user.Can(Permission.SuitabilityReview);

    public bool CanManage => user.Can(Permission.SuitabilityRulesManage);

    public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanReview && !CanManage)
        {
            return Forbid();
        }

        if (CanReview && user.Can(Permission.CustomersRead))
        {
            AwaitingReview = await checks.AwaitingReviewAsync(ct);
        }

        Rules = await catalog.CurrentRulesAsync(ct);
        Questionnaire = await catalog.CurrentQuestionnaireAsync(ct);
        return Page();
    }
}
