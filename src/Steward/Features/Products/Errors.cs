using Steward.Platform.Problems;

namespace Steward.Features.Products;

// The expected failures of the product catalogue, mapped to problem details by Problems.From. Texts "English 中文".

/// <summary>No product with that id.</summary>
public sealed record ProductNotFound(long Id) : NotFoundError(
    "not-found", "No such product 产品不存在", FormattableString.Invariant($"Product {Id} does not exist. 产品不存在。"));

/// <summary>No document with that id on the product.</summary>
public sealed record ProductDocumentNotFound() : NotFoundError(
    "not-found", "No such document 文件不存在", "The document does not exist. 文件不存在。");

/// <summary>Fields of a product are not valid; each message is at its field.</summary>
public sealed record ProductInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

/// <summary>Another product has the code.</summary>
public sealed record ProductCodeTaken(string Code) : ConflictError(
    "product-code-taken", "The product code is in use 产品代码已被使用", $"Another product has the code {Code}. 另一产品已使用代码 {Code}。");
