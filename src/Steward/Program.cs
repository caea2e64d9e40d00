using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Steward.Features.Account;
using Steward.Features.Cases;
using Steward.Features.Demo;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Platform.Api;
using Steward.Features.Sla;
using Steward.Platform.Audit;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;
using Steward.Platform.Security;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;

services.AddSingleton(TimeProvider.System);
services.AddHttpContextAccessor();
services.AddStewardDatabase(builder.Configuration, builder.Environment);
services.AddStewardIdentity();
services.AddScoped<IAuditActorAccessor, HttpAuditActorAccessor>();
services.AddScoped<AuditLog>();
services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.Section).ValidateDataAnnotations();
services.AddSingleton<PersonalDataProtector>();
services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
services.AddScoped<DemoSeeder>();
services.AddScoped<OrganisationService>();
services.AddOptions<BackgroundOptions>().BindConfiguration(BackgroundOptions.Section).ValidateDataAnnotations().ValidateOnStart();
services.AddSingleton<PeriodicWorkHost>();
services.AddHostedService(sp => sp.GetRequiredService<PeriodicWorkHost>());
services.AddNotifications();
services.AddCases();
services.AddSla();

services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
services.AddStewardRateLimits(builder.Configuration);
services.AddProblemDetails();
services.AddExceptionHandler<ProblemExceptionHandler>();
services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

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
    o.Conventions.AllowAnonymousToFolder("/Public");
    o.Conventions.AddFolderApplicationModelConvention("/Public", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimits.Public)));
    o.Conventions.AddPageApplicationModelConvention("/Account/SignIn", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimits.SignIn)));
    o.Conventions.AllowAnonymousToPage("/Account/SignIn");
    o.Conventions.AllowAnonymousToPage("/Account/Culture");
    o.Conventions.AllowAnonymousToFolder("/Errors");
    o.Conventions.AuthorizeFolder("/Admin", IdentitySetup.Policy(Permission.OrganisationManage));
    o.Conventions.AuthorizeFolder("/Audit", IdentitySetup.Policy(Permission.AuditRead));
});
services.AddStewardOpenApi();

var app = builder.Build();

var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
var seedDemo = demo.Enabled ?? app.Environment.IsDevelopment();
if (seedDemo && app.Environment.IsProduction())
{
    throw new InvalidOperationException("Demo data is refused in Production: set Demo:Enabled to false or use another environment.");
}

await app.MigrateStewardDatabaseAsync();
await app.SeedSlaAsync();
if (seedDemo)
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(demo.Customers);
}

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseWhen(ctx => IdentitySetup.IsApi(ctx.Request), api => api.UseStatusCodePages());
app.UseWhen(ctx => !IdentitySetup.IsApi(ctx.Request) && !ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal),
    web => web.UseStatusCodePagesWithReExecute("/Errors", "?code={0}"));
app.UseStaticFiles();
app.UseRequestLocalization();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.UseSwaggerUI(o =>
{
    o.RoutePrefix = "api-docs";
    o.SwaggerEndpoint("/openapi/v1.json", "Steward API v1");
    o.DocumentTitle = "Steward API";
});

var api = app.MapGroup("/api/v1");
api.MapTokenEndpoints();
api.MapOrganisationEndpoints();
api.MapAuditEndpoints();
api.MapNotificationEndpoints();
api.MapCaseEndpoints();
api.MapSlaEndpoints();

app.MapRazorPages();
app.Run();

/// <summary>The entry point; public so that tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
