using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Retention;
using Steward.Features.Sla;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Features.Complaints;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Retention;

/// <summary>
/// Retention and disposal (issue 18, decision 0052), one app per database: the customer-file rule is 60 months from the end of
/// the relationship. Every file below ended on 22 Nov 2021, so its last kept day is 22 Nov 2026 (2021-11-22 + 60 months) and
/// it is past retention from 23 Nov 2026 on.
/// </summary>
public sealed class RetentionTests
{
    private static readonly DateOnly Ended = new(2021, 11, 22);

    private static DateTimeOffset Noon(int day) => new(2026, 11, day, 12, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task CustomerFiles_PastRetention_AreHeldOrListed_AndAnonymisedOnApproval_WithATombstone(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(Noon(22)));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var free = await app.CreateCustomerAsync(branch.Id, CustomerTier.Gold, phone: "13800138001", name: "张三丰", idNumber: "11010519491231002X");
        var complained = await app.CreateCustomerAsync(branch.Id, name: "李四");
        var litigated = await app.CreateCustomerAsync(branch.Id, name: "王五");
        var dayLater = await app.CreateCustomerAsync(branch.Id, name: "赵六");
        await app.WithDbAsync(async db =>
        {
            await db.Set<Customer>().Where(c => c.Id == free.Id || c.Id == complained.Id || c.Id == litigated.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RelationshipEndedOn, Ended));
            await db.Set<Customer>().Where(c => c.Id == dayLater.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RelationshipEndedOn, Ended.AddDays(1)));
            await db.Set<Customer>().Where(c => c.Id == free.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.BirthDate, new DateOnly(1949, 12, 31)));
        });

        // An open complaint of "complained" (a case of theirs with a complaint not archived) holds their file by itself.
        var agentApi = await app.ApiClientAsync(agent.Username);
        var caseId = (await StewardApp.CreateCaseAsync(agentApi)).GetProperty("id").GetInt64();
        await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == caseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, complained.Id)));
        await (await agentApi.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created);

        var api = await app.ApiClientAsync(compliance.Username);
        var hold = await (await api.PostJsonAsync("/api/v1/retention/holds", new { subjectType = "Customer", subjectId = litigated.Id, kind = "Litigation", reason = "（2026）沪0101民初123号 诉讼未结" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await api.PostJsonAsync("/api/v1/retention/holds", new { subjectType = "Customer", subjectId = litigated.Id, kind = "Litigation", reason = "" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        // 22 Nov 2026, the last kept day: nothing is past retention.
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();
        Assert.Null((await host.RunOnceAsync(Disposition.JobName)).Error);
        Assert.Equal(0, await ReviewCountAsync(app));

        // 23 Nov: "free" is listed; "complained" and "litigated" are held; "dayLater" ended a day later and is still kept.
        app.Clock.SetUtcNow(Noon(23));
        api = await app.ApiClientAsync(compliance.Username); // tokens of yesterday have expired
        agentApi = await app.ApiClientAsync(agent.Username);
        Assert.Null((await host.RunOnceAsync(Disposition.JobName)).Error);
        Assert.Null((await host.RunOnceAsync(Disposition.JobName)).Error); // the day's lease is taken: the second pass does nothing
        var list = await (await api.GetAsync("/api/v1/retention/dispositions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(free.Id, item.GetProperty("recordId").GetInt64());
        Assert.Equal("2026-11-22", item.GetProperty("dueOn").GetString());
        Assert.Equal("Pending", item.GetProperty("status").GetString());
        var held = list.GetProperty("held").EnumerateArray().ToDictionary(h => h.GetProperty("recordId").GetInt64(), h => h.GetProperty("holds")[0].GetProperty("kind").GetString());
        Assert.Equal(new Dictionary<long, string?> { [complained.Id] = "Complaint", [litigated.Id] = "Litigation" }, held);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<PeriodicJobClaim>().CountAsync(c => c.Job == Disposition.JobName && c.Day == new DateOnly(2026, 11, 23))));

        // Nobody but compliance lists, approves or changes rules; administrators read the classification only.
        foreach (var who in new[] { agent.Username, admin.Username })
        {
            var other = await app.ApiClientAsync(who);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/retention/dispositions")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostJsonAsync($"/api/v1/retention/dispositions/{item.GetProperty("id").GetInt64()}/approve", new { })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await agentApi.GetAsync("/api/v1/retention/classification")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(admin.Username)).GetAsync("/api/v1/retention/classification")).StatusCode);

        // 59 months is below the AML minimum of 60: refused, and the rule is as it was.
        var rules = await (await api.GetAsync("/api/v1/retention/rules")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var rule = rules.EnumerateArray().Single(r => r.GetProperty("recordClass").GetString() == "CustomerFile");
        var problem = await (await api.PutJsonAsync($"/api/v1/retention/rules/{rule.GetProperty("id").GetInt64()}", new { periodMonths = 59, version = rule.GetProperty("version").GetInt32() }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("retention-below-legal-minimum", problem.GetProperty("code").GetString());
        var after = await app.WithDbAsync(db => db.Set<RetentionRule>().AsNoTracking().SingleAsync(r => r.RecordClass == RecordClass.CustomerFile));
        Assert.Equal((60, 60, 1), (after.PeriodMonths, after.MinimumMonths, after.Version));

        // Approval anonymises "free": personal columns erased, the name masked, the birth date cut to its year; tier, branch and reference stay.
        var reviewId = item.GetProperty("id").GetInt64();
        var disposed = await (await api.PostJsonAsync($"/api/v1/retention/dispositions/{reviewId}/approve", new { reason = "期满，无保全", version = item.GetProperty("version").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Disposed", disposed.GetProperty("status").GetString());
        var customer = await app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == free.Id));
        Assert.Equal(Disposition.MaskedName, customer.Name);
        Assert.Null(customer.IdNumberCipher);
        Assert.Null(customer.IdNumberIndex);
        Assert.Null(customer.PhoneCipher);
        Assert.Null(customer.PhoneIndex);
        Assert.Equal(new DateOnly(1949, 1, 1), customer.BirthDate);
        Assert.Equal((CustomerTier.Gold, branch.Id, free.Reference), (customer.Tier, customer.HomeBranchId, customer.Reference));

        // The tombstone: SHA-256 of "CustomerFile|{id}|{content digest}", in the audit chain's entry of the review; the chain verifies.
        var digest = disposed.GetProperty("contentDigest").GetString()!;
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"CustomerFile|{free.Id}|{digest}")));
        Assert.Equal(expected, disposed.GetProperty("tombstone").GetString());
        var entries = await app.AuditEntriesAsync(nameof(DispositionReview), reviewId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(expected, entries[^1].Changes, StringComparison.Ordinal);
        Assert.Equal(compliance.Id, entries[^1].ActorId);
        Assert.DoesNotContain("张三丰", entries[^1].Changes, StringComparison.Ordinal);
        Assert.True((await app.VerifyAuditAsync()).Intact);
        await (await api.PostJsonAsync($"/api/v1/retention/dispositions/{reviewId}/approve", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // Released, "litigated" is listed by the next day's pass.
        await (await api.PostJsonAsync($"/api/v1/retention/holds/{hold.GetProperty("id").GetInt64()}/release", new { reason = "判决已生效" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        app.Clock.SetUtcNow(Noon(24));
        api = await app.ApiClientAsync(compliance.Username);
        Assert.Null((await host.RunOnceAsync(Disposition.JobName)).Error);
        var pending = await (await api.GetAsync("/api/v1/retention/dispositions?status=Pending")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal([litigated.Id, dayLater.Id], pending.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recordId").GetInt64()).Order());
    }

    private static Task<int> ReviewCountAsync(StewardApp app) => app.WithDbAsync(db => db.Set<DispositionReview>().CountAsync());
}
