using Steward.Platform.Hosting;
using Steward.Platform.Security;

namespace Steward.Features.Account;

public static class AccountSetup
{
    /// <summary>The sign-in page (anonymous, under the sign-in rate limit) and the language switch (anonymous).</summary>
    /// <remarks>
    /// The second step of a sign-in and the set-up a role requires come before the person is signed in: anonymous too
    /// (they act on the pending sign-in's cookie, <see cref="PendingSignIn"/>), the second step under the same rate limit.
    /// </remarks>
    public static IServiceCollection AddAccount(this IServiceCollection services)
    {
        return services.AddPageConventions(c =>
        {
            c.AllowAnonymousToPage("/Account/SignIn");
            c.AddPageApplicationModelConvention("/Account/SignIn", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimits.SignIn)));
            c.AllowAnonymousToPage("/Account/SecondFactor");
            c.AddPageApplicationModelConvention("/Account/SecondFactor", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimits.SignIn)));
            c.AllowAnonymousToPage("/Account/TwoFactor");
            c.AllowAnonymousToPage("/Account/Culture");
        });
    }
}
