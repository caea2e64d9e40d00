using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Notifications;
using Steward.Features.Surveys;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Surveys;

/// <summary>
/// The one reminder and the customer's submission never both win (decision 0055): the reminder waits, held in the outbox, until
/// the reminder job releases it by a compare-and-set on the invitation; a submission committed first leaves it nothing to release,
/// one racing it is serialised by the database, and one after the release still withdraws it before any outbox node takes it.
/// The case is resolved Mon 2026-11-23 02:00 UTC (10:00 Shanghai); the survey goes at once, its reminder on Thu 26th 02:00 UTC; the other customer's case half an hour later.
/// </summary>
public sealed partial class SurveyTests
{
    /// <summary>The passes of the reminder job and the outbox run when the test says (not whenever its clock jumps).</summary>
    private static readonly Dictionary<string, string?> NoBackgroundJobs = new() { ["Background:Enabled"] = "false" };

    private static readonly DateTimeOffset Resolved = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset ReminderDue = Resolved.AddDays(3);

    [Theory, BothDatabases]
    public async Task Reminder_GoesOnce_OnlyToWhoHasNotAnswered_NeverAfterTheSubmissionCommitted(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, NoBackgroundJobs);
        var (agent, branchId) = await ReminderSetUpAsync(app);
        var answers = await app.CreateCustomerAsync(branchId, email: "answers@mail.example");
        var silent = await app.CreateCustomerAsync(branchId, email: "silent@mail.example");
        await ResolvedCaseAsync(app, agent, branchId, answers.Id, "Consultation", Resolved);
        await ResolvedCaseAsync(app, agent, branchId, silent.Id, "Consultation", Resolved.AddMinutes(30));
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();

        // The outbox delivers the two invitations; the reminders are not due, and even a delivery pass past their time would not take them.
        app.Clock.SetUtcNow(Resolved.AddMinutes(40));
        Assert.Null((await host.RunOnceAsync(OutboxDeliveryJob.JobName)).Error);
        Assert.Equal(0, await ReleaseAsync(app));
        app.Clock.SetUtcNow(ReminderDue.AddHours(1));
        Assert.Null((await host.RunOnceAsync(OutboxDeliveryJob.JobName)).Error);
        Assert.Equal((1, 1), (await DeliveredAsync(app, "answers@mail.example"), await DeliveredAsync(app, "silent@mail.example")));

        // One customer answers before the reminder job's pass (it runs late here: an hour after the reminder's time).
        var token = LinkToken().Match(await FirstBodyAsync(app, "answers@mail.example")).Groups[1].Value;
        await (await app.AnonymousClient().PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 5, nps = 9 } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        // The pass releases the silent customer's reminder only; the outbox sends it; a second pass sends nothing more.
        Assert.Equal(1, await ReleaseAsync(app));
        Assert.Null((await host.RunOnceAsync(OutboxDeliveryJob.JobName)).Error);
        Assert.Equal(0, await ReleaseAsync(app));
        Assert.Null((await host.RunOnceAsync(OutboxDeliveryJob.JobName)).Error);
        var toSilent = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "silent@mail.example").OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(2, toSilent.Count);
        Assert.All(toSilent, m => Assert.NotNull(m.DeliveredAt));
        Assert.StartsWith("提醒：", toSilent[1].Subject, StringComparison.Ordinal);
        // The one who answered got the invitation and the promoter's thanks, never a reminder.
        var toAnswers = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "answers@mail.example").Select(m => m.Subject).ToListAsync());
        Assert.Equal(2, toAnswers.Count);
        Assert.DoesNotContain(toAnswers, s => s.StartsWith("提醒", StringComparison.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task Reminder_RacingASubmission_TheDatabaseSerialisesThem_OnlyOneWins(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, NoBackgroundJobs);
        var (agent, branchId) = await ReminderSetUpAsync(app);
        var racing = await app.CreateCustomerAsync(branchId, email: "racing@mail.example");
        var after = await app.CreateCustomerAsync(branchId, email: "after@mail.example");
        var racingCase = await ResolvedCaseAsync(app, agent, branchId, racing.Id, "Consultation", Resolved);
        await ResolvedCaseAsync(app, agent, branchId, after.Id, "Consultation", Resolved.AddMinutes(30));
        app.Clock.SetUtcNow(ReminderDue.AddMinutes(40));
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();

        // A submission is in the middle of its transaction: its compare-and-set on the invitation row is written, not committed
        // (what SurveyResponses does before the follow-up and the commit). The reminder pass starts meanwhile and must wait for it.
        await using (var submission = app.Services.CreateAsyncScope())
        {
            var db = submission.ServiceProvider.GetRequiredService<StewardDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var invitation = await db.Set<SurveyInvitation>().SingleAsync(i => i.EventId == racingCase);
            db.Add(new SurveyResponse
            {
                InvitationId = invitation.Id, DefinitionId = invitation.DefinitionId, SubmittedAt = app.Clock.GetUtcNow(), Language = "zh-CN", AnswersJson = "{}",
                Csat = 4, EventKind = invitation.EventKind, EventId = invitation.EventId, CustomerId = invitation.CustomerId, BranchId = invitation.BranchId,
            });
            await db.SaveChangesAsync();
            invitation.ResponseId = db.Set<SurveyResponse>().Local.Single().Id;
            invitation.Status = SurveyInvitationStatus.Answered;
            await db.SaveChangesAsync();

            var pass = Task.Run(() => ReleaseAsync(app));
            if (provider == DatabaseProvider.Postgres)
            {
                // On PostgreSQL the pass is seen waiting for the row lock before the commit (SQLite's writers wait for the file lock unseen).
                await WaitForLockWaitAsync(app, pass);
            }

            await transaction.CommitAsync();
            // The pass saw the invitation unanswered when it listed the due ones, but its compare-and-set ran after the commit:
            // only the other customer's reminder is released.
            Assert.Equal(1, await pass);
        }

        var racingReminder = await app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().Where(i => i.EventId == racingCase).Select(i => new { i.ReminderSentAt, i.ReminderMessageId }).SingleAsync());
        Assert.Null(racingReminder.ReminderSentAt);
        Assert.Equal(SurveyReminders.HeldBy, await app.WithDbAsync(db => db.Set<OutboxMessage>().Where(m => m.Id == racingReminder.ReminderMessageId).Select(m => m.LockedBy).SingleAsync()));

        // The other customer answers after the release but before any outbox node took the reminder: it is withdrawn, not sent.
        var token = LinkToken().Match(await FirstBodyAsync(app, "after@mail.example")).Groups[1].Value;
        await (await app.AnonymousClient().PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 4, nps = 8 } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Null((await host.RunOnceAsync(OutboxDeliveryJob.JobName)).Error);
        var toAfter = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "after@mail.example").Select(m => m.Subject).ToListAsync());
        Assert.Equal(["服务满意度回访"], toAfter);
        Assert.Equal(0, await ReleaseAsync(app));
    }

    [Theory, BothDatabases]
    public async Task PoorScore_AboutAProductWithdrawnSince_IsStored_AndTheFollowUpGoesWithoutTheProduct(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, NoBackgroundJobs);
        var (agent, branchId) = await ReminderSetUpAsync(app);
        var customer = await app.CreateCustomerAsync(branchId, email: "withdrawn@mail.example");
        var caseId = await ResolvedCaseAsync(app, agent, branchId, customer.Id, "Consultation", Resolved);
        // The case was about a product that the bank withdrew after the visit.
        var product = await Steward.Tests.Features.Complaints.ComplaintBuilders.CreateProductAsync(app);
        await app.WithDbAsync(async db =>
        {
            await db.Set<Steward.Features.Cases.Case>().Where(c => c.Id == caseId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ProductId, product.Id));
            await db.Set<Steward.Features.Products.Product>().Where(p => p.Id == product.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, Steward.Features.Products.ProductStatus.Withdrawn));
        });

        app.Clock.SetUtcNow(Resolved.AddHours(1));
        var token = LinkToken().Match(await FirstBodyAsync(app, "withdrawn@mail.example")).Groups[1].Value;
        await (await app.AnonymousClient().PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 1, nps = 2 } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var response = await app.WithDbAsync(db => db.Set<SurveyResponse>().AsNoTracking().SingleAsync());
        Assert.Equal((1, 2), (response.Csat, response.Nps));
        var followUp = await app.WithDbAsync(db => db.Set<Steward.Features.Cases.Case>().AsNoTracking().SingleAsync(c => c.Id == response.FollowUpCaseId));
        Assert.Equal((customer.Id, (long?)null), (followUp.CustomerId!.Value, followUp.ProductId));
    }

    [Theory, BothDatabases]
    public async Task Promoter_WhoseStoredContactCannotBeRead_KeepsTheAnswer_AndIsNotThanked(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, NoBackgroundJobs);
        var (agent, branchId) = await ReminderSetUpAsync(app);
        var customer = await app.CreateCustomerAsync(branchId, email: "unreadable@mail.example");
        await ResolvedCaseAsync(app, agent, branchId, customer.Id, "Consultation", Resolved);
        app.Clock.SetUtcNow(Resolved.AddHours(1));
        var token = LinkToken().Match(await FirstBodyAsync(app, "unreadable@mail.example")).Groups[1].Value;
        // After the invitation went, the stored e-mail became unreadable (a value written under another key).
        var damaged = "v1:" + Convert.ToBase64String(new byte[12 + 24 + 16]);
        await app.WithDbAsync(db => db.Set<Steward.Features.Customers.Customer>().Where(c => c.Id == customer.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.EmailCipher, damaged).SetProperty(c => c.PhoneCipher, (string?)null)));

        await (await app.AnonymousClient().PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 5, nps = 10 } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var response = await app.WithDbAsync(db => db.Set<SurveyResponse>().AsNoTracking().SingleAsync());
        Assert.Equal((5, 10), (response.Csat, response.Nps));
        Assert.Null(response.ThankedAt);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync())); // the invitation only
    }

    private static async Task<(string Agent, long BranchId)> ReminderSetUpAsync(StewardApp app)
    {
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        await AddSurveyAsync(app, "service", "Consultation", delayMinutes: 0, expiryDays: 7);
        return (agent.Username, branch.Id);
    }

    /// <summary>One pass of the reminder job, in its own scope (as the periodic host runs it); how many reminders it released.</summary>
    private static async Task<int> ReleaseAsync(StewardApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SurveyReminders>().RunAsync();
    }

    /// <summary>Until another session of this database waits for a lock (or the pass ended, which the caller's assertion then shows).</summary>
    private static async Task WaitForLockWaitAsync(StewardApp app, Task pass)
    {
        for (var i = 0; i < 500 && !pass.IsCompleted; i++)
        {
            var waiting = await app.WithDbAsync(db => db.Database.SqlQueryRaw<int>(
                "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync());
            if (waiting > 0)
            {
                return;
            }

            await Task.Yield();
        }
    }

    private static Task<int> DeliveredAsync(StewardApp app, string recipient) =>
        app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == recipient && m.DeliveredAt != null));

    private static Task<string> FirstBodyAsync(StewardApp app, string recipient) =>
        app.WithDbAsync(db => db.Set<OutboxMessage>().Where(m => m.Recipient == recipient).OrderBy(m => m.Id).Select(m => m.Body).FirstAsync());
}
