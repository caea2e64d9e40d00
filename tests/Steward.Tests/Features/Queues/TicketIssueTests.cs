using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

public sealed class TicketIssueTests
{
    [Theory, BothDatabases]
    public async Task Issue_PerServiceTypeAndLocalDay_NumbersA001A002_AndRestartAtLocalMidnight(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var b = await w.AddServiceTypeAsync("B");

        // Monday 2026-11-23 09:00 Shanghai (01:00 UTC).
        Assert.Equal("A001", (await w.IssueAsync(a.Id)).Number);
        Assert.Equal("A002", (await w.IssueAsync(a.Id)).Number);
        Assert.Equal("B001", (await w.IssueAsync(b.Id)).Number);

        // 23:59:59 Shanghai is 15:59:59 UTC, still Monday there: the sequence goes on.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 15, 59, 59, TimeSpan.Zero));
        Assert.Equal("A003", (await w.IssueAsync(a.Id)).Number);

        // 16:00 UTC is Tuesday 00:00 in Shanghai: a new branch day, numbers restart.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero));
        var tuesday = await w.IssueAsync(a.Id);
        Assert.Equal("A001", tuesday.Number);
        Assert.Equal("B001", (await w.IssueAsync(b.Id)).Number);

        var stored = await app.WithDbAsync(db => db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == tuesday.Id).SingleAsync());
        Assert.Equal(new DateOnly(2026, 11, 24), stored.BusinessDate);
        var events = await app.WithDbAsync(db => db.Set<QueueTicketEvent>().AsNoTracking().Where(e => e.TicketId == tuesday.Id).ToListAsync());
        Assert.Equal(TicketEventKind.Issued, Assert.Single(events).Kind);
    }

    [Theory, BothDatabases]
    public async Task Issue_OnAHolidayOfTheBranchCalendar_Is409BranchClosed_AndNothingIsStored(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var (_, admin) = await app.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        var hours = new[] { "09:00-17:00" };
        await (await admin.PostJsonAsync("/api/v1/calendars", new
        {
            name = "网点日历", nameEn = "Branch calendar", timeZone = "Asia/Shanghai", isDefault = true,
            weeklyPeriods = new Dictionary<string, string[]> { ["Monday"] = hours, ["Tuesday"] = hours, ["Wednesday"] = hours, ["Thursday"] = hours, ["Friday"] = hours },
            holidays = new[] { new { date = "2026-11-23", name = "测试假日", nameEn = "Test holiday" } },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);

        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var problem = await (await client.PostJsonAsync($"{w.Base}/tickets", new { serviceTypeId = a.Id })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("branch-closed", problem.GetProperty("code").GetString());
        Assert.Contains("2026-11-23", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QueueTicket>().CountAsync()));

        // Tuesday is a working day again: A001.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero));
        Assert.Equal("A001", (await w.IssueAsync(a.Id)).Number);
    }

    [Theory, BothDatabases]
    public async Task Issue_WithPhone_SetsPriorityFromAgeAndTier_ShownToStaffOnly(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var senior = await app.CreateCustomerAsync(w.Branch.Id, CustomerTier.Standard, phone: "13800138001");
        // Born 1961-11-23: 65 on Monday 2026-11-23, the kiosk's day.
        await app.WithDbAsync(db => db.Set<Customer>().Where(c => c.Id == senior.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.BirthDate, new DateOnly(1961, 11, 23))));
        await app.CreateCustomerAsync(w.Branch.Id, CustomerTier.Gold, phone: "13800138002");
        await app.CreateCustomerAsync(w.Branch.Id, CustomerTier.Silver, phone: "13800138003");
        var (_, staff) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);

        // Typed with the country code and separators: the blind index finds the stored 13800138001.
        var seniorTicket = await w.IssueAsync(a.Id, "+86 138-0013-8001", staff);
        Assert.Equal("Vulnerable", seniorTicket.Priority);
        Assert.Equal(senior.Id, seniorTicket.CustomerId);
        Assert.Equal("Vip", (await w.IssueAsync(a.Id, "13800138002", staff)).Priority);
        Assert.Equal("Normal", (await w.IssueAsync(a.Id, "13800138003", staff)).Priority);
        Assert.Equal("Normal", (await w.IssueAsync(a.Id, "13900000000", staff)).Priority);

        var kiosk = await w.IssueAsync(a.Id, "13800138002");
        Assert.Null(kiosk.Priority);
        Assert.Null(kiosk.CustomerId);
        Assert.Equal(4, kiosk.WaitingAhead);
        Assert.Equal(QueuePriority.Vip, await app.WithDbAsync(db => db.Set<QueueTicket>().Where(t => t.Id == kiosk.Id).Select(t => t.Priority).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task Issue_UnknownOrMissingServiceType_IsAProblemNamingIt(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var client = app.AnonymousClient();
        var missing = await (await client.PostJsonAsync($"{w.Base}/tickets", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("serviceTypeId", out _));
        var unknown = await (await client.PostJsonAsync($"{w.Base}/tickets", new { serviceTypeId = 999_999 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("unknown-service-type", unknown.GetProperty("code").GetString());
        var otherBranch = await (await client.PostJsonAsync("/api/v1/branches/999999/queue/tickets", new { serviceTypeId = 1 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("not-found", otherBranch.GetProperty("code").GetString());

        // A mistyped phone at the kiosk is said at the field, and no ticket is issued on it.
        var a = await w.AddServiceTypeAsync("A");
        var typo = await (await client.PostJsonAsync($"{w.Base}/tickets", new { serviceTypeId = a.Id, phone = "abc" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(typo.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QueueTicket>().CountAsync()));
    }
}
