namespace Steward.Features.Queues;

public static class QueuesSetup
{
    public static IServiceCollection AddQueues(this IServiceCollection services)
    {
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSignalR();
        services.AddSingleton<QueueNotifier>();
        services.AddScoped<QueueAdmin>();
        services.AddScoped<TicketIssuer>();
        services.AddScoped<CounterDesk>();
        services.AddScoped<QueueBoardReader>();
        return services;
    }

    public static void MapQueues(this WebApplication app, IEndpointRouteBuilder api)
    {
        api.MapQueueEndpoints();
        app.MapHub<QueueBoardHub>(QueueBoardHub.Path);
    }
}
