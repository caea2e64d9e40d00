using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Problems;

namespace Steward.Features.Tiering;

/// <summary>The tier rules at <c>/Tiering/Rules</c> for administrators: each tier's minimums and the grace days before a downgrade.</summary>
public sealed class RulesModel(TierRules rules) : PageModel
{
    public sealed class ThresholdInput
    {
        public decimal? MinAum { get; set; }

        public int? MinProducts { get; set; }

        public int? MinTenureMonths { get; set; }

        public TierThresholdDto ToDto() => new(MinAum, MinProducts, MinTenureMonths);

        public static ThresholdInput From(TierThresholdDto d) => new() { MinAum = d.MinAum, MinProducts = d.MinProducts, MinTenureMonths = d.MinTenureMonths };
    }

    public sealed class RulesInput
    {
        public int Version { get; set; }

        public int? GraceDays { get; set; }

        public ThresholdInput Silver { get; set; } = new();

        public ThresholdInput Gold { get; set; } = new();

        public ThresholdInput Platinum { get; set; } = new();

        public ThresholdInput Private { get; set; } = new();

        public ThresholdInput For(string field) => field switch
        {
            "silver" => Silver,
            "gold" => Gold,
            "platinum" => Platinum,
            _ => Private,
        };
    }

    [BindProperty]
    public RulesInput Input { get; set; } = new();

    public Error? Error { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken ct)
    {
        Saved = saved;
        var dto = await rules.GetAsync(ct);
        Input = new RulesInput
        {
            Version = dto.Version, GraceDays = dto.GraceDays, Silver = ThresholdInput.From(dto.Silver), Gold = ThresholdInput.From(dto.Gold),
            Platinum = ThresholdInput.From(dto.Platinum), Private = ThresholdInput.From(dto.Private),
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A value the binder could not read (letters in a number) arrives as null and is refused at its field by the rules.
        var result = await rules.SaveAsync(new TierRulesRequest(Input.Version, Input.GraceDays, Input.Silver.ToDto(), Input.Gold.ToDto(), Input.Platinum.ToDto(), Input.Private.ToDto()), ct);
        if (result.Succeeded)
        {
            return Redirect("/Tiering/Rules?saved=true");
        }

        Error = result.Error;
        Response.StatusCode = result.Error.Status;
        return Page();
    }
}
