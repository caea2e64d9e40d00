using Steward.Platform.Background;
using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Qualifications;

public static class QualificationsSetup
{
    /// <summary>
    /// The staff qualification registry and its expiry reminders. Pages under <c>/Qualifications</c>: a staff member's
    /// certificates (anyone signed in, for their own; the service checks the rest) and the index and expiring-soon list
    /// (<see cref="Permission.QualificationsRead"/>, checked on those pages).
    /// </summary>
    public static IServiceCollection AddQualifications(this IServiceCollection services)
    {
        services.AddScoped<QualificationRegistry>();
        services.AddScoped<QualificationService>();
        services.AddOptions<QualificationReminderOptions>().BindConfiguration(QualificationReminderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScopedPeriodicJob<QualificationReminders, QualificationReminderOptions>(
            QualificationReminders.JobName, o => TimeSpan.FromMinutes(o.IntervalMinutes), (work, ct) => work.RunAsync(ct));
        return services;
    }
}
