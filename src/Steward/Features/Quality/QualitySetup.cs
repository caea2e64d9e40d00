using Steward.Platform.Background;
using Steward.Platform.Hosting;

namespace Steward.Features.Quality;

public static class QualitySetup
{
    /// <summary>
    /// Quality control (issue 16, decision 0046), the first slice: scorecards as versioned data, an inspector's review of a case,
    /// the reviewed staff member's acceptance or dispute and its resolution, the pages under <c>/Quality</c> (signed-in staff; each
    /// page filters by role) and <c>/api/v1/qa</c>.
    /// </summary>
    public static IServiceCollection AddQuality(this IServiceCollection services)
    {
        services.AddOptions<QualityOptions>().BindConfiguration(QualityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<QualityScorecards>();
        services.AddScoped<QualityReviews>();
        services.AddScoped<QualityRectifications>();
        services.AddScoped<QualityCalibrations>();
        services.AddScopedPeriodicJob<QualitySampling, QualityOptions>(
            QualitySampling.JobName, o => TimeSpan.FromMinutes(o.SamplingIntervalMinutes), (work, ct) => work.RunAsync(ct));
        return services.AddPageConventions(c => c.AuthorizeFolder("/Quality"));
    }
}
