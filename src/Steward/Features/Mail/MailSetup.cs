using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Steward.Features.Notifications;
using Steward.Platform.Background;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Mail;

/// <summary>E-mail in and out (issue 17, docs/decisions/0053-email-in-and-out.md).</summary>
public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MailConnections>();
        // Re-encrypted by the key ring's rotation like every other encrypted column.
        services.AddPersonalDataColumns<Mailbox>(m => m.ImapPasswordCipher, m => m.SmtpPasswordCipher);
        services.AddPersonalDataColumns<InboundMail>(m => m.SenderCipher);
        services.AddPersonalDataColumns<BouncedAddress>(b => b.AddressCipher);
        services.AddScoped<MailboxAdministration>();
        services.AddScoped<MailOutbox>();
        services.AddScoped<InboundMailProcessor>();
        services.AddScoped<Cases.ICaseLifecycleObserver, MailCaseObserver>();
        // The outbox's sender: e-mail by SMTP, every other channel to the log (replacing Notifications' logging sender).
        services.Replace(ServiceDescriptor.Scoped<IOutboxSender, MailOutboxSender>());
        services.AddScopedPeriodicJob<MailPoller, MailOptions>(MailPoller.JobName, o => TimeSpan.FromSeconds(o.PollSeconds), (p, ct) => p.RunAsync(ct));
        return services;
    }

    public static void MapMailboxEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/mailboxes").WithTags("Mailboxes").RequireAuthorization(IdentitySetup.Policy(Permission.MailboxesManage));
        group.MapGet("/", async (MailboxAdministration mailboxes, CancellationToken ct) => TypedResults.Ok(await mailboxes.ListAsync(ct)))
            .WithSummary("The mailboxes Steward reads and sends from (never their passwords: only whether one is set).");
        group.MapGet("/{id:long}", async Task<Results<Ok<MailboxDto>, ProblemHttpResult>> (long id, MailboxAdministration mailboxes, CancellationToken ct) =>
            (await mailboxes.GetAsync(id, ct)).ToOk())
            .WithSummary("One mailbox.");
        group.MapPost("/", async Task<Results<Created<MailboxDto>, ProblemHttpResult>> (MailboxRequest r, MailboxAdministration mailboxes, CancellationToken ct) =>
            (await mailboxes.CreateAsync(r, ct)).ToCreated(m => $"/api/v1/mailboxes/{m.Id}"))
            .WithSummary("Add a mailbox of a branch or team (audited; the passwords stored encrypted, never answered). Unencrypted connections only to this machine.");
        group.MapPut("/{id:long}", async Task<Results<Ok<MailboxDto>, ProblemHttpResult>> (long id, MailboxRequest r, MailboxAdministration mailboxes, CancellationToken ct) =>
            (await mailboxes.UpdateAsync(id, r, ct)).ToOk())
            .WithSummary("Change a mailbox (audited); send the version you read. An empty password keeps the stored one.");
        group.MapPost("/{id:long}/test", async Task<Results<Ok<MailboxTestResult>, ProblemHttpResult>> (long id, MailboxAdministration mailboxes, CancellationToken ct) =>
            (await mailboxes.TestAsync(id, ct)).ToOk())
            .WithSummary("Test the connections: log in to IMAP and open the folder, greet the SMTP server (EHLO, and log in when a user is set). Nothing is read or sent.");
    }
}
