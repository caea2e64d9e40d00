using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Steward.Platform.Api;
using Steward.Platform.Audit;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Platform.Hosting;

/// <summary>
/// What every feature stands on, registered once: time, the database, identity, audit, personal-data protection,
/// background work, idempotency, input checks, problems, localization, Razor Pages and OpenAPI; then the middleware
/// in its order and the platform's own endpoints. Features add themselves in Program.cs, one line each; a feature's
/// page conventions are its own (<c>services.Configure&lt;RazorPagesOptions&gt;</c> in its AddX()).
/// </summary>
public static class PlatformSetup
{
    public static IServiceCollection AddStewardPlatform(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddStewardDatabase(configuration, environment);
        services.AddStewardIdentity(configuration);
        services.AddScoped<IAuditActorAccessor, HttpAuditActorAccessor>();
        services.AddAudit();
        services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<PersonalDataProtector>();
        services.AddSingleton<PersonalFileSeal>();
        services.AddOptions<PersonalDataReencryptionOptions>().BindConfiguration(PersonalDataReencryptionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScopedPeriodicJob<PersonalDataReencryption, PersonalDataReencryptionOptions>(
            PersonalDataReencryption.JobName, o => TimeSpan.FromMinutes(o.IntervalMinutes), (work, ct) => work.RunAsync(ct));
        services.AddOptions<BackgroundOptions>().BindConfiguration(BackgroundOptions.Section).ValidateDataAnnotations()
            .Validate<IEnumerable<IPeriodicJob>>(
                (o, jobs) => o.Jobs.All(name => jobs.Any(j => j.Name == name)),
                "Background:Jobs names a job that does not exist (the job names are in the start-up log line \"Periodic jobs: …\").")
            .ValidateOnStart();
        services.AddSingleton<PeriodicWorkHost>();
        services.AddHostedService(sp => sp.GetRequiredService<PeriodicWorkHost>());
        // Idempotency keys serve every feature's creates (API and forms), and its expiry sweep runs once.
        services.AddIdempotency();

        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddStewardRateLimits(configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddStewardInput();

        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Cultures.Chinese).AddSupportedCultures(Cultures.Supported).AddSupportedUICultures(Cultures.Supported);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AllowAnonymousToFolder("/Errors");
        });
        services.AddStewardOpenApi();
        return services;
    }

    /// <summary>The middleware, in order.</summary>
    public static WebApplication UseStewardPlatform(this WebApplication app)
    {
        // Localization first: problems written by the exception handler and the input guard speak the request's language.
        // The status code pages sit outside the exception handler, so that a page whose request failed with an exception (a 500,
        // a 503 while the database is unavailable) gets the error page for that status too.
        app.UseRequestLocalization();
        app.UseSecurityHeaders();
        app.UseWhen(ctx => IdentitySetup.IsApi(ctx.Request), api => api.UseStatusCodePages());
        app.UseWhen(ctx => !IdentitySetup.IsApi(ctx.Request) && !ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal),
            web => web.UseStatusCodePagesWithReExecute("/Errors", "?code={0}"));
        app.UseExceptionHandler();
        app.UseStewardStaticFiles();
        app.UseInputGuard();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Health, the OpenAPI document and its viewer; returns the <c>/api/v1</c> group the features map into.</summary>
    public static RouteGroupBuilder MapStewardPlatform(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Steward API v1");
            o.DocumentTitle = "Steward API";
            o.InjectJavascript("/js/api-docs.js");
            o.EnablePersistAuthorization();
        });
        app.MapRazorPages();
        var api = app.MapGroup("/api/v1");
        api.MapPersonalDataEndpoints();
        return api;
    }

    /// <summary>Adds a feature's Razor Pages conventions (anonymous pages, folder policies, rate limits).</summary>
    public static IServiceCollection AddPageConventions(this IServiceCollection services, Action<Microsoft.AspNetCore.Mvc.ApplicationModels.PageConventionCollection> conventions) =>
        services.Configure<RazorPagesOptions>(o => conventions(o.Conventions));
}
