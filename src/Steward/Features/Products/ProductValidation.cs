using System.Globalization;
using System.Text.RegularExpressions;

namespace Steward.Features.Products;

/// <summary>The rules of a product's fields; every message names its field ("English 中文", shown in the reader's language).</summary>
internal static partial class ProductValidation
{
    public const decimal MaxReturnPercent = 100m;
    public const int MaxDays = 36_500;
    public const decimal MaxAmount = 1_000_000_000_000m;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,31}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    /// <summary>The field errors of <paramref name="r"/> (empty when it is valid); <paramref name="qualificationExists"/> answers whether the id is a type.</summary>
    public static Dictionary<string, string[]> Check(ProductSaveRequest r, bool qualificationExists)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        var code = r.Code?.Trim() ?? "";
        if (code.Length == 0)
        {
            Add("code", "Give the product code. 请填写产品代码。");
        }
        else if (!CodePattern().IsMatch(code))
        {
            Add("code", "The code is up to 32 capital letters, digits and hyphens, e.g. FND-MIX. 产品代码为不超过 32 位的大写字母、数字和连字符，例如 FND-MIX。");
        }

        CheckName(errors, "name", r.Name, "Give the Chinese name (up to 200 characters). 请填写中文名称（不超过 200 字）。");
        CheckName(errors, "nameEn", r.NameEn, "Give the English name (up to 200 characters). 请填写英文名称（不超过 200 字）。");
        if (r.Category is null)
        {
            Add("category", "Choose the category. 请选择产品类别。");
        }

        if (r.IssuerRiskLevel is null)
        {
            Add("issuerRiskLevel", "Choose the issuer's risk rating (R1–R5). 请选择发行机构的风险评级（R1–R5）。");
        }

        if (r.DistributorRiskLevel is null)
        {
            Add("distributorRiskLevel", "Choose the bank's own risk rating (R1–R5). 请选择本行的风险评级（R1–R5）。");
        }

        CheckReturn(errors, "expectedReturnMinPercent", r.ExpectedReturnMinPercent);
        CheckReturn(errors, "expectedReturnMaxPercent", r.ExpectedReturnMaxPercent);
        if (r.ExpectedReturnMinPercent is { } min && r.ExpectedReturnMaxPercent is { } max && min > max && !errors.ContainsKey("expectedReturnMaxPercent"))
        {
            Add("expectedReturnMaxPercent", "The upper end of the expected return is below the lower end. 预期收益上限低于下限。");
        }

        if (r.LiquidityDays is not { } liquidity)
        {
            Add("liquidityDays", "Give the days until the money can be taken out (0 = on demand). 请填写资金可取回的天数（0 表示随时）。");
        }
        else if (liquidity is < 0 or > MaxDays)
        {
            Add("liquidityDays", Invariant($"Liquidity is 0 to {MaxDays} days. 流动性须为 0 至 {MaxDays} 天。"));
        }

        if (r.TermDays is { } term && term is < 1 or > MaxDays)
        {
            Add("termDays", Invariant($"The term is 1 to {MaxDays} days, or empty for open-ended. 期限须为 1 至 {MaxDays} 天，无固定期限请留空。"));
        }

        if (r.MinimumAmount is { } amount && (amount < 0 || amount > MaxAmount || decimal.Round(amount, 2) != amount))
        {
            Add("minimumAmount", "The minimum amount is a non-negative amount with at most 2 decimals. 起购金额须为非负数，最多两位小数。");
        }

        if (!string.IsNullOrWhiteSpace(r.Currency) && !CurrencyPattern().IsMatch(r.Currency.Trim()))
        {
            Add("currency", "The currency is a 3-letter ISO 4217 code, e.g. CNY. 币种须为 3 位 ISO 4217 代码，例如 CNY。");
        }

        if (r.RequiredQualificationTypeId is not null && !qualificationExists)
        {
            Add("requiredQualificationTypeId", "No such qualification type. 资格类型不存在。");
        }

        return errors;
    }

    private static void CheckName(Dictionary<string, string[]> errors, string field, string? value, string message)
    {
        var text = value?.Trim() ?? "";
        if (text.Length is 0 or > 200)
        {
            errors[field] = [message];
        }
    }

    private static void CheckReturn(Dictionary<string, string[]> errors, string field, decimal? value)
    {
        if (value is { } v && (v < -MaxReturnPercent || v > MaxReturnPercent || decimal.Round(v, 4) != v))
        {
            errors[field] = ["The expected return is a percentage between -100 and 100 with at most 4 decimals. 预期收益率须为 -100 至 100 之间的百分比，最多四位小数。"];
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
