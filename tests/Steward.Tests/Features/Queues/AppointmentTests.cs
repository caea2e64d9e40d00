using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Steward.Features.Notifications;
using Steward.Features.Queues;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

/// <summary>
/// One app per database for all appointment tests (each test on a branch of its own): the institution's default calendar is
/// Mon–Fri 09:00–12:00 and 13:30–17:00 Asia/Shanghai; for a year from 2026-11-23, every Wednesday a holiday and every Sunday
/// a make-up day working like Monday (each test takes a week of its own: the shared clock only goes forward). Background jobs are off: the tests run the appointment job themselves.
/// </summary>
public sealed class AppointmentApps : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, StewardApp> apps = [];
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<StewardApp> ForAsync(DatabaseProvider provider)
    {
        await gate.WaitAsync();
        try
        {
            if (apps.TryGetValue(provider, out var running))
            {
                return running;
            }

            var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Background:Enabled"] = "false" });
            var branch = await app.CreateBranchAsync();
            var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
            var hours = new[] { "09:00-12:00", "13:30-17:00" };
            await (await admin.PostJsonAsync("/api/v1/calendars", new
            {
                name = "网点日历", nameEn = "Branch calendar", timeZone = "Asia/Shanghai", isDefault = true,
                weeklyPeriods = new Dictionary<string, string[]> { ["Monday"] = hours, ["Tuesday"] = hours, ["Wednesday"] = hours, ["Thursday"] = hours, ["Friday"] = hours },
                holidays = Enumerable.Range(0, 52).Select(i => new { date = Day(2 + (7 * i)), name = "测试假日", nameEn = "Test holiday" }).ToArray(),
                makeUpWorkingDays = Enumerable.Range(0, 52).Select(i => new { date = Day(6 + (7 * i)), worksLike = "Monday", name = "调休上班", nameEn = "Make-up day" }).ToArray(),
            })).ShouldBeJsonAsync(HttpStatusCode.Created);
            apps[provider] = app;
            return app;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The date <paramref name="days"/> after Monday 2026-11-23 (the test clock's first day).</summary>
    private static string Day(int days) => new DateOnly(2026, 11, 23).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps.Values)
        {
            await app.DisposeAsync();
        }
    }
}

public sealed class AppointmentTests(AppointmentApps apps) : IClassFixture<AppointmentApps>
{
    /// <summary>
    /// A test's week: its Monday is the first after the shared clock's day (the clock never goes back, and the tests of the
    /// class share it), the clock set to that Monday 09:00 in Shanghai (UTC+8), a branch of its own.
    /// </summary>
    private async Task<(QueueWorld World, Week Week)> WorldAsync(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var day = Instant.FromDateTimeOffset(app.Clock.GetUtcNow()).InZone(Week.Zone).Date.PlusDays(1);
        while (day.DayOfWeek != IsoDayOfWeek.Monday)
        {
            day = day.PlusDays(1);
        }

        var week = new Week(day);
        app.Clock.SetUtcNow(week.At(0, 9, 0));
        return (new QueueWorld(app, await app.CreateBranchAsync()), week);
    }

    internal sealed record Week(LocalDate Monday)
    {
        public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

        /// <summary>The instant of <paramref name="hour"/>:<paramref name="minute"/> local, <paramref name="day"/> days after Monday.</summary>
        public DateTimeOffset At(int day, int hour, int minute) => Monday.PlusDays(day).At(new LocalTime(hour, minute)).InZoneStrictly(Zone).ToInstant().ToDateTimeOffset();

        public string D(int day) => Monday.PlusDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static async Task<AppointmentDto> BookAsync(QueueWorld w, long typeId, string date, string time, string phone, string name = "王小明") =>
        await (await w.App.AnonymousClient().PostJsonAsync($"{w.Base}/appointments", new { serviceTypeId = typeId, date, time, name, phone }))
            .ShouldBeAsync<AppointmentDto>(HttpStatusCode.Created);

    private static async Task<AppointmentSweepResult> SweepAsync(StewardApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppointmentSweeper>().RunAsync();
    }

    private static Task<int> CountAsync(QueueWorld w) => w.App.WithDbAsync(db => db.Set<QueueAppointment>().CountAsync(a => a.BranchId == w.Branch.Id));

    [Fact]
    public void Slots_OfTwoPeriods_FitWhollyInside_NoneOnAHoliday_MakeUpDayWorksLikeMonday()
    {
        var hours = new[] { WorkingPeriod.Parse("09:00-12:00"), WorkingPeriod.Parse("13:30-17:00") };
        var calendar = new BusinessCalendar(DateTimeZoneProviders.Tzdb["Asia/Shanghai"], WeeklySchedule.MondayToFriday(hours),
            [new Holiday(new LocalDate(2026, 11, 25), "假日")], [new MakeUpWorkingDay(new LocalDate(2026, 11, 29), IsoDayOfWeek.Monday, "调休")]);
        string[] Times(LocalDate d, int minutes) =>
            [.. AppointmentSlots.For(calendar, d, minutes).Select(s => s.Start.InZone(calendar.Zone).TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture))];

        // 45-minute slots: 09:00 09:45 10:30 11:15 (11:15–12:00 ends at the close), 13:30 14:15 15:00 15:45 (16:30 would end 17:15).
        Assert.Equal(["09:00", "09:45", "10:30", "11:15", "13:30", "14:15", "15:00", "15:45"], Times(new LocalDate(2026, 11, 24), 45));
        Assert.Empty(Times(new LocalDate(2026, 11, 25), 30));
        Assert.Empty(Times(new LocalDate(2026, 11, 28), 30)); // a Saturday
        Assert.Equal(13, Times(new LocalDate(2026, 11, 29), 30).Length); // the make-up Sunday: 6 + 7 half hours
    }

    [Theory, BothDatabases]
    public async Task Slots_ApiFromTheBranchCalendar_HolidayHasNone_MakeUpDayHasThem(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var a = await w.AddServiceTypeAsync("A");
        var client = w.App.AnonymousClient();
        var tuesday = await (await client.GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}&date={wk.D(1)}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        Assert.True(tuesday.Open);
        Assert.Equal(["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"], tuesday.Slots.Select(s => s.Time));
        Assert.Equal("17:00", tuesday.Slots[^1].EndTime);
        Assert.All(tuesday.Slots, s => Assert.Equal((2, 2, true), (s.Capacity, s.Free, s.Bookable)));
        Assert.Equal(wk.At(1, 9, 0), tuesday.Slots[0].Start);

        var holiday = await (await client.GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}&date={wk.D(2)}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        Assert.False(holiday.Open);
        Assert.Empty(holiday.Slots);
        var makeUp = await (await client.GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}&date={wk.D(6)}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        Assert.Equal(13, makeUp.Slots.Count);

        // Today at 09:00: the 09:00 slot has begun (not bookable), 09:30 is.
        var today = await (await client.GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        Assert.Equal(wk.D(0), today.Date);
        Assert.False(today.Slots[0].Bookable);
        Assert.True(today.Slots[1].Bookable);
    }

    [Theory, BothDatabases]
    public async Task Booking_TwoRacingForTheLastPlace_ExactlyOneSucceeds_CancelFreesIt(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var a = await w.AddServiceTypeAsync("A");
        var first = await BookAsync(w, a.Id, wk.D(1), "10:00", "13900000001");
        Assert.Equal(6, first.Reference.Length);
        Assert.NotNull(first.Token);

        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => w.App.AnonymousClient().PostJsonAsync($"{w.Base}/appointments",
            new { serviceTypeId = a.Id, date = wk.D(1), time = "10:00", name = "赛跑" + i, phone = "1390000001" + i })));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], racing.Select(r => r.StatusCode).Order());
        var lost = await racing.Single(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-full", lost.GetProperty("code").GetString());
        Assert.Equal(2, await CountAsync(w));
        var slots = await (await w.App.AnonymousClient().GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}&date={wk.D(1)}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        Assert.Equal((0, false), (slots.Slots.Single(s => s.Time == "10:00").Free, slots.Slots.Single(s => s.Time == "10:00").Bookable));

        // A third is refused; a cancel frees the place for it.
        await (await w.App.AnonymousClient().PostJsonAsync($"{w.Base}/appointments", new { serviceTypeId = a.Id, date = wk.D(1), time = "10:00", name = "第三", phone = "13900000020" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var cancelled = await (await w.App.AnonymousClient().PostAsync($"/api/v1/queue/appointments/{first.Token}/cancel", null)).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
        Assert.Equal("Cancelled", cancelled.Status);
        await BookAsync(w, a.Id, wk.D(1), "10:00", "13900000020", "第三");
        Assert.Equal(2, await w.App.WithDbAsync(db => db.Set<QueueAppointment>().CountAsync(x => x.BranchId == w.Branch.Id && x.Status == AppointmentStatus.Booked)));
        Assert.Equal(2, (await w.App.AuditEntriesAsync(nameof(QueueAppointment), first.Id.ToString(CultureInfo.InvariantCulture))).Count); // booked, cancelled
    }

    [Theory, BothDatabases]
    public async Task Booking_Refusals_PastFullHolidayOffHoursUnknownTooFar_StoreNothing(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var a = await w.AddServiceTypeAsync("A");
        var client = w.App.AnonymousClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        async Task<string> Field(object body, string field)
        {
            var problem = await (await client.PostJsonAsync($"{w.Base}/appointments", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
            return messages[0].GetString()!;
        }

        Assert.Contains("already begun", await Field(new { serviceTypeId = a.Id, date = wk.D(0), time = "09:00", name = "甲", phone = "13900000101" }, "time"));
        Assert.Contains("passed", await Field(new { serviceTypeId = a.Id, date = wk.D(-3), time = "10:00", name = "甲", phone = "13900000101" }, "date"));
        Assert.Contains("closed on " + wk.D(2), await Field(new { serviceTypeId = a.Id, date = wk.D(2), time = "10:00", name = "甲", phone = "13900000101" }, "date"));
        Assert.Contains("not a slot", await Field(new { serviceTypeId = a.Id, date = wk.D(1), time = "12:30", name = "甲", phone = "13900000101" }, "time"));
        Assert.Contains("not a slot", await Field(new { serviceTypeId = a.Id, date = wk.D(1), time = "10:15", name = "甲", phone = "13900000101" }, "time"));
        // 14 days ahead is Monday 12-07; Tuesday 12-08 is one too far.
        Assert.Contains("14 days", await Field(new { serviceTypeId = a.Id, date = wk.D(15), time = "10:00", name = "甲", phone = "13900000101" }, "date"));
        Assert.Contains("name", await Field(new { serviceTypeId = a.Id, date = wk.D(1), time = "10:00", name = "", phone = "13900000101" }, "name"));
        Assert.Contains("digits", await Field(new { serviceTypeId = a.Id, date = wk.D(1), time = "10:00", name = "甲", phone = "abc" }, "phone"));
        var unknown = await (await client.PostJsonAsync($"{w.Base}/appointments", new { serviceTypeId = 999999, date = wk.D(1), time = "10:00", name = "甲", phone = "13900000101" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("unknown-service-type", unknown.GetProperty("code").GetString());
        Assert.Equal(0, await CountAsync(w));

        // Full: two places taken, the third refused, still two stored.
        await BookAsync(w, a.Id, wk.D(14), "16:30", "13900000102");
        await BookAsync(w, a.Id, wk.D(14), "16:30", "13900000103");
        await (await client.PostJsonAsync($"{w.Base}/appointments", new { serviceTypeId = a.Id, date = wk.D(14), time = "16:30", name = "甲", phone = "13900000104" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, await CountAsync(w));

        // The page says it at the field (English reader): a missing name, and the full slot at the time.
        var page = WaitEstimateTests.Anonymous(w.App, "en");
        var url = $"/Queues/Public/Book/{w.Branch.Id}?serviceTypeId={a.Id}&date={wk.D(14)}";
        var response = await page.PostFormAsync(url, new() { ["serviceTypeId"] = a.Id.ToString(CultureInfo.InvariantCulture), ["date"] = wk.D(14), ["Time"] = "16:30", ["Name"] = "", ["Phone"] = "13900000105" });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter your name.", html, StringComparison.Ordinal);
        response = await page.PostFormAsync(url, new() { ["serviceTypeId"] = a.Id.ToString(CultureInfo.InvariantCulture), ["date"] = wk.D(14), ["Time"] = "16:30", ["Name"] = "乙", ["Phone"] = "13900000105" });
        html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Every place at 16:30 is booked", html, StringComparison.Ordinal);
        Assert.DoesNotContain("名额已约满", html, StringComparison.Ordinal); // one language
        Assert.Equal(2, await CountAsync(w));
    }

    [Theory, BothDatabases]
    public async Task CheckIn_InWindow_AppointmentPriority_CalledBeforeAnOlderWalkIn_ButNeverPastTheFairnessBound(DatabaseProvider provider)
    {
        // Defaults: head start of an appointment 20 min, fairness bound 30 min; check-in from 15 min before to 10 min after.
        var (w, wk) = await WorldAsync(provider);
        var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var counter = await w.AddCounterAsync(1, false, a.Id);
        var (staff, desk) = await w.StaffAtCounterAsync(counter.Id);
        var p1 = await BookAsync(w, a.Id, wk.D(0), "10:00", "13900000201");
        var p2 = await BookAsync(w, a.Id, wk.D(0), "10:30", "13900000202");
        var kiosk = app.AnonymousClient();

        app.Clock.SetUtcNow(wk.At(0, 9, 40));
        var w1 = await w.IssueAsync(a.Id); // A001, waiting since 09:40
        app.Clock.SetUtcNow(wk.At(0, 9, 44));
        var early = await (await kiosk.PostJsonAsync($"{w.Base}/appointments/check-in", new { reference = p1.Reference })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("check-in-too-early", early.GetProperty("code").GetString());
        Assert.Contains("09:45", early.GetProperty("detail").GetString());

        // 09:50: P1 checks in → A002 with appointment priority, virtual arrival 09:30, before A001's 09:40: called first.
        app.Clock.SetUtcNow(wk.At(0, 9, 50));
        var checkedIn = await (await kiosk.PostJsonAsync($"{w.Base}/appointments/check-in", new { reference = p1.Reference.ToLowerInvariant() })).ShouldBeAsync<CheckInDto>(HttpStatusCode.OK);
        Assert.Equal(("CheckedIn", "A002"), (checkedIn.Appointment.Status, checkedIn.Ticket.Number));
        Assert.Null(checkedIn.Ticket.Priority); // the kiosk is not told the class
        app.Clock.SetUtcNow(wk.At(0, 9, 51));
        var called = await w.CallAsync(desk);
        Assert.Equal(("A002", "Appointment"), (called!.Number, called.Priority));
        Assert.Contains(called.Events!, e => e.Kind == "CheckedIn");
        await w.ActAsync(desk, called.Id, "serve");
        await w.ActAsync(desk, called.Id, "finish");
        Assert.Equal(w1.Id, (await w.CallAsync(desk))!.Id);
        await w.ActAsync(desk, w1.Id, "serve");
        await w.ActAsync(desk, w1.Id, "finish");

        // 10:00 a walk-in A003; 10:16 P2 checks in → A004 (virtual arrival 09:56, before 10:00). At 10:31 A003 has waited 31 min
        // ≥ the 30-minute bound: it is due and goes first, the appointment after it.
        app.Clock.SetUtcNow(wk.At(0, 10, 0));
        var w2 = await w.IssueAsync(a.Id);
        app.Clock.SetUtcNow(wk.At(0, 10, 16));
        var p2In = await (await kiosk.PostJsonAsync($"{w.Base}/appointments/check-in", new { phone = "139 0000 0202" })).ShouldBeAsync<CheckInDto>(HttpStatusCode.OK);
        Assert.Equal((p2.Reference, "A004"), (p2In.Appointment.Reference, p2In.Ticket.Number));
        Assert.Equal("王*明", p2In.Appointment.CustomerName); // a phone typed at the kiosk does not tell whose booking it is
        app.Clock.SetUtcNow(wk.At(0, 10, 31));
        desk = await app.ApiClientAsync(staff.Username); // a fresh token: the first is an hour and a half old
        Assert.Equal(w2.Id, (await w.CallAsync(desk))!.Id);
        await w.ActAsync(desk, w2.Id, "serve");
        await w.ActAsync(desk, w2.Id, "finish");
        Assert.Equal(p2In.Ticket.Id, (await w.CallAsync(desk))!.Id);

        // The link both ways; a second check-in is refused; the staff list shows both checked in with their tickets.
        Assert.Equal(p1.Id, await app.WithDbAsync(db => db.Set<QueueTicket>().Where(t => t.Number == "A002" && t.BranchId == w.Branch.Id).Select(t => t.AppointmentId).SingleAsync()));
        await (await kiosk.PostJsonAsync($"{w.Base}/appointments/check-in", new { reference = p1.Reference })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var list = await (await desk.GetAsync($"{w.Base}/appointments")).ShouldBeAsync<List<AppointmentDto>>(HttpStatusCode.OK);
        Assert.Equal([("CheckedIn", "A002"), ("CheckedIn", "A004")], list.Select(x => (x.Status, x.TicketNumber)));
        Assert.Equal("*******0201", list[0].Phone);
    }

    [Theory, BothDatabases]
    public async Task LateCheckIn_IsAWalkInTicket_TheJobSendsTheReminderOnce_AndMarksANoShowOnce(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var pa = await BookAsync(w, a.Id, wk.D(0), "11:00", "13900000301");
        var pb = await BookAsync(w, a.Id, wk.D(0), "11:30", "13900000302");
        var pc = await BookAsync(w, a.Id, wk.D(0), "14:00", "13900000303");
        Task<int> Reminders(string phone) => app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == phone && m.Channel == OutboxChannel.Sms));

        // 09:00, lead 2 h: 11:00 is due (≤ 11:00), 11:30 not yet. Twice: still one.
        await SweepAsync(app);
        await SweepAsync(app);
        Assert.Equal((1, 0, 0), (await Reminders("13900000301"), await Reminders("13900000302"), await Reminders("13900000303")));
        var body = await app.WithDbAsync(db => db.Set<OutboxMessage>().Where(m => m.Recipient == "13900000301").Select(m => m.Body).SingleAsync());
        Assert.Contains(pa.Reference, body, StringComparison.Ordinal);
        Assert.Contains("10:45–11:10", body, StringComparison.Ordinal);
        app.Clock.SetUtcNow(wk.At(0, 9, 30));
        await SweepAsync(app);
        Assert.Equal((1, 1, 0), (await Reminders("13900000301"), await Reminders("13900000302"), await Reminders("13900000303")));
        await (await app.AnonymousClient().PostAsync($"/api/v1/queue/appointments/{pc.Token}/cancel", null)).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);

        // 11:11 is past 11:00's grace (11:10): a walk-in ticket in normal order, recorded late.
        app.Clock.SetUtcNow(wk.At(0, 11, 11));
        var late = await (await app.AnonymousClient().PostJsonAsync($"{w.Base}/appointments/check-in", new { reference = pa.Reference })).ShouldBeAsync<CheckInDto>(HttpStatusCode.OK);
        Assert.Equal("Late", late.Appointment.Status);
        Assert.Equal(QueuePriority.Normal, await app.WithDbAsync(db => db.Set<QueueTicket>().Where(t => t.Id == late.Ticket.Id).Select(t => t.Priority).SingleAsync()));

        // 11:45: 11:30's grace ended at 11:40 → no-show, once; the late one and the cancelled one stay as they are; no reminder for 14:00.
        // (The app is shared: the pass counts cover other tests' branches too, so the rows of this branch are what is checked.)
        app.Clock.SetUtcNow(wk.At(0, 11, 45));
        await SweepAsync(app);
        app.Clock.SetUtcNow(wk.At(0, 11, 50));
        await SweepAsync(app);
        Assert.Equal(wk.At(0, 11, 45), await app.WithDbAsync(db => db.Set<QueueAppointment>().Where(x => x.Id == pb.Id).Select(x => x.NoShowAt).SingleAsync()));
        app.Clock.SetUtcNow(wk.At(0, 13, 0));
        await SweepAsync(app);
        var states = await app.WithDbAsync(db => db.Set<QueueAppointment>().Where(x => x.BranchId == w.Branch.Id).OrderBy(x => x.SlotStart).Select(x => x.Status).ToListAsync());
        Assert.Equal([AppointmentStatus.Late, AppointmentStatus.NoShow, AppointmentStatus.Cancelled], states);
        Assert.Equal(0, await Reminders("13900000303"));

        // The manager's numbers for today.
        var (_, manager) = await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager);
        var stats = await (await manager.GetAsync($"{w.Base}/stats")).ShouldBeAsync<QueueStatsDto>(HttpStatusCode.OK);
        var counts = stats.TodayAppointments!.Single(x => x.ServiceTypeId == a.Id);
        Assert.Equal((3, 0, 0, 1, 1, 1), (counts.Total, counts.Booked, counts.CheckedIn, counts.Late, counts.NoShow, counts.Cancelled));
    }

    [Theory, BothDatabases]
    public async Task ManageLink_ShowsAndCancels_AWrongTokenIs404(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var a = await w.AddServiceTypeAsync("A");
        var booked = await BookAsync(w, a.Id, wk.D(1), "14:00", "13900000401");
        var stored = await w.App.WithDbAsync(db => db.Set<QueueAppointment>().SingleAsync(x => x.Id == booked.Id));
        Assert.NotEqual(booked.Token, stored.TokenHash); // only the hash is kept
        Assert.DoesNotContain("13900000401", stored.PhoneCipher!, StringComparison.Ordinal);

        var api = await (await w.App.AnonymousClient().GetAsync($"/api/v1/queue/appointments/{booked.Token}")).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
        Assert.Equal((booked.Reference, "14:00", "Booked"), (api.Reference, api.Time, api.Status));
        Assert.Null(api.Token);
        Assert.Null(api.Phone);
        var en = WaitEstimateTests.Anonymous(w.App, "en");
        var (status, html) = await en.GetAsync($"/Queues/Public/Appointment/{booked.Token}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(booked.Reference, html, StringComparison.Ordinal);
        Assert.Contains("14:00–14:30", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await en.GetAsync($"/Queues/Public/Appointment/{booked.Token}x")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await en.GetAsync($"/Queues/Public/Appointment/{booked.Id}")).Status);
        await (await w.App.AnonymousClient().GetAsync($"/api/v1/queue/appointments/{booked.Reference}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await w.App.AnonymousClient().PostAsync($"/api/v1/queue/appointments/nosuchtoken/cancel", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var response = await en.PostFormAsync($"/Queues/Public/Appointment/{booked.Token}?handler=Cancel", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Cancelled", (await en.GetAsync($"/Queues/Public/Appointment/{booked.Token}")).Html, StringComparison.Ordinal);
        await (await w.App.AnonymousClient().PostAsync($"/api/v1/queue/appointments/{booked.Token}/cancel", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, BothDatabases]
    public async Task StaffCancel_NeedsAReason_FreesThePlace_TextsTheCustomerInTheirLanguage_OtherBranchesCannot(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var english = await (await app.AnonymousClient().PostJsonAsync($"{w.Base}/appointments",
                new { serviceTypeId = a.Id, date = wk.D(1), time = "10:00", name = "Jane Doe", phone = "13900000501", language = "en" }))
            .ShouldBeAsync<AppointmentDto>(HttpStatusCode.Created);
        var chinese = await BookAsync(w, a.Id, wk.D(1), "10:00", "13900000502");
        var (_, agent) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);
        var url = $"{w.Base}/appointments/{english.Id}/cancel";
        Task<int> Texts(string phone) => app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == phone && m.Channel == OutboxChannel.Sms));

        // No reason, or blanks only: refused at the field, nothing changed, nobody texted.
        foreach (var reason in new string?[] { null, "   " })
        {
            var refused = await (await agent.PostJsonAsync(url, new { reason })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty("reason", out _));
        }

        Assert.Equal(AppointmentStatus.Booked, await app.WithDbAsync(db => db.Set<QueueAppointment>().Where(x => x.Id == english.Id).Select(x => x.Status).SingleAsync()));
        Assert.Equal(0, await Texts("13900000501"));

        // Staff of another branch do not see the booking at all.
        var elsewhere = await app.CreateBranchAsync();
        var (_, outsider) = await app.SignInAsync(elsewhere.Id, StaffRole.Agent);
        await (await outsider.PostJsonAsync(url, new { reason = "不应成功" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        // A stale version is refused; with the reason and the current version it is cancelled, the text in English names it.
        await (await agent.PostJsonAsync(url + "?version=99", new { reason = "Counter closed for maintenance" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var cancelled = await (await agent.PostJsonAsync(url + $"?version={english.Version}", new { reason = "Counter closed for maintenance" }))
            .ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
        Assert.Equal(("Cancelled", "Counter closed for maintenance"), (cancelled.Status, cancelled.CancelReason));
        var text = await app.WithDbAsync(db => db.Set<OutboxMessage>().SingleAsync(m => m.Recipient == "13900000501"));
        Assert.Equal("Appointment cancelled", text.Subject);
        Assert.Contains($"(ref. {english.Reference}) has been cancelled by the branch: Counter closed for maintenance.", text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("预约", text.Body, StringComparison.Ordinal);
        await (await agent.PostJsonAsync(url, new { reason = "again" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // The place is free again: the slot had 2 places, both taken; now 1.
        var slots = await (await app.AnonymousClient().GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}&date={wk.D(1)}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
        Assert.Equal(1, slots.Slots.Single(s => s.Time == "10:00").Free);

        // On the staff page: a blank reason is shown at its field; a real one cancels, the reason shows in the list, the text is Chinese.
        app.Clock.SetUtcNow(wk.At(1, 8, 0)); // Tuesday, the booking's day: the page lists today's
        var agentStaff = await app.CreateStaffAsync(w.Branch.Id, StaffRole.Agent);
        var page = await PageClient.SignInAsync(app, agentStaff.Username, language: "zh-CN");
        var list = $"/Queues/Appointments?branchId={w.Branch.Id}";
        var fields = new Dictionary<string, string> { ["branchId"] = w.Branch.Id.ToString(CultureInfo.InvariantCulture), ["appointmentId"] = chinese.Id.ToString(CultureInfo.InvariantCulture), ["reason"] = " " };
        var blank = await page.PostFormAsync("/Queues/Appointments?handler=Cancel", fields, list);
        Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        Assert.Contains("请填写取消原因，系统会告知客户。", await blank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        fields["reason"] = "网点临时停电";
        var done = await page.PostFormAsync("/Queues/Appointments?handler=Cancel", fields, list);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var (_, html) = await page.GetAsync(done.Headers.Location!.OriginalString);
        Assert.Contains($"预约 {chinese.Reference} 已取消", html, StringComparison.Ordinal);
        Assert.Contains("原因：网点临时停电", html, StringComparison.Ordinal);
        var zh = await app.WithDbAsync(db => db.Set<OutboxMessage>().SingleAsync(m => m.Recipient == "13900000502"));
        Assert.Contains($"预约号 {chinese.Reference}）已由网点取消，原因：网点临时停电。", zh.Body, StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<QueueAppointment>().CountAsync(x => x.BranchId == w.Branch.Id && x.Status == AppointmentStatus.Cancelled && x.CancelledByStaffId != null)));
    }

    [Theory, BothDatabases]
    public async Task ManageLink_MovesTheBookingOnThePage_AFullSlotIsNamedAtTheTime_AndChangesNothing(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var a = await w.AddServiceTypeAsync("A");
        var mine = await BookAsync(w, a.Id, wk.D(1), "10:00", "13900000701");
        await BookAsync(w, a.Id, wk.D(1), "11:00", "13900000702");
        await BookAsync(w, a.Id, wk.D(1), "11:00", "13900000703");
        var en = WaitEstimateTests.Anonymous(w.App, "en");
        var path = $"/Queues/Public/Appointment/{mine.Token}";
        Task<int> Texts() => w.App.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == "13900000701" && m.Channel == OutboxChannel.Sms));

        // The booking's day: its own 10:00 is marked as the time now and cannot be chosen, 11:00 (two places, both taken) is full.
        var doc = HtmlForms.Parse((await en.GetAsync(path)).Html);
        Assert.NotNull(doc.QuerySelector("[data-testid=appointment-move-form]"));
        Assert.True(doc.QuerySelector("#slot1000")!.HasAttribute("disabled"));
        Assert.Contains("Your time now", doc.QuerySelector("label[for=slot1000]")!.TextContent, StringComparison.Ordinal);
        Assert.True(doc.QuerySelector("#slot1100")!.HasAttribute("disabled"));
        Assert.Contains("Full", doc.QuerySelector("label[for=slot1100]")!.TextContent, StringComparison.Ordinal);

        // Posted anyway (a page left open while the last place went): named at the time, in English only, the booking unchanged.
        var full = await en.PostFormAsync(path + "?handler=Move", new() { ["date"] = wk.D(1), ["Time"] = "11:00" }, path);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var error = HtmlForms.Parse(await full.Content.ReadAsStringAsync()).QuerySelector("#time-error")!.TextContent.Trim();
        Assert.Equal("Every place at 11:00 is booked; choose another time.", error);
        var blank = await en.PostFormAsync(path + "?handler=Move", new() { ["date"] = wk.D(1) }, path);
        Assert.NotEmpty(HtmlForms.Parse(await blank.Content.ReadAsStringAsync()).QuerySelector("#time-error")!.TextContent.Trim());
        var api = $"/api/v1/queue/appointments/{mine.Token}";
        Assert.Equal("10:00", (await (await w.App.AnonymousClient().GetAsync(api)).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK)).Time);
        Assert.Equal(0, await Texts());

        // Another day (Thursday): the time now is not on it; 09:30 there moves the booking, the page says so and the customer is texted.
        var thursday = HtmlForms.Parse((await en.GetAsync(path + "?date=" + wk.D(3))).Html);
        Assert.Null(thursday.QuerySelector("#slot1000[disabled]"));
        var moved = await en.PostFormAsync(path + "?handler=Move", new() { ["date"] = wk.D(3), ["Time"] = "09:30" }, path + "?date=" + wk.D(3));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var after = (await en.GetAsync(moved.Headers.Location!.OriginalString)).Html;
        Assert.Contains("Moved to the time below.", after, StringComparison.Ordinal);
        Assert.Contains("09:30–10:00", after, StringComparison.Ordinal);
        Assert.Contains(wk.D(3), after, StringComparison.Ordinal);
        Assert.Equal((wk.D(3), "09:30"), await (await w.App.AnonymousClient().GetAsync(api)).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK) is var dto ? (dto.Date, dto.Time) : default);
        Assert.Equal(1, await Texts());
    }

    [Theory, BothDatabases]
    public async Task Reschedule_MovesInOneRequest_FullOrSameOrClosedRefusedUnchanged_OldPlaceFreed_CustomerTexted(DatabaseProvider provider)
    {
        var (w, wk) = await WorldAsync(provider);
        var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var mine = await BookAsync(w, a.Id, wk.D(1), "10:00", "13900000601");
        await BookAsync(w, a.Id, wk.D(1), "11:00", "13900000602");
        await BookAsync(w, a.Id, wk.D(1), "11:00", "13900000603");
        var url = $"/api/v1/queue/appointments/{mine.Token}/reschedule";
        Task<int> Texts() => app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == "13900000601" && m.Channel == OutboxChannel.Sms));
        async Task<(string Date, string Time, int Free10, int Free14)> StateAsync()
        {
            var now = await (await app.AnonymousClient().GetAsync($"/api/v1/queue/appointments/{mine.Token}")).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
            var slots = await (await app.AnonymousClient().GetAsync($"{w.Base}/appointment-slots?serviceTypeId={a.Id}&date={wk.D(1)}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
            return (now.Date, now.Time, slots.Slots.Single(s => s.Time == "10:00").Free, slots.Slots.Single(s => s.Time == "14:00").Free);
        }

        // 11:00 is full (two places, both taken): 409 slot-full; its own slot, a holiday (Wednesday) or no time: 400 at the field.
        var full = await (await app.AnonymousClient().PostJsonAsync(url, new { date = wk.D(1), time = "11:00" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-full", full.GetProperty("code").GetString());
        foreach (var (date, time, field) in new[] { (wk.D(1), "10:00", "time"), (wk.D(2), "10:00", "date"), (wk.D(1), "", "time") })
        {
            var refused = await (await app.AnonymousClient().PostJsonAsync(url, new { date, time })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), $"{date} {time}: no error at {field}");
        }

        Assert.Equal((wk.D(1), "10:00", 1, 2), await StateAsync());
        Assert.Equal(0, await Texts());

        // To 14:00 in one request: the 10:00 place is free again, one of 14:00's is taken, the customer is told both times (in Chinese, as booked).
        var moved = await (await app.AnonymousClient().PostJsonAsync(url, new { date = wk.D(1), time = "14:00" })).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
        Assert.Equal(("Booked", "14:00", "14:30"), (moved.Status, moved.Time, moved.EndTime));
        Assert.Equal((wk.D(1), "14:00", 2, 1), await StateAsync());
        var text = await app.WithDbAsync(db => db.Set<OutboxMessage>().SingleAsync(m => m.Recipient == "13900000601"));
        Assert.Equal("预约已改期", text.Subject);
        Assert.Contains($"预约号 {mine.Reference}）已由 {wk.D(1)} 10:00 改至 {wk.D(1)} 14:00。", text.Body, StringComparison.Ordinal);
        Assert.Equal(2, (await app.AuditEntriesAsync(nameof(QueueAppointment), mine.Id.ToString(CultureInfo.InvariantCulture))).Count); // booked, moved

        // Counter staff move it again for the customer: a stale version is refused; staff of another branch do not see it.
        var (_, agent) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);
        var staffUrl = $"{w.Base}/appointments/{mine.Id}/reschedule";
        await (await agent.PostJsonAsync(staffUrl + "?version=99", new { date = wk.D(3), time = "09:00" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var elsewhere = await app.CreateBranchAsync();
        var (_, outsider) = await app.SignInAsync(elsewhere.Id, StaffRole.Agent);
        await (await outsider.PostJsonAsync($"/api/v1/branches/{elsewhere.Id}/queue/appointments/{mine.Id}/reschedule", new { date = wk.D(3), time = "09:00" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var byStaff = await (await agent.PostJsonAsync(staffUrl + $"?version={moved.Version}", new { date = wk.D(3), time = "09:00" })).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
        Assert.Equal((wk.D(3), "09:00"), (byStaff.Date, byStaff.Time));
        Assert.Equal(2, await Texts());
        Assert.Equal((2, 2), ((await StateAsync()).Free10, (await StateAsync()).Free14));

        // On the staff page (Thursday, the booking's day, so the page lists it): no time is shown at its field; 10:00 moves it.
        app.Clock.SetUtcNow(wk.At(3, 8, 0));
        var agentStaff = await app.CreateStaffAsync(w.Branch.Id, StaffRole.Agent);
        var page = await PageClient.SignInAsync(app, agentStaff.Username, language: "zh-CN");
        var list = $"/Queues/Appointments?branchId={w.Branch.Id}";
        var fields = new Dictionary<string, string>
        {
            ["branchId"] = w.Branch.Id.ToString(CultureInfo.InvariantCulture), ["appointmentId"] = mine.Id.ToString(CultureInfo.InvariantCulture), ["date"] = wk.D(3), ["time"] = "",
        };
        var blank = await page.PostFormAsync("/Queues/Appointments?handler=Move", fields, list);
        Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        Assert.Contains("请选择时段。", await blank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        fields["time"] = "10:00";
        var done = await page.PostFormAsync("/Queues/Appointments?handler=Move", fields, list);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var (_, html) = await page.GetAsync(done.Headers.Location!.OriginalString);
        Assert.Contains($"预约 {mine.Reference} 已改至 {wk.D(3)} 10:00，已短信通知客户。", html, StringComparison.Ordinal);
        Assert.Equal(3, await Texts());

        // A cancelled booking stays cancelled.
        await (await app.AnonymousClient().PostAsync($"/api/v1/queue/appointments/{mine.Token}/cancel", null)).ShouldBeAsync<AppointmentDto>(HttpStatusCode.OK);
        await (await app.AnonymousClient().PostJsonAsync(url, new { date = wk.D(3), time = "10:00" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }
}
