using Steward.Platform.Hosting;

namespace Steward.Features.Queues;

public static class QueuesSetup
{
    public static IServiceCollection AddQueues(this IServiceCollection services)
    {
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSignalR();
        services.AddSingleton<QueueFanOut>();
        services.AddScoped<QueueNotifier>();
        services.AddHostedService<QueueNotifyListener>();
        services.AddScoped<QueueAdmin>();
        services.AddScoped<TicketIssuer>();
        services.AddScoped<CounterDesk>();
        services.AddScoped<QueueBoardReader>();
        services.AddScoped<WaitEstimator>();
        services.AddScoped<VirtualTicketReader>();
        services.AddScoped<QueueStatsReader>();
        services.AddScoped<Appointments>();
        services.AddScoped<AppointmentSweeper>();
        services.AddSingleton<Platform.Background.IPeriodicJob, AppointmentJob>();
        return services.AddPageConventions(c =>
        {
            // The kiosk and the board stand in the branch hall: no sign-in, the public rate limit.
            c.AllowAnonymousToFolder("/Queues/Public");
            c.AddFolderApplicationModelConvention("/Queues/Public", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(Platform.Security.RateLimits.Public)));
        });
    }

    public static void MapQueues(this WebApplication app, IEndpointRouteBuilder api)
    {
        api.MapQueueEndpoints();
        app.MapHub<QueueBoardHub>(QueueBoardHub.Path);
    }
}
