using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Customers;

/// <summary>KYC (issue 12): verification sets the review cycle by risk rating; the expiry job expires KYC on the right day and opens one re-verification case.</summary>
public sealed class KycExpiryTests
{
    private static readonly Dictionary<string, string?> DailyJob = new() { ["Customers:Kyc:IntervalMinutes"] = "1440" };

    [Theory, BothDatabases]
    public async Task DocumentExpiry_ExpiresKycOnTheDocumentsDay_AndOpensExactlyOneCaseForTheRelationshipManager(DatabaseProvider provider)
    {
        // The clock starts Mon 2026-11-23 09:00 in Shanghai; the job runs daily at that hour. The document's day is Thu 2026-11-26.
        await using var app = await StewardApp.StartAsync(provider, DailyJob);
        var branch = await app.CreateBranchAsync();
        var manager = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (verifier, backOffice) = await app.SignInAsync(branch.Id, StaffRole.BackOffice);
        var created = await (await agent.PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual(idExpiresOn: "2026-11-26", managerId: manager.Id, kycRiskRating: "Low")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();

        // An agent may not verify; back office may. Low risk: the review falls due 5 years on, 2031-11-23.
        await (await agent.PostJsonAsync($"/api/v1/customers/{id}/kyc/verify", new { version = created.GetProperty("version").GetInt32() })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var verified = await (await backOffice.PostJsonAsync($"/api/v1/customers/{id}/kyc/verify", new { version = created.GetProperty("version").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Verified", verified.GetProperty("kyc").GetProperty("status").GetString());
        Assert.Equal(verifier.Id, verified.GetProperty("kyc").GetProperty("verifiedById").GetInt64());
        Assert.Equal("2031-11-23", verified.GetProperty("kyc").GetProperty("reviewDueOn").GetString());

        // 11-24 and 11-25: still verified.
        for (var day = 0; day < 2; day++)
        {
            Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), KycExpiry.JobName)).Error);
        }

        Assert.Equal(KycStatus.Verified, await StatusAsync(app, id));

        // 11-26: expired that day, one business-handling case for the relationship manager; later passes add none.
        Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), KycExpiry.JobName)).Error);
        Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), KycExpiry.JobName)).Error);
        Assert.Null((await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(KycExpiry.JobName)).Error);

        var customer = await app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal((KycStatus.Expired, new DateOnly(2026, 11, 26), KycExpiryReason.DocumentExpired), (customer.KycStatus, customer.KycExpiredOn!.Value, customer.KycExpiryReason!.Value));
        var cases = await app.WithDbAsync(db => db.Set<Case>().AsNoTracking().Where(c => c.CustomerId == id).ToListAsync());
        var opened = Assert.Single(cases);
        Assert.Equal((CaseKind.BusinessHandling, manager.Id, opened.Id), (opened.Kind, opened.AssigneeId!.Value, customer.KycReviewCaseId!.Value));

        // Verification is refused while the document has expired (a new token: days have passed on the clock).
        backOffice = await app.ApiClientAsync(verifier.Username);
        var refused = await (await backOffice.PostJsonAsync($"/api/v1/customers/{id}/kyc/verify", new { version = customer.Version })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("idExpiresOn", out _));
    }

    [Theory, BothDatabases]
    public async Task HighRiskReview_FallsDueOneYearAfterVerification_AndADueReviewExpiresKycThatDay(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, DailyJob);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var created = await (await agent.PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual(kycRiskRating: "High"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var verified = await (await lead.PostJsonAsync($"/api/v1/customers/{id}/kyc/verify", new { version = created.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);

        // Verified Mon 2026-11-23, high risk: due Tue 2027-11-23 (one year; no 29 February in between).
        Assert.Equal("2027-11-23", verified.GetProperty("kyc").GetProperty("reviewDueOn").GetString());

        // A year of fake time fires every periodic timer of the app a million times: instead the file is made one verified on
        // Tue 2025-11-25 at high risk, whose review falls due Wed 2026-11-25, two days after the clock's today.
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<Customer>().SingleAsync(c => c.Id == id);
            row.KycReviewDueOn = new DateOnly(2026, 11, 25);
            await db.SaveChangesAsync();
        });
        Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), KycExpiry.JobName)).Error);
        Assert.Equal(KycStatus.Verified, await StatusAsync(app, id));
        Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), KycExpiry.JobName)).Error);

        var customer = await app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal((KycStatus.Expired, new DateOnly(2026, 11, 25), KycExpiryReason.ReviewDue), (customer.KycStatus, customer.KycExpiredOn!.Value, customer.KycExpiryReason!.Value));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Case>().CountAsync(c => c.CustomerId == id && c.Kind == CaseKind.BusinessHandling)));
    }

    private static Task<KycStatus> StatusAsync(StewardApp app, long id) =>
        app.WithDbAsync(db => db.Set<Customer>().Where(c => c.Id == id).Select(c => c.KycStatus).SingleAsync());
}
