namespace Steward.Features.Sla;

public static class SlaSetup
{
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddSingleton<BusinessCalendarCache>();
        services.AddScoped<CalendarService>();
        services.AddScoped<StandardService>();
        services.AddScoped<DeadlinePreviewService>();
        services.AddScoped<SlaSeeder>();
        return services;
    }

    /// <summary>Writes the shipped standards that are missing (after migrations, before requests).</summary>
    public static async Task SeedSlaAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SlaSeeder>().SeedAsync();
    }
}
