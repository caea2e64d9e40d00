namespace Steward.Features.Products;

/// <summary>
/// One customer holding a product. <see cref="ToleranceLevel"/> is the customer's risk tolerance as a number (1 = C1 …
/// 5 = C5), null when not assessed (never covered).
/// </summary>
public sealed record ProductHolder(long CustomerId, string CustomerReference, int? ToleranceLevel, decimal? Balance);

/// <summary>
/// Who holds a product. The holdings slice of issue 12 (imported from the core banking system) implements this and
/// registers it in place of <see cref="NoProductHoldings"/>; until then nobody holds anything, and a risk raise lists
/// no holders rather than invented ones.
/// </summary>
public interface IProductHoldings
{
    Task<IReadOnlyList<ProductHolder>> HoldersAsync(long productId, CancellationToken ct = default);
}

/// <summary>The stand-in until holdings exist: an empty list for every product.</summary>
public sealed class NoProductHoldings : IProductHoldings
{
    public Task<IReadOnlyList<ProductHolder>> HoldersAsync(long productId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ProductHolder>>([]);
}
