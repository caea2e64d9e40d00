using System.Text.Json;
using Steward.Features.Customers;
using Steward.Features.Products;

namespace Steward.Features.Suitability;

/// <summary>
/// One version of the suitability rules, as data. The defaults follow the regulations:
/// <list type="bullet">
/// <item>《证券期货投资者适当性管理办法》 (CSRC Order 130) Art. 18: C1 investors are matched with R1 products, C2 with R2 and below,
/// C3 with R3 and below, C4 with R4 and below, C5 with all (<see cref="MaxLevel"/>); Art. 19: a customer who insists on a
/// product above their level may buy it after a special written warning, never one in the lowest category
/// (<see cref="AllowInsistAboveLevel"/>); Art. 22: staff never actively recommend above the customer's level.</item>
/// <item>《金融机构产品适当性管理办法》 (NFRA 2025 No. 7): an assessment is valid 12 months (<see cref="AssessmentValidMonths"/>);
/// an amount clearly out of line with the customer's finances is unsuitable (<see cref="MaxShareOfDeclaredAssets"/>);
/// a customer without full civil capacity buys low-risk products only, with the guardian's consent
/// (<see cref="LimitedCapacityMaxLevel"/>); special care for customers aged 65 and over (<see cref="ElderlyAge"/>:
/// a second reviewer and a cooling-off period for <see cref="ElderlyReviewFrom"/> and above).</item>
/// <item>Recorded sales (双录): products marked so, and insurance sold to customers aged <see cref="RecordedInsuranceAge"/>+.</item>
/// </list>
/// </summary>
public sealed record SuitabilityRuleContent(
    IReadOnlyDictionary<RiskTolerance, ProductRiskLevel> MaxLevel,
    int AssessmentValidMonths,
    bool AllowInsistAboveLevel,
    int ElderlyAge,
    ProductRiskLevel ElderlyReviewFrom,
    int CoolingOffHours,
    ProductRiskLevel LimitedCapacityMaxLevel,
    decimal MaxShareOfDeclaredAssets,
    int RecordedInsuranceAge)
{
    public static SuitabilityRuleContent Default { get; } = new(
        new Dictionary<RiskTolerance, ProductRiskLevel>
        {
            [RiskTolerance.C1] = ProductRiskLevel.R1,
            [RiskTolerance.C2] = ProductRiskLevel.R2,
            [RiskTolerance.C3] = ProductRiskLevel.R3,
            [RiskTolerance.C4] = ProductRiskLevel.R4,
            [RiskTolerance.C5] = ProductRiskLevel.R5,
        },
        AssessmentValidMonths: 12,
        AllowInsistAboveLevel: true,
        ElderlyAge: 65,
        ElderlyReviewFrom: ProductRiskLevel.R4,
        CoolingOffHours: 24,
        LimitedCapacityMaxLevel: ProductRiskLevel.R1,
        MaxShareOfDeclaredAssets: 0.5m,
        RecordedInsuranceAge: 60);

    public static SuitabilityRuleContent Parse(string json) => JsonSerializer.Deserialize<SuitabilityRuleContent>(json, QuestionnaireContent.Json)!;

    public string ToJson() => JsonSerializer.Serialize(this, QuestionnaireContent.Json);

    /// <summary>Field errors of a rule set: every level C1–C5 mapped and never lower than the level below; sensible ranges.</summary>
    public static Dictionary<string, string[]> Check(SuitabilityRuleContent? r)
    {
        var errors = new Dictionary<string, string[]>();
        if (r is null)
        {
            errors["rules"] = ["Send the rules. 请提交规则。"];
            return errors;
        }

        var levels = new[] { RiskTolerance.C1, RiskTolerance.C2, RiskTolerance.C3, RiskTolerance.C4, RiskTolerance.C5 };
        if (r.MaxLevel is null || !levels.All(r.MaxLevel.ContainsKey) || r.MaxLevel.ContainsKey(RiskTolerance.Unassessed))
        {
            errors["maxLevel"] = ["Map each level C1 to C5 to the highest product risk level it covers. 请为 C1 至 C5 各设可购买的最高产品风险等级。"];
        }
        else if (levels.Zip(levels.Skip(1)).Any(p => r.MaxLevel[p.Second] < r.MaxLevel[p.First]))
        {
            errors["maxLevel"] = ["A higher customer level never covers less than a lower one. 较高的客户等级可购买的范围不能小于较低等级。"];
        }

        if (r.AssessmentValidMonths is < 1 or > 36)
        {
            errors["assessmentValidMonths"] = ["Between 1 and 36 months. 应在 1 到 36 个月之间。"];
        }

        if (r.ElderlyAge is < 50 or > 100)
        {
            errors["elderlyAge"] = ["Between 50 and 100. 应在 50 到 100 之间。"];
        }

        if (r.RecordedInsuranceAge is < 50 or > 100)
        {
            errors["recordedInsuranceAge"] = ["Between 50 and 100. 应在 50 到 100 之间。"];
        }

        if (r.CoolingOffHours is < 0 or > 720)
        {
            errors["coolingOffHours"] = ["Between 0 and 720 hours. 应在 0 到 720 小时之间。"];
        }

        if (r.MaxShareOfDeclaredAssets is <= 0 or > 10)
        {
            errors["maxShareOfDeclaredAssets"] = ["A share above 0 and at most 10 (1 = all declared assets). 应大于 0 且不超过 10（1 表示全部申报资产）。"];
        }

        return errors;
    }
}

/// <summary>What a rule found: a stable code, whether it blocks, and the figures it compared (shown translated: <c>suitability.finding.{Code}</c>).</summary>
public sealed record SuitabilityFinding(string Code, FindingEffect Effect, IReadOnlyList<string> Args);

/// <summary>Block: the check fails. Insist: fails unless the customer insists and is warned. Require: passes with a condition (review, cooling-off). Note: for the record.</summary>
public enum FindingEffect
{
    Block,
    Insist,
    Require,
}

/// <summary>The customer as the check saw them.</summary>
public sealed record CustomerFacts(
    RiskTolerance Level, long? AssessmentId, int? QuestionnaireNumber, int? Score, DateTimeOffset? AssessedAt, KycStatus Kyc,
    DateOnly? BirthDate, bool LimitedCapacity, decimal? DeclaredAssets);

/// <summary>The product as the check saw it: both ratings, the effective one and where it came from.</summary>
public sealed record ProductFacts(
    long Id, string Code, ProductCategory Category, ProductRiskLevel IssuerLevel, ProductRiskLevel DistributorLevel, ProductRiskLevel Level,
    string LevelSource, ProductStatus Status, bool RecordedSalesRequired, decimal? MinimumAmount, long? QualificationTypeId, string? QualificationCode)
{
    /// <summary>The facts of <paramref name="p"/> now; the level's source is "issuer", "distributor" (the higher rating) or "both" when they agree.</summary>
    public static ProductFacts Of(Product p, string? qualificationCode) => new(
        p.Id, p.Code, p.Category, p.IssuerRiskLevel, p.DistributorRiskLevel, p.RiskLevel,
        p.IssuerRiskLevel == p.DistributorRiskLevel ? "both" : p.IssuerRiskLevel > p.DistributorRiskLevel ? "issuer" : "distributor",
        p.Status, p.RecordedSalesRequired, p.MinimumAmount, p.RequiredQualificationTypeId, qualificationCode);
}

/// <summary>The inputs of one check, stored with the decision so that it can be replayed.</summary>
public sealed record SuitabilityInputs(
    DateTimeOffset CheckedAt, DateOnly Today, SuitabilityAction Action, decimal? Amount, bool CustomerInsists, bool GuardianConsent,
    string? RecordingReference, CustomerFacts Customer, ProductFacts Product, long StaffId, bool StaffQualified)
{
    public static SuitabilityInputs Parse(string json) => JsonSerializer.Deserialize<SuitabilityInputs>(json, QuestionnaireContent.Json)!;

    public string ToJson() => JsonSerializer.Serialize(this, QuestionnaireContent.Json);
}

/// <summary>The outcome of the rules over one set of inputs.</summary>
public sealed record SuitabilityVerdict(SuitabilityOutcome Outcome, IReadOnlyList<SuitabilityFinding> Findings, bool NeedsReview, int CoolingOffHours);

/// <summary>
/// The suitability rules as one pure function of the inputs and a rule set: the same inputs and rules always give the same
/// verdict, which is what makes a stored decision replayable under other rules.
/// </summary>
public static class SuitabilityEvaluator
{
    public static SuitabilityVerdict Evaluate(SuitabilityInputs i, SuitabilityRuleContent rules)
    {
        var findings = new List<SuitabilityFinding>();
        var c = i.Customer;
        var p = i.Product;
        void Add(string code, FindingEffect effect, params string[] args) => findings.Add(new SuitabilityFinding(code, effect, args));

        if (p.Status != ProductStatus.OnSale)
        {
            Add("productNotOnSale", FindingEffect.Block, p.Status.ToString());
        }

        if (c.Kyc != KycStatus.Verified)
        {
            Add("kycNotVerified", FindingEffect.Block, c.Kyc.ToString());
        }

        var assessed = c.AssessedAt is { } at && c.Level != RiskTolerance.Unassessed;
        if (!assessed)
        {
            Add("assessmentMissing", FindingEffect.Block);
        }
        else if (c.AssessedAt!.Value.AddMonths(rules.AssessmentValidMonths) <= i.CheckedAt)
        {
            Add("assessmentExpired", FindingEffect.Block, Day(c.AssessedAt.Value.AddMonths(rules.AssessmentValidMonths)), rules.AssessmentValidMonths.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (p.QualificationTypeId is not null && !i.StaffQualified)
        {
            Add("staffNotQualified", FindingEffect.Block, p.QualificationCode ?? "");
        }

        var age = c.BirthDate is { } birth ? AgeOn(birth, i.Today) : (int?)null;
        if (c.LimitedCapacity)
        {
            if (p.Level > rules.LimitedCapacityMaxLevel)
            {
                Add("limitedCapacityLevel", FindingEffect.Block, p.Level.ToString(), rules.LimitedCapacityMaxLevel.ToString());
            }
            else if (!i.GuardianConsent)
            {
                Add("guardianConsentMissing", FindingEffect.Block);
            }
        }

        if (assessed && rules.MaxLevel.TryGetValue(c.Level, out var max) && p.Level > max)
        {
            // Art. 19: a customer who insists may be sold a product above their level after a special written warning —
            // never one in the lowest category; Art. 22: staff never actively recommend above the level.
            var lowest = c.Level == RiskTolerance.C1;
            var code = lowest ? "levelAboveLowest" : i.Action == SuitabilityAction.Recommend ? "levelAboveRecommend" : "levelAbove";
            var mayInsist = !lowest && rules.AllowInsistAboveLevel && i.Action == SuitabilityAction.Sell && !c.LimitedCapacity;
            Add(code, mayInsist ? FindingEffect.Insist : FindingEffect.Block, c.Level.ToString(), p.Level.ToString(), max.ToString());
        }

        if (i.Action == SuitabilityAction.Sell && i.Amount is { } amount)
        {
            if (p.MinimumAmount is { } minimum && amount < minimum)
            {
                Add("belowMinimum", FindingEffect.Block, Money(amount), Money(minimum));
            }

            if (c.DeclaredAssets is not { } assets)
            {
                Add("assetsNotDeclared", FindingEffect.Block, Money(amount));
            }
            else if (amount > assets * rules.MaxShareOfDeclaredAssets)
            {
                Add("amountOutOfLine", FindingEffect.Block, Money(amount), Money(assets), Percent(rules.MaxShareOfDeclaredAssets));
            }
        }

        var needsRecording = p.RecordedSalesRequired || (p.Category == ProductCategory.Insurance && age >= rules.RecordedInsuranceAge);
        if (i.Action == SuitabilityAction.Sell && needsRecording && string.IsNullOrWhiteSpace(i.RecordingReference))
        {
            Add("recordingMissing", FindingEffect.Block, p.RecordedSalesRequired ? "product" : "insuranceAge");
        }

        var needsReview = age >= rules.ElderlyAge && p.Level >= rules.ElderlyReviewFrom;
        if (needsReview)
        {
            Add("elderlyReview", FindingEffect.Require, age!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), rules.CoolingOffHours.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var outcome = findings.Any(f => f.Effect == FindingEffect.Block) ? SuitabilityOutcome.Block
            : findings.Any(f => f.Effect == FindingEffect.Insist) ? (i.CustomerInsists ? SuitabilityOutcome.ProceedAfterWarning : SuitabilityOutcome.Block)
            : SuitabilityOutcome.Pass;
        return new SuitabilityVerdict(outcome, findings, needsReview, needsReview ? rules.CoolingOffHours : 0);
    }

    /// <summary>Full years from <paramref name="birth"/> to <paramref name="today"/> (a birthday on 29 February counts from 1 March in other years).</summary>
    public static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        return today < birth.AddYears(age) ? age - 1 : age;
    }

    private static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture);

    private static string Percent(decimal share) => (share * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
