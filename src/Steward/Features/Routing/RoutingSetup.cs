using Steward.Features.Cases;

namespace Steward.Features.Routing;

public static class RoutingSetup
{
    /// <summary>
    /// The team queues of cases: their settings, duty, and the <see cref="ICaseAssignmentPolicy"/> new cases follow.
    /// (Not <c>AddRouting</c>: that is ASP.NET Core's.)
    /// </summary>
    public static IServiceCollection AddCaseRouting(this IServiceCollection services)
    {
        services.AddScoped<TeamQueues>();
        services.AddScoped<ICaseAssignmentPolicy>(sp => sp.GetRequiredService<TeamQueues>());
        return services;
    }
}
