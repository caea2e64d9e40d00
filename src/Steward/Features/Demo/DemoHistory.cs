using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Routing;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Audit;
using Steward.Platform.Identity;
using Steward.Features.Cases.Public;

namespace Steward.Features.Demo;

/// <summary>
/// Ninety days of work in the demo institution, ending now: cases of every kind and channel are created, picked,
/// assigned, answered, noted, paused, extended, reassigned, re-classified, merged, linked, resolved, closed, reopened
/// and cancelled by the demo staff, through the app's own services on a <see cref="DemoClock"/> that moves from step
/// to step. Timelines, SLA clocks (met, running, paused, breached), audit entries, notifications and search rows are
/// therefore what the app itself would have written. The SLA sweep runs twice a day of the story, so breaches are
/// recorded when they happen. Deterministic: the same seed, the same start and the same staff give the same history.
/// </summary>
public sealed class DemoHistory(IServiceProvider services, TimeProvider time, ILogger<DemoHistory> logger)
{
    public const int Days = 90;

    private const int Seed = 2026;

    /// <summary>Plays the history and returns how many cases it created.</summary>
    public async Task<int> SeedAsync(int caseCount, CancellationToken ct = default)
    {
        var end = time.GetUtcNow();
        var clock = new DemoClock(end.AddDays(-Days));
        await using var scope = new DemoScope(services, clock);
        // One connection for the whole story, which need not wait for the disk at every commit (a bulk load: a crash
        // part-way leaves a consistent but shorter history; SQLite in WAL mode and PostgreSQL both stay consistent).
        await scope.Db.Database.OpenConnectionAsync(ct);
        await scope.Db.Database.ExecuteSqlRawAsync(scope.Db.IsPostgres ? "SET synchronous_commit = off" : "PRAGMA synchronous = NORMAL", ct);
        var actions = new DemoActions(scope, services.GetRequiredService<IHttpContextAccessor>(), logger, ct);
        var world = await DemoWorld.LoadAsync(scope.Db, ct);
        await actions.ConfigureTeamsAsync(world);
        var story = new DemoPlot(world, actions, end, new Random(Seed));
        story.Plan(caseCount);
        await story.PlayAsync(clock, ct);
        clock.MoveTo(end);
        await actions.SweepAsync();
        logger.LogInformation("Demo history: {Created} cases, {Refused} steps refused", actions.Created, actions.Refused);
        return actions.Created;
    }
}

/// <summary>A demo staff member, as the history uses them.</summary>
internal sealed record DemoPerson(long Id, string Username, string Name, StaffRole Role, long BranchId, long? TeamId, string Stamp);

/// <summary>A demo branch: its teams, people and customers.</summary>
internal sealed record DemoBranch(
    long Id, string Code, DateTimeZone Zone, bool English, long Counter, long BackOffice, long Complaints,
    DemoPerson Manager, DemoPerson Lead, DemoPerson[] Agents, DemoPerson BackOfficer, DemoPerson? Compliance, long[] Customers);

internal sealed record DemoWorld(IReadOnlyList<DemoBranch> Branches, DemoPerson Admin, IReadOnlyDictionary<long, DemoPerson> People, IReadOnlyDictionary<string, long> Products)
{
    public static async Task<DemoWorld> LoadAsync(Platform.Database.StewardDbContext db, CancellationToken ct)
    {
        var staff = await db.Set<Staff>().AsNoTracking().Include(s => s.Roles).OrderBy(s => s.Id).ToListAsync(ct);
        var people = staff.ToDictionary(s => s.Id, s => new DemoPerson(s.Id, s.Username, s.DisplayName, s.Roles.First().Role, s.HomeBranchId, s.TeamId, s.SecurityStamp));
        var teams = await db.Set<Team>().AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        var customers = await db.Set<Customer>().AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.HomeBranchId }).ToListAsync(ct);
        var products = await db.Set<Product>().AsNoTracking().ToDictionaryAsync(p => p.Code, p => p.Id, ct);
        var branches = new List<DemoBranch>();
        foreach (var b in await db.Set<Branch>().AsNoTracking().OrderBy(b => b.Id).ToListAsync(ct))
        {
            var prefix = b.Code[..2].ToLowerInvariant() + ".";
            DemoPerson Login(string name) => people.Values.Single(p => p.Username == prefix + name);
            var own = teams.Where(t => t.BranchId == b.Id).ToList();
            branches.Add(new DemoBranch(
                b.Id, b.Code, DateTimeZoneProviders.Tzdb[b.TimeZone], b.Code == "LN01",
                own.Single(t => t.NameEn == "Counter Service").Id, own.Single(t => t.NameEn == "Back Office").Id, own.Single(t => t.NameEn == "Complaints").Id,
                Login("manager"), Login("lead"), [Login("agent1"), Login("agent2")], Login("backoffice"),
                people.Values.FirstOrDefault(p => p.Role == StaffRole.Compliance && p.BranchId == b.Id),
                [.. customers.Where(c => c.HomeBranchId == b.Id).Select(c => c.Id)]));
        }

        return new DemoWorld(branches, people.Values.Single(p => p.Username == "admin"), people, products);
    }
}

/// <summary>
/// Every call the demo history makes into the app's services, in one place: each runs as a signed-in demo person
/// (their principal as a real sign-in would load it), in the demo scope, and forgets the tracked rows afterwards.
/// A refused step (the app said no) is logged and answered with false or null; the story then leaves that case.
/// </summary>
internal sealed class DemoActions(DemoScope scope, IHttpContextAccessor http, ILogger logger, CancellationToken ct)
{
    private readonly Dictionary<long, ClaimsPrincipal> principals = [];

    public int Created { get; private set; }

    public int Refused { get; private set; }

    /// <summary>
    /// Team settings of the story: Beijing and London assign round-robin, Shenzhen least-loaded; Shanghai and
    /// Hangzhou assign by hand (the lead's queue fills, agents pick). Everyone who works cases goes on duty.
    /// </summary>
    public async Task ConfigureTeamsAsync(DemoWorld world)
    {
        CaseKind[] front = [CaseKind.Consultation, CaseKind.Suggestion, CaseKind.Praise];
        foreach (var b in world.Branches)
        {
            var (counterMode, counterKinds, backMode, complaintsTeam) = b.Code switch
            {
                "BJ01" => (AssignmentMode.RoundRobin, front.Append(CaseKind.Complaint).ToArray(), AssignmentMode.RoundRobin, false),
                "SZ01" => (AssignmentMode.LeastLoaded, front.Append(CaseKind.Complaint).ToArray(), AssignmentMode.Manual, false),
                "LN01" => (AssignmentMode.RoundRobin, front.Append(CaseKind.Complaint).ToArray(), AssignmentMode.RoundRobin, false),
                _ => (AssignmentMode.Manual, front, AssignmentMode.Manual, true),
            };
            await TeamSettingsAsync(world.Admin, b.Counter, counterMode, counterKinds);
            await TeamSettingsAsync(world.Admin, b.BackOffice, backMode, [CaseKind.BusinessHandling]);
            if (complaintsTeam)
            {
                await TeamSettingsAsync(world.Admin, b.Complaints, AssignmentMode.Manual, [CaseKind.Complaint]);
            }

            foreach (var person in b.Agents.Append(b.Lead).Append(b.BackOfficer))
            {
                await AsAsync(person, sp => sp.GetRequiredService<TeamQueues>().SetDutyAsync(true, ct));
            }
        }
    }

    private async Task TeamSettingsAsync(DemoPerson admin, long teamId, AssignmentMode mode, CaseKind[] kinds) =>
        Check(await AsAsync(admin, sp => sp.GetRequiredService<TeamQueues>().SaveTeamSettingsAsync(teamId, new CaseTeamSettingsRequest(mode, kinds, 0), ct)), "team settings");

    /// <summary>Creates a case as <paramref name="person"/>; returns its id and assignee.</summary>
    public async Task<(long Id, long? AssigneeId)?> CreateAsync(DemoPerson person, CaseCreateRequest request)
    {
        var created = await AsAsync(person, sp => sp.GetRequiredService<CaseService>().CreateAsync(request, ct));
        if (!Check(created, "create"))
        {
            return null;
        }

        Created++;
        return (created.Value!.Id, created.Value.AssigneeId);
    }

    /// <summary>A customer's request through the public web form.</summary>
    public async Task<(long Id, long? AssigneeId)?> CreatePublicAsync(PublicCaseRequest request)
    {
        var receipt = await AsAsync(null, sp => sp.GetRequiredService<PublicCaseService>().CreateAsync(request, ct));
        if (!Check(receipt, "public create"))
        {
            return null;
        }

        Created++;
        var reference = receipt.Value!.Reference;
        var row = await scope.Db.Set<Case>().AsNoTracking().Where(c => c.Reference == reference).Select(c => new { c.Id, c.AssigneeId }).SingleAsync(ct);
        return (row.Id, row.AssigneeId);
    }

    public async Task<bool> TransitionAsync(DemoPerson person, long id, CaseAction action, string? reason = null, CaseCancelReason? cancel = null)
    {
        var version = await VersionAsync(id);
        return Check(await AsAsync(person, sp => sp.GetRequiredService<CaseService>().TransitionAsync(id, new CaseTransitionRequest(action, reason, version, cancel), ct)), action.ToString());
    }

    public async Task<bool> MessageAsync(DemoPerson person, long id, MessageVisibility visibility, string body) =>
        Check(await AsAsync(person, sp => sp.GetRequiredService<CaseService>().AddMessageAsync(id, visibility, new CaseMessageRequest(body), ct)), "message");

    public async Task<bool> PickAsync(DemoPerson person, long id) =>
        Check(await AsAsync(person, sp => sp.GetRequiredService<CaseService>().PickAsync(id, ct)), "pick");

    public async Task<bool> AssignAsync(DemoPerson lead, long id, long? teamId, long staffId, string? reason)
    {
        var version = await VersionAsync(id);
        return Check(await AsAsync(lead, sp => sp.GetRequiredService<CaseService>().AssignAsync(id, new CaseAssignRequest(teamId, staffId, reason, version), ct)), "assign");
    }

    public async Task<bool> ReclassifyAsync(DemoPerson person, long id, CaseKind kind, string reason)
    {
        var version = await VersionAsync(id);
        return Check(await AsAsync(person, sp => sp.GetRequiredService<CaseService>().ReclassifyAsync(id, new CaseReclassifyRequest(kind, reason, version), ct)), "reclassify");
    }

    public async Task<bool> PriorityAsync(DemoPerson lead, long id, CasePriority priority, string reason)
    {
        var version = await VersionAsync(id);
        return Check(await AsAsync(lead, sp => sp.GetRequiredService<CaseService>().OverridePriorityAsync(id, new CasePriorityRequest(priority, reason, version), ct)), "priority");
    }

    public async Task<bool> LinkAsync(DemoPerson person, long id, long other) =>
        Check(await AsAsync(person, sp => sp.GetRequiredService<CaseService>().LinkAsync(id, new CaseLinkRequest(other), ct)), "link");

    public async Task<bool> MergeAsync(DemoPerson person, long duplicate, long into, string reason)
    {
        var version = await VersionAsync(duplicate);
        return Check(await AsAsync(person, sp => sp.GetRequiredService<CaseService>().MergeAsync(duplicate, new CaseMergeRequest(into, reason, version), ct)), "merge");
    }

    /// <summary>Asks for a longer resolution target on <paramref name="layer"/>; returns the request's id.</summary>
    public async Task<long?> RequestExtensionAsync(DemoPerson person, long id, SlaLayer layer, int add, string reason)
    {
        var asked = await AsAsync(person, sp => sp.GetRequiredService<CaseSlaService>()
            .RequestExtensionAsync(id, new SlaExtensionRequest(SlaTargetType.Resolution, layer, null, add, reason), ct));
        return Check(asked, "extension") ? asked.Value!.Id : null;
    }

    public async Task<bool> DecideExtensionAsync(DemoPerson decider, long id, long extensionId, bool approve, string note) =>
        Check(await AsAsync(decider, sp => sp.GetRequiredService<CaseSlaService>().DecideAsync(id, extensionId, approve, new SlaDecisionRequest(note, null), ct)), "decide");

    /// <summary>The SLA sweep at the clock's current instant: warnings, breaches and escalations due by then.</summary>
    public async Task SweepAsync() => await AsAsync(null, async sp => await sp.GetRequiredService<SlaSweeper>().RunAsync(ct));

    private Task<int> VersionAsync(long id) => scope.Db.Set<Case>().AsNoTracking().Where(c => c.Id == id).Select(c => c.Version).SingleAsync(ct);

    private bool Check<T>(Platform.Problems.Outcome<T> outcome, string what)
    {
        if (outcome.Succeeded)
        {
            return true;
        }

        Refused++;
        logger.LogDebug("Demo history: {What} refused: {Code} {Detail}", what, outcome.Error!.Code, outcome.Error.Detail);
        return false;
    }

    /// <summary>Runs <paramref name="work"/> signed in as <paramref name="person"/> (null: nobody, as the public form and the sweep run).</summary>
    private async Task<T> AsAsync<T>(DemoPerson? person, Func<IServiceProvider, Task<T>> work)
    {
        var principal = person is null ? new ClaimsPrincipal(new ClaimsIdentity()) : await PrincipalAsync(person);
        using var actor = HttpAuditActorAccessor.Use(person is null ? AuditActor.System : new AuditActor(person.Id, person.Username));
        http.HttpContext = person is null ? null : new DefaultHttpContext { User = principal, RequestServices = scope };
        try
        {
            return await work(scope);
        }
        finally
        {
            http.HttpContext = null;
            scope.Db.ChangeTracker.Clear();
        }
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(DemoPerson person)
    {
        if (!principals.TryGetValue(person.Id, out var principal))
        {
            var identity = new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.NameIdentifier, person.Id.ToString(CultureInfo.InvariantCulture)),
                    new Claim(ClaimTypes.Name, person.Username),
                    new Claim(SignInService.StampClaim, person.Stamp),
                ], "demo", ClaimTypes.Name, ClaimTypes.Role);
            var transformation = ActivatorUtilities.CreateInstance<StaffClaimsTransformation>(scope);
            principals[person.Id] = principal = await transformation.TransformAsync(new ClaimsPrincipal(identity));
        }

        return principal;
    }
}
