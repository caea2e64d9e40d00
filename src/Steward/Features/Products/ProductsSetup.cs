using Microsoft.Extensions.DependencyInjection.Extensions;
using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Products;

public static class ProductsSetup
{
    /// <summary>The catalogue; its pages (<c>/Products</c>) need <see cref="Permission.ProductsRead"/>, editing <see cref="Permission.ProductsManage"/>.</summary>
    public static IServiceCollection AddProducts(this IServiceCollection services)
    {
        services.AddScoped<ProductService>();
        services.AddScoped<ProductDocuments>();

        // The holdings slice registers its own IProductHoldings (AddScoped, before or after this): TryAdd keeps it.
        services.TryAddScoped<IProductHoldings, NoProductHoldings>();
        return services.AddPageConventions(c => c.AuthorizeFolder("/Products", IdentitySetup.Policy(Permission.ProductsRead)));
    }
}
