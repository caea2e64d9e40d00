using Steward.Features.Products;

namespace Steward.Features.Holdings;

public static class HoldingsSetup
{
    /// <summary>Holdings and their imports; the product catalogue's <see cref="IProductHoldings"/> reads the holdings table.</summary>
    public static IServiceCollection AddHoldings(this IServiceCollection services)
    {
        services.AddScoped<HoldingQueries>();
        services.AddScoped<HoldingImporter>();
        services.AddScoped<IProductHoldings, TableProductHoldings>();
        services.AddScoped<IProductRiskRaiseObserver, UncoveredHoldersNotice>();
        return services;
    }
}
