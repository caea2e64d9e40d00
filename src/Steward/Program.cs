using Steward.Features.Account;
using Steward.Features.Audit;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Features.Demo;
using Steward.Features.Holdings;
using Steward.Features.Tiering;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Quality;
using Steward.Features.Qualifications;
using Steward.Features.Queues;
using Steward.Features.Routing;
using Steward.Features.Sla;
using Steward.Features.Suitability;
using Steward.Features.Surveys;
using Steward.Features.Webhooks;
using Steward.Features.Mail;
using Steward.Features.Retention;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppFolders.ContentRoot(args) });

// The platform, then the features, one line each (docs/architecture.md: how a feature plugs in).
builder.Services.AddStewardPlatform(builder.Configuration, builder.Environment);
builder.Services.AddAccount();
builder.Services.AddOrganisation();
builder.Services.AddAuditPages();
builder.Services.AddNotifications();
builder.Services.AddCases();
builder.Services.AddCaseRouting();
builder.Services.AddSla();
builder.Services.AddCustomers();
builder.Services.AddProducts();
builder.Services.AddHoldings();
builder.Services.AddTiering();
builder.Services.AddQualifications();
builder.Services.AddSuitability();
builder.Services.AddQueues();
builder.Services.AddComplaints();
builder.Services.AddSurveys();
builder.Services.AddQuality();
builder.Services.AddWebhooks();
builder.Services.AddMail();
builder.Services.AddRetention();
builder.Services.AddDemo();

var app = builder.Build();
app.RefuseDemoInProduction();

try
{
    await app.MigrateStewardDatabaseAsync();
}
catch (DatabaseUnavailableException e)
{
    // One line a person can act on, not a stack trace and an abort.
    await Console.Error.WriteLineAsync("Steward cannot start: " + e.Message);
    return 1;
}

await app.CheckpointAuditChainAsync();
await app.SeedSlaAsync();
await app.SeedDemoAsync();

app.UseStewardPlatform();
var api = app.MapStewardPlatform();
api.MapTokenEndpoints();
api.MapSessionEndpoints();
api.MapOrganisationEndpoints();
api.MapAuditEndpoints();
api.MapRevealReviewEndpoints();
api.MapNotificationEndpoints();
api.MapCaseEndpoints();
api.MapRoutingEndpoints();
api.MapSlaEndpoints();
api.MapCustomerEndpoints();
api.MapProductEndpoints();
api.MapHoldingEndpoints();
api.MapTieringEndpoints();
api.MapQualificationEndpoints();
api.MapSuitabilityEndpoints();
app.MapQueues(api);
api.MapComplaintEndpoints();
api.MapSurveyEndpoints();
api.MapQualityEndpoints();
api.MapWebhookEndpoints();
api.MapMailboxEndpoints();
api.MapRetentionEndpoints();

await app.RunAsync();
return 0;

/// <summary>The entry point; public so that tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
