using Steward.Platform.Security;
using Steward.Platform.Hosting;
using System.ComponentModel.DataAnnotations;
using Steward.Platform.Api;
using Steward.Platform.Problems;
using Steward.Features.Cases.Public;

namespace Steward.Features.Cases;

/// <summary>Bound from the <c>Cases</c> section.</summary>
public sealed class CaseOptions
{
    public const string Section = "Cases";

    /// <summary>How long after it was resolved (or closed, if later) a case may be reopened.</summary>
    [Range(0, 3650)]
    public int ReopenWindowDays { get; set; } = 30;

    /// <summary>Largest attachment accepted, in bytes (default 10 MB).</summary>
    [Range(1, 200 * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Case counts (<c>/api/v1/cases/count</c>, the workbench's tabs) stop at this number and say so
    /// (<see cref="CaseCount.Capped"/>), so that a count costs at most this many index entries however long the
    /// history grows. 10 000 is more than any person works through in a queue.
    /// </summary>
    [Range(1, 1_000_000)]
    public int CountCap { get; set; } = 10_000;

    /// <summary>
    /// A newest-first search reads the newest this-many case ids first, then 8 times as many before them, and so on,
    /// until its page is full (<c>CaseQueries.NewestMatchesAsync</c>).
    /// </summary>
    [Range(1, 1_000_000_000)]
    public long SearchWindow { get; set; } = 20_000;

    /// <summary>Prefix of case references, <c>SV-yyyyMMdd-NNNNNN</c>.</summary>
    [Required, RegularExpression("^[A-Z]{1,8}$")]
    public string ReferencePrefix { get; set; } = "SV";
}

/// <summary>
/// Lets other features (SLA first) follow the lifecycle of cases. Every method is called inside
/// the unit of work that changes the case, before it is saved: rows an observer adds to the
/// <see cref="Platform.Database.StewardDbContext"/> (and changes it makes to the case, such as
/// <see cref="Case.DueAt"/>) are saved in the same transaction, and an exception undoes the change.
/// </summary>
public interface ICaseLifecycleObserver
{
    /// <summary>
    /// A case was created. Its <see cref="Case.Id"/> and reference are assigned (the row is written,
    /// the transaction still open); status is Submitted. A change the observer makes to the case
    /// (such as <see cref="Case.DueAt"/>) is a second write in the same transaction, so the created
    /// case then starts at version 2: clients always take the version from the response.
    /// </summary>
    Task OnCreatedAsync(Case @case, CancellationToken ct);

    /// <summary>
    /// The case moved: <paramref name="change"/> tells from where to where (status and waiting
    /// sub-state), by which action and when. Waiting on the customer or a third party and resuming
    /// arrive here too (status stays InProgress, the waiting sub-state changes).
    /// </summary>
    Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct);

    /// <summary>Kind or priority changed (reclassification or a priority override); the case holds the new values.</summary>
    Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct);

    /// <summary>
    /// The case went to someone else or back to the queue: picked, assigned, released, or assigned when it was created
    /// (by its creator or automatically). <paramref name="previousAssigneeId"/> had it before (null: nobody); the case
    /// holds the new team and assignee.
    /// </summary>
    Task OnAssignedAsync(Case @case, long? previousAssigneeId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>A public reply to the customer was added at <paramref name="at"/> (internal notes are not replies).</summary>
    Task OnRepliedAsync(Case @case, DateTimeOffset at, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// True when a save of a change to a case was refused because of a row this observer added that another change of
    /// the same case added first (a unique index of the observer's own): the change is then stale (409), not a failure.
    /// </summary>
    bool IsConcurrentChange(Microsoft.EntityFrameworkCore.DbUpdateException error) => false;
}

public sealed record CaseTransition(CaseStatus From, CaseWaiting FromWaiting, CaseStatus To, CaseWaiting ToWaiting, CaseAction Action, DateTimeOffset At);

public static class CasesSetup
{
    /// <summary>
    /// The classes of the case operations (each scoped: they share the request's viewer through <see cref="CaseAccess"/>).
    /// A scope that builds case services itself (the demo history) builds these too.
    /// </summary>
    public static readonly Type[] Operations =
    [
        typeof(CaseAccess), typeof(CaseWriter), typeof(CaseDetails), typeof(CaseReferenceNumbers), typeof(CaseCreation), typeof(CaseLifecycleCommands),
        typeof(CaseConversation), typeof(CaseAssignment), typeof(CaseLinks), typeof(CaseQueries), typeof(CasePriorityRules),
    ];

    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddOptions<CaseOptions>().BindConfiguration(CaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CaseSearchIndex>();
        foreach (var type in Operations)
        {
            services.AddScoped(type);
        }

        services.AddScoped<CaseService>();
        services.AddPersonalDataColumns<Case>(c => c.ContactPhoneCipher, c => c.ContactEmailCipher);
        services.AddScoped<Customers.CustomerDirectory>();
        services.AddScoped<PublicCaseService>();
        services.AddScoped<PublicCaseReplies>();
        // Lifecycle observers (the SLA feature) register themselves: services.AddScoped<ICaseLifecycleObserver, X>();
        // the team queues (Features/Routing) register the ICaseAssignmentPolicy that CaseCreation asks.
        // The customers' pages (Cases/Public, served at /Public: the request form and the status look-up) need no sign-in
        // and have their own rate limit.
        return services.AddPageConventions(c =>
        {
            c.AllowAnonymousToFolder("/Cases/Public");
            c.AddFolderApplicationModelConvention("/Cases/Public", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(Platform.Security.RateLimits.Public)));
        });
    }
}
