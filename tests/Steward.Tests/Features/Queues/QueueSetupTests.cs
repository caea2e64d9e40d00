using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

public sealed class QueueSetupTests
{
    [Theory, BothDatabases]
    public async Task Setup_ManagerAddsServiceTypeAndCounter_Audited_AndBadInputIsRefusedAtTheField(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var (_, manager) = await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager);
        var wm = await w.QualificationTypeIdAsync("BANKING-WM");

        var wealth = await (await manager.PostJsonAsync($"{w.Base}/service-types", new { name = "理财咨询", nameEn = "Wealth consulting", prefix = "c", targetWaitMinutes = 20, requiredQualificationTypeId = wm }))
            .ShouldBeAsync<ServiceTypeDto>(HttpStatusCode.OK);
        Assert.Equal("C", wealth.Prefix);
        var taken = await (await manager.PostJsonAsync($"{w.Base}/service-types", new { name = "现金", nameEn = "Cash", prefix = "C" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("prefix-taken", taken.GetProperty("code").GetString());
        var bad = await (await manager.PostJsonAsync($"{w.Base}/service-types", new { name = "", nameEn = "Cash", prefix = "7", targetWaitMinutes = 0 })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("prefix", out _) && errors.TryGetProperty("targetWaitMinutes", out _));

        var counter = await (await manager.PostJsonAsync($"{w.Base}/counters", new { number = 4, name = "理财专区", nameEn = "Wealth zone", serviceTypeIds = new[] { wealth.Id }, isWealthZone = true }))
            .ShouldBeAsync<CounterDto>(HttpStatusCode.OK);
        Assert.True(counter.IsWealthZone);
        Assert.Equal([wealth.Id], counter.ServiceTypeIds);
        var noTypes = await (await manager.PostJsonAsync($"{w.Base}/counters", new { number = 5, name = "五", nameEn = "Five", serviceTypeIds = Array.Empty<long>() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noTypes.GetProperty("errors").TryGetProperty("serviceTypeIds", out _));
        var sameNumber = await (await manager.PostJsonAsync($"{w.Base}/counters", new { number = 4, name = "四", nameEn = "Four", serviceTypeIds = new[] { wealth.Id } })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("counter-number-taken", sameNumber.GetProperty("code").GetString());

        var list = await (await manager.GetAsync($"{w.Base}/counters")).ShouldBeAsync<List<CounterDto>>(HttpStatusCode.OK);
        Assert.Equal([4], list.Select(c => c.Number));
        Assert.NotEmpty(await app.AuditEntriesAsync(nameof(QueueServiceType), wealth.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.NotEmpty(await app.AuditEntriesAsync(nameof(QueueCounter), counter.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // An agent serves the queue but does not set it up; a manager of another branch does not see this one.
        var (_, agent) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);
        await (await agent.PostJsonAsync($"{w.Base}/service-types", new { name = "现金", nameEn = "Cash", prefix = "A" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Single(await (await agent.GetAsync($"{w.Base}/service-types")).ShouldBeAsync<List<ServiceTypeDto>>(HttpStatusCode.OK));
        var other = await app.CreateBranchAsync();
        var (_, otherManager) = await app.SignInAsync(other.Id, StaffRole.BranchManager);
        await (await otherManager.GetAsync($"{w.Base}/counters")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Setup_FiveManagersAddTheSameLetterAtOnce_OneGetsIt_TheOthers409NotA500(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var managers = new List<HttpClient>();
        for (var i = 0; i < 5; i++)
        {
            managers.Add((await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager)).Client);
        }

        var responses = await Task.WhenAll(managers.Select(m => m.PostJsonAsync($"{w.Base}/service-types", new { name = "现金", nameEn = "Cash", prefix = "A" })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var type = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ShouldBeAsync<ServiceTypeDto>(HttpStatusCode.OK);
        var counters = await Task.WhenAll(managers.Select(m => m.PostJsonAsync($"{w.Base}/counters", new { number = 1, name = "一", nameEn = "One", serviceTypeIds = new[] { type.Id } })));
        Assert.Single(counters, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(4, counters.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Theory, BothDatabases]
    public async Task DemoData_EachBranch_GetsFiveServicesAndFourCounters_WealthNeedsTheQualification(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        await app.CreateBranchAsync();
        await app.WithDbAsync(db => QueueDemoData.SeedAsync(db, CancellationToken.None));
        await app.WithDbAsync(db => QueueDemoData.SeedAsync(db, CancellationToken.None));

        var types = await app.WithDbAsync(db => db.Set<QueueServiceType>().AsNoTracking().ToListAsync());
        var counters = await app.WithDbAsync(db => db.Set<QueueCounter>().AsNoTracking().ToListAsync());
        Assert.Equal(10, types.Count);
        Assert.Equal(8, counters.Count);
        var wm = await w.QualificationTypeIdAsync("BANKING-WM");
        Assert.All(types.Where(t => t.Prefix == "C"), t => Assert.Equal(wm, t.RequiredQualificationTypeId));
        Assert.Equal(2, counters.Count(c => c.IsPriorityCounter));
        Assert.Equal(2, counters.Count(c => c.IsWealthZone));
    }
}
