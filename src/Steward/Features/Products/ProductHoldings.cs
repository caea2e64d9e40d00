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

/// <summary>
/// Told when a product's effective risk level is raised, with the holders the new level leaves uncovered, inside the same
/// unit of work as the change (an exception undoes it). The holdings slice tells each holder's relationship manager.
/// </summary>
public interface IProductRiskRaiseObserver
{
    Task RaisedAsync(Product product, ProductRiskLevel previous, IReadOnlyList<ProductHolder> uncovered, CancellationToken ct = default);
}

/// <summary>The stand-in until holdings exist: an empty list for every product.</summary>
public sealed class NoProductHoldings : IProductHoldings
{
    public Task<IReadOnlyList<ProductHolder>> HoldersAsync(long productId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ProductHolder>>([]);
}
