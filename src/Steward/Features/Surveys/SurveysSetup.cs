using Steward.Platform.Background;
using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Surveys;

public static class SurveysSetup
{
    /// <summary>
    /// Satisfaction surveys (issue 15, decision 0043): versioned definitions, invitations when a case is resolved or closed
    /// (an <see cref="Cases.ICaseLifecycleObserver"/>) under the contact policy, the customer's page at <c>/Public/Survey</c> (no
    /// sign-in, the public rate limit), the closed loop, and the staff pages under <c>/Surveys</c> (<see cref="Permission.ReportsRead"/>).
    /// </summary>
    public static IServiceCollection AddSurveys(this IServiceCollection services)
    {
        services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<SurveyDefinitions>();
        services.AddScoped<SurveyResponses>();
        services.AddScoped<SurveyQueries>();
        services.AddScoped<SurveyAnalysis>();
        services.AddScoped<SurveyFollowUps>();
        services.AddScoped<Cases.ICaseTransitionGuard, SurveyFollowUpGuard>();
        services.AddScoped<SurveyTablet>();
        services.AddScoped<SurveyImprovements>();
        services.AddSingleton<SurveyKeywords>();
        services.AddScoped<SurveyInvitations>();
        services.AddScopedPeriodicJob<SurveyReminders, SurveyOptions>(SurveyReminders.JobName, o => TimeSpan.FromSeconds(o.ReminderIntervalSeconds), (work, ct) => work.RunAsync(ct));
        services.AddScoped<Cases.ICaseLifecycleObserver>(sp => sp.GetRequiredService<SurveyInvitations>());
        services.AddScoped<Queues.IQueueVisitObserver>(sp => sp.GetRequiredService<SurveyInvitations>());
        return services.AddPageConventions(c =>
        {
            // Page by page: the analysis and the outer loop for readers of reports; a follow-up's record for those who work
            // cases; the counter tablet for those who serve at a counter.
            c.AuthorizePage("/Surveys/Index", IdentitySetup.Policy(Permission.ReportsRead));
            c.AuthorizePage("/Surveys/Improvements", IdentitySetup.Policy(Permission.ReportsRead));
            c.AuthorizePage("/Surveys/FollowUp", IdentitySetup.Policy(Permission.CasesWork));
            c.AuthorizePage("/Surveys/Tablet", IdentitySetup.Policy(Permission.QueueServe));
            c.AllowAnonymousToFolder("/Surveys/Public");
            c.AddFolderApplicationModelConvention("/Surveys/Public", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(Platform.Security.RateLimits.Public)));
        });
    }
}
