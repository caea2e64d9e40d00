using Microsoft.Extensions.Options;

namespace Steward.Features.Demo;

public static class DemoSetup
{
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        services.AddScoped<DemoSeeder>();
        return services;
    }

    /// <summary>
    /// Seeds the demo institution into an empty database when <c>Demo:Enabled</c> says so (default: in Development).
    /// Refused in Production, before anything is written.
    /// </summary>
    public static async Task SeedDemoAsync(this WebApplication app)
    {
        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if (!(demo.Enabled ?? app.Environment.IsDevelopment()))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(demo.Customers);
    }

    /// <summary>Throws when demo data is asked for in Production (checked at start, before the database is touched).</summary>
    public static void RefuseDemoInProduction(this WebApplication app)
    {
        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if ((demo.Enabled ?? app.Environment.IsDevelopment()) && app.Environment.IsProduction())
        {
            throw new InvalidOperationException("Demo data is refused in Production: set Demo:Enabled to false or use another environment.");
        }
    }
}
