using System.Globalization;
using Microsoft.Extensions.Localization;
using Steward.Platform.Localization;

namespace Steward.Features.Products;

/// <summary>How the pages write a product's figures, in the reader's language.</summary>
public static class ProductDisplay
{
    public static string Name(ProductDto p) => Cultures.IsChinese(CultureInfo.CurrentUICulture) ? p.Name : p.NameEn;

    public static string Return(ProductDto p, IStringLocalizer l) => (p.ExpectedReturnMinPercent, p.ExpectedReturnMaxPercent) switch
    {
        (null, null) => l["product.none"],
        ({ } min, { } max) when min == max => Percent(min),
        (var min, var max) => Percent(min ?? max!.Value) + " – " + Percent(max ?? min!.Value),
    };

    public static string Days(int? days, IStringLocalizer l, string zeroKey) => days switch
    {
        null => l["product.openEnded"],
        0 => l[zeroKey],
        1 => l["product.day"],
        { } d => l["product.days", d.ToString("N0", CultureInfo.CurrentCulture)],
    };

    public static string Amount(ProductDto p, IStringLocalizer l) =>
        p.MinimumAmount is { } a ? p.Currency + " " + a.ToString("N2", CultureInfo.CurrentCulture) : l["product.noMinimum"];

    public static string Badge(ProductStatus status) => status switch
    {
        ProductStatus.OnSale => "text-bg-success",
        ProductStatus.Suspended => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    private static string Percent(decimal value) => (value / 100m).ToString("P2", CultureInfo.CurrentCulture);
}
