using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Features.Sla;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Problems;

/// <summary>
/// Two people change one thing at the same moment: the second save finds the row's version moved under it (EF's
/// concurrency check). A form then answers 409 with a page that says so in the reader's language, keeps nothing of the
/// second change, and offers the page again, not the 400 "request is not valid" page.
/// </summary>
public sealed class ConcurrentChangePageTests
{
    [Theory, BothDatabases]
    public async Task FormSave_WhenSomeoneElseSavesTheSameRowFirst_Is409PageSayingSo_WithTheWayBack(DatabaseProvider provider)
    {
        var other = new OtherWriter();
        await using var app = await StewardApp.StartAsync(provider, configureServices: services => services.ConfigureDbContext<StewardDbContext>(o => o.AddInterceptors(other)));
        var branch = await app.CreateBranchAsync();
        var (_, api) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var calendar = await SlaApi.CreateCalendarAsync(api, new { name = "上海", nameEn = "Shanghai", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var id = calendar.GetProperty("id").GetInt64();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var edit = string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={id}");

        foreach (var (language, title) in new[] { ("zh-CN", "已被他人同时修改"), ("en", "Changed by someone else at the same moment") })
        {
            var admin = await PageClient.SignInAsync(app, staff.Username, language: language);
            admin.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
            other.ArmFor(id);
            var response = await admin.SubmitFormAsync(edit, f => f.Posts("Year"), new() { ["year"] = "2031", ["loaded"] = "true" });

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"data-testid=\"error-title\">{title}<", html, StringComparison.Ordinal);
            Assert.Contains("role=\"alert\" data-testid=\"error-conflict\"", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"{edit}\" data-testid=\"error-retry\"", html, StringComparison.Ordinal);
        }

        // A form based on a version that has since moved on (the page was open while someone saved) says so on the page itself.
        var stale = await PageClient.SignInAsync(app, staff.Username, language: "en");
        var current = (await (await api.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        var before = (current - 1).ToString(CultureInfo.InvariantCulture);
        var old = await stale.SubmitFormAsync(edit, f => f.Posts("Year"), new() { ["year"] = "2031", ["loaded"] = "true", ["Version"] = before });
        Assert.Equal(HttpStatusCode.Conflict, old.StatusCode);
        Assert.Contains("role=\"alert\" data-testid=\"form-error\"", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Neither refused change was kept: 2031 is not among the years the calendar says are loaded.
        var stored = await (await api.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("2031", stored.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>Just before the armed save, another writer commits a change of the calendar row (its version moves on).</summary>
    private sealed class OtherWriter : SaveChangesInterceptor
    {
        private long armed;

        public void ArmFor(long calendarId) => Interlocked.Exchange(ref armed, calendarId);

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var id = Interlocked.Read(ref armed);
            if (id != 0 && eventData.Context is { } db && db.ChangeTracker.Entries<SlaCalendar>().Any(e => e.Entity.Id == id && e.State == EntityState.Modified)
                && Interlocked.CompareExchange(ref armed, 0, id) == id)
            {
                await db.Database.ExecuteSqlAsync($"UPDATE sla_calendars SET version = version + 1 WHERE id = {id}", cancellationToken);
            }

            return result;
        }
    }
}
