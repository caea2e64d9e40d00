using Steward.Platform.Background;
using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Tiering;

public static class TieringSetup
{
    /// <summary>
    /// Customer tiering: the rules as data (page <c>/Tiering/Rules</c> and the API need <see cref="Permission.CustomerTiersManage"/>),
    /// the tier history for readers of the customer file, and the daily recompute job.
    /// </summary>
    public static IServiceCollection AddTiering(this IServiceCollection services)
    {
        services.AddScoped<TierRules>();
        services.AddScoped<TierHistory>();
        services.AddOptions<TieringOptions>().BindConfiguration(TieringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScopedPeriodicJob<TierRecompute, TieringOptions>(TierRecompute.JobName, o => TimeSpan.FromMinutes(o.IntervalMinutes), (work, ct) => work.RunAsync(ct));
        return services.AddPageConventions(c => c.AuthorizeFolder("/Tiering", IdentitySetup.Policy(Permission.CustomerTiersManage)));
    }
}
