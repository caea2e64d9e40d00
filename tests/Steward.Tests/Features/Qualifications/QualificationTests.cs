using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Notifications;
using Steward.Features.Qualifications;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Qualifications;

/// <summary>The staff qualification registry (issue 12): valid on a date, reminders before expiry, who may read and write.</summary>
public sealed class QualificationTests
{
    private static Task<long> TypeAsync(StewardApp app, string code) =>
        app.WithDbAsync(db => db.Set<QualificationType>().Where(t => t.Code == code).Select(t => t.Id).SingleAsync());

    private static Task AddAsync(StewardApp app, long staffId, long typeId, string number, DateOnly issued, DateOnly? expires) => app.WithDbAsync(async db =>
    {
        db.Add(new StaffQualification { StaffId = staffId, QualificationTypeId = typeId, CertificateNumber = number, IssuedOn = issued, ExpiresOn = expires });
        await db.SaveChangesAsync();
    });

    [Theory, BothDatabases]
    public async Task ValidOnDate_TheExpiryDayIsTheLastValidDay_AndAHigherInsuranceLevelCovers(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var fund = await TypeAsync(app, "FUND");
        await AddAsync(app, agent.Id, fund, "F-1", new DateOnly(2025, 1, 1), new DateOnly(2026, 11, 30));
        await AddAsync(app, agent.Id, await TypeAsync(app, "INSURANCE-3"), "I-3", new DateOnly(2025, 1, 1), null);

        await using var scope = app.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<QualificationRegistry>();
        Assert.False(await registry.HoldsValidAsync(agent.Id, fund, new DateOnly(2024, 12, 31)));
        Assert.True(await registry.HoldsValidAsync(agent.Id, fund, new DateOnly(2025, 1, 1)));
        Assert.True(await registry.HoldsValidAsync(agent.Id, fund, new DateOnly(2026, 11, 30)));
        Assert.False(await registry.HoldsValidAsync(agent.Id, fund, new DateOnly(2026, 12, 1)));
        Assert.True(await registry.HoldsValidAsync(agent.Id, await TypeAsync(app, "INSURANCE-2"), new DateOnly(2030, 1, 1)));
        Assert.False(await registry.HoldsValidAsync(agent.Id, await TypeAsync(app, "INSURANCE-4"), new DateOnly(2026, 1, 1)));
        Assert.False(await registry.HoldsValidAsync(agent.Id, await TypeAsync(app, "SECURITIES"), new DateOnly(2026, 1, 1)));
        Assert.Equal(["FUND", "INSURANCE-3"], (await registry.ValidTypesAsync(agent.Id, new DateOnly(2026, 11, 30))).Select(t => t.Code));
        Assert.Equal(["INSURANCE-3"], (await registry.ValidTypesAsync(agent.Id, new DateOnly(2026, 12, 1))).Select(t => t.Code));
    }

    [Theory, BothDatabases]
    public async Task Reminders_At90_60_30And7DaysBeforeExpiry_EachOnce_ToTheHolderTheirTeamLeadAndBranchManager(DatabaseProvider provider)
    {
        // The fake clock starts Mon 2026-11-23 09:00 in Shanghai; the job runs daily at that hour.
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Qualifications:Reminders:IntervalMinutes"] = "1440", ["Background:Jobs:0"] = QualificationReminders.JobName });
        var branch = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var manager = await app.CreateStaffAsync(branch.Id, StaffRole.BranchManager);
        var colleague = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var elsewhere = await app.CreateStaffAsync(other.Id, StaffRole.BranchManager);

        // Expires 2027-03-01: 90 days before is 2026-12-01, 60 → 2026-12-31, 30 → 2027-01-30, 7 → 2027-02-22 (2027 is not a leap year).
        await AddAsync(app, agent.Id, await TypeAsync(app, "FUND"), "F-2027", new DateOnly(2024, 3, 2), new DateOnly(2027, 3, 1));
        for (var day = 0; day < 98; day++)
        {
            Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), QualificationReminders.JobName)).Error);
        }

        // On the expiry day itself another pass raises nothing new.
        Assert.Null((await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(QualificationReminders.JobName)).Error);

        var sent = await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.Kind == QualificationReminders.Kind).OrderBy(n => n.Id).ToListAsync());
        string[] dates = ["2026-12-01", "2026-12-31", "2027-01-30", "2027-02-22"];
        foreach (var who in new[] { agent.Id, lead.Id, manager.Id })
        {
            Assert.Equal(dates, sent.Where(n => n.StaffId == who).Select(n => n.CreatedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.DoesNotContain(sent, n => n.StaffId == colleague.Id || n.StaffId == elsewhere.Id);
        Assert.Equal("测试员工's Fund qualification certificate (number F-2027) expires on 2027-03-01: 90 days left. Please renew it in time.", sent.First(n => n.StaffId == agent.Id).TextEn);
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<QualificationReminder>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Access_OwnAlways_ReadersInTheirBranches_ManagersWriteNeverTheirOwn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var sh = await app.CreateBranchAsync();
        var bj = await app.CreateBranchAsync();
        var (agent, agentApi) = await app.SignInAsync(sh.Id, StaffRole.Agent);
        var colleague = await app.CreateStaffAsync(sh.Id, StaffRole.Agent);
        var bjAgent = await app.CreateStaffAsync(bj.Id, StaffRole.Agent);
        var (_, leadApi) = await app.SignInAsync(sh.Id, StaffRole.TeamLead);
        var (manager, managerApi) = await app.SignInAsync(sh.Id, StaffRole.BranchManager);
        var (_, complianceApi) = await app.SignInAsync(sh.Id, StaffRole.Compliance);
        var (_, adminApi) = await app.SignInAsync(sh.Id, StaffRole.Administrator);
        var fund = await TypeAsync(app, "FUND");
        object Certificate(string number) => new { qualificationTypeId = fund, certificateNumber = number, issuedOn = "2025-06-01", expiresOn = "2028-05-31", evidenceReference = "HR-1" };

        // Writes: the branch manager in their branch; not in another branch, not their own; agents, team leads and compliance never.
        var added = await (await managerApi.PostJsonAsync($"/api/v1/staff/{agent.Id}/qualifications", Certificate("F-A"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Valid", added.GetProperty("state").GetString());
        await (await managerApi.PostJsonAsync($"/api/v1/staff/{bjAgent.Id}/qualifications", Certificate("F-B"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await managerApi.PostJsonAsync($"/api/v1/staff/{manager.Id}/qualifications", Certificate("F-M"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agentApi.PostJsonAsync($"/api/v1/staff/{colleague.Id}/qualifications", Certificate("F-C"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await leadApi.PostJsonAsync($"/api/v1/staff/{colleague.Id}/qualifications", Certificate("F-C"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await complianceApi.PostJsonAsync($"/api/v1/staff/{colleague.Id}/qualifications", Certificate("F-C"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await adminApi.PostJsonAsync($"/api/v1/staff/{bjAgent.Id}/qualifications", Certificate("F-B"))).ShouldBeJsonAsync(HttpStatusCode.Created);

        // Reads: one's own; a team lead in their branch, not another; compliance everywhere; an agent not a colleague's.
        var own = await (await agentApi.GetAsync($"/api/v1/staff/{agent.Id}/qualifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["F-A"], own.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("certificateNumber").GetString()));
        Assert.False(own.GetProperty("canManage").GetBoolean());
        await (await agentApi.GetAsync($"/api/v1/staff/{colleague.Id}/qualifications")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await leadApi.GetAsync($"/api/v1/staff/{agent.Id}/qualifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await leadApi.GetAsync($"/api/v1/staff/{bjAgent.Id}/qualifications")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await complianceApi.GetAsync($"/api/v1/staff/{bjAgent.Id}/qualifications")).ShouldBeJsonAsync(HttpStatusCode.OK);

        // A renewal with a stale version is refused; with the right one the expiry moves.
        var id = added.GetProperty("id").GetInt64();
        var version = added.GetProperty("version").GetInt32();
        var renewed = await (await managerApi.PutJsonAsync($"/api/v1/staff/{agent.Id}/qualifications/{id}",
            new { qualificationTypeId = fund, certificateNumber = "F-A", issuedOn = "2025-06-01", expiresOn = "2031-05-31", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2031-05-31", renewed.GetProperty("expiresOn").GetString());
        await (await managerApi.PutJsonAsync($"/api/v1/staff/{agent.Id}/qualifications/{id}",
            new { qualificationTypeId = fund, certificateNumber = "F-A", issuedOn = "2025-06-01", expiresOn = "2032-05-31", version })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // Bad input: each field named; nothing written.
        var bad = await (await managerApi.PostJsonAsync($"/api/v1/staff/{colleague.Id}/qualifications",
            new { qualificationTypeId = 999_999, certificateNumber = "", issuedOn = "2027-01-01", expiresOn = "2026-01-01" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["certificateNumber", "expiresOn", "issuedOn", "qualificationTypeId"], bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<StaffQualification>().CountAsync()));
    }
}
