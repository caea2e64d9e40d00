using Steward.Platform.Hosting;
using Steward.Platform.Security;

namespace Steward.Features.Account;

public static class AccountSetup
{
    /// <summary>The sign-in page (anonymous, under the sign-in rate limit) and the language switch (anonymous).</summary>
    public static IServiceCollection AddAccount(this IServiceCollection services) => services.AddPageConventions(c =>
    {
        c.AllowAnonymousToPage("/Account/SignIn");
        c.AddPageApplicationModelConvention("/Account/SignIn", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimits.SignIn)));
        c.AllowAnonymousToPage("/Account/Culture");
    });
}
