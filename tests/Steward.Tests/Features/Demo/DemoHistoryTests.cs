using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Routing;
using Steward.Features.Demo;
using Steward.Features.Organisation;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Steward.Tests.Features.Demo;

/// <summary>The demo history as the README's accounts meet it on first start (the shared one, <see cref="DemoApps"/>).</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoHistoryTests(DemoApps demo, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> DemoSettings = new(DemoApps.Settings);

    [Theory, BothDatabases]
    public async Task FirstStart_EveryDemoWorkbenchShowsWork_AndEveryStateChannelAndClockKindOccurs(DatabaseProvider provider)
    {
        var watch = Stopwatch.StartNew();
        var app = await demo.ForAsync(provider);
        output.WriteLine($"{provider}: start with demo and history took {watch.Elapsed.TotalSeconds:0.0} s (0 when another test started it)");
        var now = app.Clock.GetUtcNow();

        var cases = await app.WithDbAsync(db => db.Set<Case>().AsNoTracking().ToListAsync());
        output.WriteLine($"{cases.Count} cases; {cases.Count(c => c.Status == CaseStatus.Closed)} closed");
        Assert.InRange(cases.Count, 300, 1500);
        Assert.All(cases, c => Assert.InRange(c.CreatedAt, now.AddDays(-DemoHistory.Days), now));
        Assert.Equal(Enum.GetValues<CaseStatus>().Order(), cases.Select(c => c.Status).Distinct().Order());
        Assert.Equal(Enum.GetValues<CaseChannel>().Order(), cases.Select(c => c.Channel).Distinct().Order());
        Assert.Equal(Enum.GetValues<CaseKind>().Order(), cases.Select(c => c.Kind).Distinct().Order());
        Assert.Contains(cases, c => c.Waiting == CaseWaiting.WaitingOnCustomer);
        Assert.Contains(cases, c => c.Waiting == CaseWaiting.WaitingOnThirdParty);
        Assert.Contains(cases, c => c.MergedIntoId is not null);
        var branches = await app.WithDbAsync(db => db.Set<Branch>().AsNoTracking().ToListAsync());
        Assert.All(branches, b => Assert.Contains(cases, c => c.BranchId == b.Id && CaseLifecycle.IsOpen(c.Status)));

        // Conversation: replies and notes, in Chinese on the mainland and in English in London.
        var london = branches.Single(b => b.Code == "LN01").Id;
        var messages = await app.WithDbAsync(db => db.Set<CaseMessage>().AsNoTracking()
            .Join(db.Set<Case>(), m => m.CaseId, c => c.Id, (m, c) => new { m.Visibility, m.Body, c.BranchId }).ToListAsync());
        Assert.Contains(messages, m => m.Visibility == MessageVisibility.Public && m.BranchId != london && m.Body.Contains("您好", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Visibility == MessageVisibility.Internal && m.BranchId != london);
        Assert.Contains(messages, m => m.BranchId == london && m.Body.StartsWith("We ", StringComparison.Ordinal));
        Assert.True(cases.Select(c => c.Subject).Distinct().Count() >= 40, "subjects repeat too much");

        // SLA clocks: met, paused and breached ones, and one that is due within the next four hours.
        var clocks = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().ToListAsync());
        Assert.Contains(clocks, k => k.Status == SlaClockStatus.Met && k.BreachedAt is null);
        Assert.Contains(clocks, k => k.Status == SlaClockStatus.Paused);
        Assert.Contains(clocks, k => k.Status == SlaClockStatus.Breached);
        Assert.Contains(clocks, k => k.Status == SlaClockStatus.Running && k.DueAt > now && k.DueAt <= now.AddHours(4));
        var extensions = await app.WithDbAsync(db => db.Set<SlaExtension>().AsNoTracking().ToListAsync());
        Assert.Contains(extensions, e => e.Status == SlaExtensionStatus.Approved);

        // Reassignments and automatic assignment are on the timelines.
        var events = await app.WithDbAsync(db => db.Set<CaseEvent>().AsNoTracking().Where(e => e.Type == CaseEventType.Assigned).ToListAsync());
        Assert.Contains(events, e => e.DetailCode == CaseEventText.AssignedAuto);
        Assert.Contains(events, e => e.Action == CaseAction.Assign && e.Reason != null);

        // A team that assigns automatically has work in its queue, and its members are on duty.
        var auto = await app.WithDbAsync(db => db.Set<CaseTeamSettings>().AsNoTracking().Where(s => s.Mode != AssignmentMode.Manual).ToListAsync());
        Assert.NotEmpty(auto);
        Assert.Contains(auto, s => cases.Any(c => c.TeamId == s.TeamId && CaseLifecycle.IsOpen(c.Status)));

        // What the README's accounts see.
        var agent = await StaffAsync(app, "sh.agent1");
        Assert.NotEmpty(await ListAsync(app, agent, new CaseListQuery { Assignee = "me" }));
        var lead = await StaffAsync(app, "sh.lead");
        Assert.NotEmpty(await ListAsync(app, lead, new CaseListQuery { TeamId = lead.TeamId }));
        var manager = await StaffAsync(app, "sh.manager");
        Assert.NotEmpty(await ListAsync(app, manager, new CaseListQuery { BranchId = manager.HomeBranchId }));
        var compliance = await StaffAsync(app, "compliance");
        Assert.NotEmpty(await ListAsync(app, compliance, new CaseListQuery { Kind = CaseKind.Complaint }));
        foreach (var login in DemoSeeder.Logins.Where(l => l.Role is StaffRole.Agent or StaffRole.TeamLead))
        {
            var person = await StaffAsync(app, login.Username);
            var query = login.Role == StaffRole.TeamLead ? new CaseListQuery { TeamId = person.TeamId } : new CaseListQuery { Assignee = "me" };
            Assert.True((await ListAsync(app, person, query)).Count > 0, $"{login.Username} sees no work");
        }

        var atRisk = await app.AsStaffAsync(manager, sp => sp.GetRequiredService<CaseSlaService>().AtRiskAsync(50));
        Assert.Contains(atRisk, i => i.MinutesLeft is > 0 and <= 240);
        Assert.Contains(atRisk, i => i.MinutesLeft < 0);

        var audit = await app.VerifyAuditAsync();
        Assert.True(audit.Intact, string.Join("; ", audit.Breaks.Select(b => b.ToString())));
    }

    [Fact]
    public async Task FirstStart_TwiceWithTheSameClock_GivesTheSameHistory()
    {
        // Two first starts on the same clock and settings: the same history, case for case. Smaller than the shared start (60 cases
        // over the same 90 days, 120 customers): a second start of the shared one's size was this suite's slowest test (136 s in CI).
        var small = new Dictionary<string, string?>(DemoSettings) { ["Demo:Customers"] = "120", ["Demo:HistoryCases"] = "60" };
        await using var first = await StewardApp.StartAsync(DatabaseProvider.Sqlite, small);
        await using var again = await StewardApp.StartAsync(DatabaseProvider.Sqlite, small);
        var history = await HistoryAsync(first);
        Assert.Contains("|events=", history, StringComparison.Ordinal);
        Assert.True(await first.WithDbAsync(db => db.Set<Case>().CountAsync()) >= 50, "the small history has its cases");
        Assert.Equal(history, await HistoryAsync(again));
    }

    private static Task<string> HistoryAsync(StewardApp app) => app.WithDbAsync(async db =>
    {
        var byState = await db.Set<Case>().AsNoTracking().GroupBy(c => new { c.Status, c.Channel, c.Kind })
            .Select(g => new { g.Key.Status, g.Key.Channel, g.Key.Kind, Count = g.Count() }).ToListAsync();
        var events = await db.Set<CaseEvent>().CountAsync();
        var clocks = await db.Set<SlaClock>().GroupBy(k => k.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var subjects = await db.Set<Case>().OrderBy(c => c.Id).Select(c => c.Subject).ToListAsync();
        return string.Join(",", byState.OrderBy(x => x.Status).ThenBy(x => x.Channel).ThenBy(x => x.Kind).Select(x => $"{x.Status}/{x.Channel}/{x.Kind}={x.Count}"))
            + $"|events={events}|" + string.Join(",", clocks.OrderBy(x => x.Key).Select(x => $"{x.Key}={x.Count}")) + "|" + string.Join(",", subjects);
    });

    [Fact]
    public async Task FirstStart_WithHistoryOff_SeedsTheInstitutionWithoutCases()
    {
        await using var app = await StewardApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>(DemoSettings) { ["Demo:History"] = "false" });
        // 31: five branches of five (two agents, back office, lead, manager), admin, two compliance officers and three QA inspectors (qa3 came with calibration).
        Assert.Equal(31, await app.WithDbAsync(db => db.Set<Staff>().CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    private static Task<Staff> StaffAsync(StewardApp app, string username) =>
        app.WithDbAsync(db => db.Set<Staff>().AsNoTracking().SingleAsync(s => s.Username == username));

    private static async Task<IReadOnlyList<CaseSummary>> ListAsync(StewardApp app, Staff staff, CaseListQuery query)
    {
        var page = await app.AsStaffAsync(staff, sp => sp.GetRequiredService<CaseService>().ListAsync(query));
        Assert.True(page.Succeeded, page.Error?.Detail);
        return page.Value!.Items;
    }
}
