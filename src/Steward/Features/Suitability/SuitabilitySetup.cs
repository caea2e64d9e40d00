using Steward.Platform.Hosting;

namespace Steward.Features.Suitability;

public static class SuitabilitySetup
{
    /// <summary>
    /// Risk-tolerance assessments, the suitability check with its replayable decisions, and the versioned questionnaire and
    /// rule sets. Pages under <c>/Suitability</c> (signed in; each page asks for its permission) and the customer's online
    /// questionnaire at <c>/Public/Assessment</c> (no sign-in, a one-time link, the public rate limit).
    /// </summary>
    public static IServiceCollection AddSuitability(this IServiceCollection services)
    {
        services.AddScoped<SuitabilityCatalog>();
        services.AddScoped<RiskAssessments>();
        services.AddScoped<SuitabilityChecks>();
        return services.AddPageConventions(c =>
        {
            c.AllowAnonymousToFolder("/Suitability/Public");
            c.AddFolderApplicationModelConvention("/Suitability/Public", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(Platform.Security.RateLimits.Public)));
        });
    }
}
