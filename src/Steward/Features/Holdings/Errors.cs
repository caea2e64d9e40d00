using Steward.Platform.Problems;

namespace Steward.Features.Holdings;

// The expected failures of holdings and their imports, mapped to problem details by Problems.From. Texts "English 中文".

/// <summary>The file cannot be read as holdings at all (empty, not UTF-8, not CSV or a JSON array of objects, too many rows): nothing was written.</summary>
public sealed record HoldingFileUnreadable(string Message) : InvalidError(
    "holding-file-unreadable", "The file cannot be imported 文件无法导入", Message, new Dictionary<string, string[]> { ["file"] = [Message] });

/// <summary>The header (CSV) or the members (JSON) are not exactly the five columns: nothing was written.</summary>
public sealed record HoldingColumnsInvalid(IReadOnlyList<string> Missing, IReadOnlyList<string> Unknown) : InvalidError(
    "holding-columns-invalid", "The file's columns are wrong 文件的列不正确", Describe(Missing, Unknown), new Dictionary<string, string[]> { ["file"] = [Describe(Missing, Unknown)] })
{
    public const string Expected = "customer_reference,product_code,balance,currency,as_of";

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unknown)
    {
        var en = new List<string>();
        var zh = new List<string>();
        if (missing.Count > 0)
        {
            en.Add("missing: " + string.Join(", ", missing));
            zh.Add("缺少：" + string.Join("、", missing));
        }

        if (unknown.Count > 0)
        {
            en.Add("unknown: " + string.Join(", ", unknown));
            zh.Add("无法识别：" + string.Join("、", unknown));
        }

        return $"The columns must be {Expected} ({string.Join("; ", en)}); nothing was imported. 列必须为 {Expected}（{string.Join("；", zh)}），未导入任何数据。";
    }
}

/// <summary>No import with that id.</summary>
public sealed record HoldingImportNotFound(long Id) : NotFoundError(
    "not-found", "No such import 导入记录不存在", FormattableString.Invariant($"Holdings import {Id} does not exist. 持仓导入记录不存在。"));

/// <summary>No customer with that id that the caller may see (another branch's customer is answered the same way).</summary>
public sealed record HoldingCustomerNotFound(long Id) : NotFoundError(
    "not-found", "No such customer 客户不存在", FormattableString.Invariant($"Customer {Id} does not exist. 客户不存在。"));
