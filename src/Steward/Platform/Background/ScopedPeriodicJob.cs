using Microsoft.Extensions.Options;

namespace Steward.Platform.Background;

/// <summary>
/// A periodic job whose pass is one call on a scoped service (reminders, expiry checks): its name, its interval read
/// from its options (when the host starts the job's loop), and the call.
/// </summary>
public sealed class ScopedPeriodicJob<TWork>(string name, Func<TimeSpan> interval, Func<TWork, CancellationToken, Task> pass) : IPeriodicJob
    where TWork : notnull
{
    public string Name => name;

    public TimeSpan Interval => interval();

    public Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        pass(services.GetRequiredService<TWork>(), cancellationToken);
}

public static class ScopedPeriodicJobSetup
{
    /// <summary>
    /// Registers <typeparamref name="TWork"/> (scoped) and a job named <paramref name="name"/> that runs <paramref name="pass"/>
    /// on it every <paramref name="interval"/> of <typeparamref name="TOptions"/>.
    /// </summary>
    public static IServiceCollection AddScopedPeriodicJob<TWork, TOptions>(
        this IServiceCollection services, string name, Func<TOptions, TimeSpan> interval, Func<TWork, CancellationToken, Task> pass)
        where TWork : class
        where TOptions : class
    {
        services.AddScoped<TWork>();
        return services.AddSingleton<IPeriodicJob>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>();
            return new ScopedPeriodicJob<TWork>(name, () => interval(options.Value), pass);
        });
    }
}
