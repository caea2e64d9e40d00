using System.Globalization;
using Microsoft.Extensions.Localization;
using Steward.Features.Customers;
using Steward.Platform.Localization;

namespace Steward.Features.Suitability;

/// <summary>How findings, levels and times of the suitability pages are written for the reader.</summary>
public static class SuitabilityDisplay
{
    /// <summary>A finding as a sentence in the reader's language; arguments that name a state are translated too.</summary>
    public static string Finding(IStringLocalizer l, SuitabilityFinding f)
    {
        var args = f.Args.Select((a, i) => (object)(f.Code, i) switch
        {
            ("productNotOnSale", 0) => l["enum.ProductStatus." + a].Value,
            ("kycNotVerified", 0) => l["enum.KycStatus." + a].Value,
            ("recordingMissing", 0) => l["suit.recordingFor." + a].Value,
            ("amountOutOfLine" or "belowMinimum" or "assetsNotDeclared", 0 or 1) => a + " CNY",
            _ => a,
        }).ToArray();
        return l["suit.finding." + f.Code, args].Value;
    }

    public static string OutcomeBadge(SuitabilityOutcome outcome) => outcome switch
    {
        SuitabilityOutcome.Pass => "text-bg-success",
        SuitabilityOutcome.ProceedAfterWarning => "text-bg-warning",
        _ => "text-bg-danger",
    };

    public static string StatusBadge(DecisionStatus status) => status switch
    {
        DecisionStatus.Cleared => "text-bg-success",
        DecisionStatus.AwaitingAcknowledgment or DecisionStatus.AwaitingReview => "text-bg-warning",
        _ => "text-bg-danger",
    };

    /// <summary>The product's name in the reader's language.</summary>
    public static string ProductName(DecisionDto d) => Cultures.IsChinese(CultureInfo.CurrentUICulture) || string.IsNullOrEmpty(d.ProductNameEn) ? d.ProductName : d.ProductNameEn;

    public static string Text(QuestionOption o) => Cultures.IsChinese(CultureInfo.CurrentUICulture) ? o.Text : o.TextEn;

    public static string Text(Question q) => Cultures.IsChinese(CultureInfo.CurrentUICulture) ? q.Text : q.TextEn;

    public static string Title(QuestionnaireContent c) => Cultures.IsChinese(CultureInfo.CurrentUICulture) ? c.Title : c.TitleEn;

    public static string Level(IStringLocalizer l, RiskTolerance level) => l["enum.RiskTolerance." + level].Value;
}
