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
    public async Task Setup_AServiceTypesOwnAppointmentSlots_LengthAndPlaces_EmptyFollowsTheSetting_ZeroTakesNone(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var (managerStaff, manager) = await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager);
        async Task<AppointmentSlotsDto> SlotsAsync(long typeId) =>
            await (await app.AnonymousClient().GetAsync($"{w.Base}/appointment-slots?serviceTypeId={typeId}&date=2026-11-24")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        static void Each(AppointmentSlotsDto day, int minutes, int places)
        {
            Assert.True(day.Slots.Count >= 2, "a working Tuesday has slots");
            Assert.All(day.Slots, s => Assert.Equal((minutes, places), ((int)(s.End - s.Start).TotalMinutes, s.Capacity)));
        }

        // Its own: 45-minute slots of 3 places. Left empty: the institution's setting, 30 minutes and 2 places (QueueOptions).
        var loans = await (await manager.PostJsonAsync($"{w.Base}/service-types", new { name = "个人贷款", nameEn = "Personal loans", prefix = "D", appointmentSlotMinutes = 45, appointmentCapacity = 3 }))
            .ShouldBeAsync<ServiceTypeDto>(HttpStatusCode.OK);
        Assert.Equal((45, 3), (loans.AppointmentSlotMinutes, loans.AppointmentCapacity));
        Each(await SlotsAsync(loans.Id), 45, 3);
        var cash = await (await manager.PostJsonAsync($"{w.Base}/service-types", new { name = "现金", nameEn = "Cash", prefix = "A" })).ShouldBeAsync<ServiceTypeDto>(HttpStatusCode.OK);
        Assert.Equal((null, null), (cash.AppointmentSlotMinutes, cash.AppointmentCapacity));
        Each(await SlotsAsync(cash.Id), 30, 2);

        // Out of range: named at each field, nothing stored.
        var bad = await (await manager.PostJsonAsync($"{w.Base}/service-types", new { name = "对公", nameEn = "Corporate", prefix = "E", appointmentSlotMinutes = 3, appointmentCapacity = -1 }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("appointmentSlotMinutes", out _) && bad.GetProperty("errors").TryGetProperty("appointmentCapacity", out _));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<QueueServiceType>().CountAsync(t => t.BranchId == w.Branch.Id)));

        // A change is the whole service type: left out, the setting again.
        var changed = await (await manager.PutJsonAsync($"{w.Base}/service-types/{loans.Id}?version={loans.Version}", new { name = "个人贷款", nameEn = "Personal loans", prefix = "D" }))
            .ShouldBeAsync<ServiceTypeDto>(HttpStatusCode.OK);
        Assert.Equal((null, null), (changed.AppointmentSlotMinutes, changed.AppointmentCapacity));
        Each(await SlotsAsync(loans.Id), 30, 2);

        // On the set-up page: 0 places takes no appointments (the booking page leaves it out); the table says what each has.
        var page = await PageClient.SignInAsync(app, managerStaff.Username, language: "en");
        var setup = $"/Queues?branchId={w.Branch.Id}";
        var fields = new Dictionary<string, string>
        {
            ["branchId"] = w.Branch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NewType.Name"] = "对公业务", ["NewType.NameEn"] = "Corporate", ["NewType.Prefix"] = "E", ["NewType.TargetWaitMinutes"] = "20",
            ["NewType.AppointmentSlotMinutes"] = "300", ["NewType.AppointmentCapacity"] = "0",
        };
        var refused = HtmlForms.Parse(await (await page.PostFormAsync("/Queues?handler=Type", fields, setup)).Content.ReadAsStringAsync());
        Assert.Equal("An appointment slot is 5–240 minutes long; leave it empty for the institution's setting.", refused.QuerySelector("#tSlot-error")!.TextContent.Trim());
        fields["NewType.AppointmentSlotMinutes"] = "";
        Assert.Equal(HttpStatusCode.Redirect, (await page.PostFormAsync("/Queues?handler=Type", fields, setup)).StatusCode);
        var rows = HtmlForms.Parse((await page.GetAsync(setup)).Html).QuerySelectorAll("[data-testid=type-appointments]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["30 min · 2 per slot", "30 min · 2 per slot", "None"], rows); // A, D, E in letter order
        var book = (await WaitEstimateTests.Anonymous(app, "en").GetAsync($"/Queues/Public/Book?branchId={w.Branch.Id}")).Html;
        Assert.Contains("Personal loans", book, StringComparison.Ordinal);
        Assert.DoesNotContain("Corporate", book, StringComparison.Ordinal);
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
