using Steward.Features.Cases;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Clocks;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Background;

namespace Steward.Features.Sla;

public static class SlaSetup
{
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddSingleton<BusinessCalendarCache>();
        services.AddSingleton<SlaStandardsCache>();
        services.AddScoped<CalendarService>();
        services.AddScoped<StandardService>();
        services.AddScoped<DeadlinePreviewService>();
        services.AddScoped<SlaSeeder>();
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<SlaClockService>();
        services.AddScoped<CaseSlaService>();
        services.AddScoped<SlaSweeper>();
        services.AddScoped<ICaseLifecycleObserver, SlaCaseObserver>();
        services.AddSingleton<IPeriodicJob, SlaSweepJob>();
        services.AddOptions<HolidayReminderOptions>().BindConfiguration(HolidayReminderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScopedPeriodicJob<HolidayReminders, HolidayReminderOptions>(
            HolidayReminders.JobName, o => TimeSpan.FromMinutes(o.IntervalMinutes), (work, ct) => work.RunAsync(ct));
        return services;
    }

    /// <summary>Writes the shipped standards that are missing (after migrations, before requests).</summary>
    public static async Task SeedSlaAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SlaSeeder>().SeedAsync();
    }
}
