using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// Everything staff do with cases, in one place for the callers outside the feature (the SLA clocks, the audit browser,
/// the demo history, tests): each member hands over to the class that does it. The caller is the signed-in
/// <see cref="Platform.Identity.CurrentUser"/>: a case outside their scope does not exist for them (<see cref="CaseNotFound"/>).
/// Commands that change a case take the version they were based on and answer <see cref="StaleVersion"/> when it moved
/// on; every change adds a timeline event and tells the <see cref="ICaseLifecycleObserver"/>s before it is saved.
/// Inside the feature, pages and endpoints use the operation classes directly.
/// </summary>
public sealed class CaseService(
    CaseAccess access,
    CaseWriter writer,
    CaseCreation creation,
    CaseLifecycleCommands lifecycle,
    CaseConversation conversation,
    CaseAssignment assignment,
    CaseLinks links,
    CaseQueries queries,
    CasePriorityRules priorityRules)
{
    public Task<CaseViewer> ViewerAsync(CancellationToken ct = default) => access.ViewerAsync(ct);

    public IQueryable<Case> Visible(CaseViewer v, IQueryable<Case>? source = null) => access.Visible(v, source);

    public IReadOnlyList<CaseAction> AllowedActions(Case c, CaseViewer v, DateTimeOffset now) => access.AllowedActions(c, v, now);

    internal static CaseNotFound NotFound() => new();

    internal Task<Error?> WriteChangeAsync(IReadOnlyList<Case> changed, Func<CancellationToken, Task> write, CancellationToken ct, bool checkVersion = true) =>
        writer.WriteChangeAsync(changed, write, ct, checkVersion);

    // ----- create, lifecycle -----

    public Task<Outcome<CaseDetail>> CreateAsync(CaseCreateRequest request, CancellationToken ct = default) => creation.CreateAsync(request, ct);

    internal Task<Outcome<Case>> CreateCoreAsync(CaseCreateRequest r, CaseActor actor, CaseViewer? scope, CancellationToken ct) =>
        creation.CreateCoreAsync(r, actor, scope, ct);

    public Task<Outcome<CaseDetail>> TransitionAsync(long id, CaseTransitionRequest r, CancellationToken ct = default) => lifecycle.TransitionAsync(id, r, ct);

    public Task<Outcome<CaseDetail>> OverridePriorityAsync(long id, CasePriorityRequest r, CancellationToken ct = default) => lifecycle.OverridePriorityAsync(id, r, ct);

    public Task<Outcome<CaseDetail>> ReclassifyAsync(long id, CaseReclassifyRequest r, CancellationToken ct = default) => lifecycle.ReclassifyAsync(id, r, ct);

    // ----- conversation -----

    public Task<Outcome<CaseMessageDto>> AddMessageAsync(long id, MessageVisibility visibility, CaseMessageRequest r, CancellationToken ct = default) =>
        conversation.AddMessageAsync(id, visibility, r, ct);

    public Task<Outcome<CaseAttachmentDto>> AddAttachmentAsync(long id, string? fileName, Stream content, long? declaredLength, CancellationToken ct = default) =>
        conversation.AddAttachmentAsync(id, fileName, content, declaredLength, ct);

    public Task<Outcome<AttachmentContent>> GetAttachmentAsync(long caseId, long attachmentId, CancellationToken ct = default) =>
        conversation.GetAttachmentAsync(caseId, attachmentId, ct);

    // ----- assignment, links and merge -----

    public Task<Outcome<CaseDetail>> PickAsync(long id, CancellationToken ct = default) => assignment.PickAsync(id, ct);

    public Task<Outcome<CaseDetail>> PickAndStartAsync(long id, CancellationToken ct = default) => assignment.PickAndStartAsync(id, lifecycle, ct);

    public Task<Outcome<CaseDetail>> AssignAsync(long id, CaseAssignRequest r, CancellationToken ct = default) => assignment.AssignAsync(id, r, ct);

    public Task<Outcome<CaseDetail>> ReleaseAsync(long id, CaseReleaseRequest r, CancellationToken ct = default) => assignment.ReleaseAsync(id, r, ct);

    public Task<Outcome<CaseDetail>> LinkAsync(long id, CaseLinkRequest r, CancellationToken ct = default) => links.LinkAsync(id, r, ct);

    public Task<Outcome<CaseDetail>> MergeAsync(long id, CaseMergeRequest r, CancellationToken ct = default) => links.MergeAsync(id, r, ct);

    // ----- queries -----

    public Task<Outcome<CaseDetail>> GetAsync(long id, CancellationToken ct = default) => queries.GetAsync(id, ct);

    public Task<Outcome<CaseDetail>> GetByReferenceAsync(string reference, CancellationToken ct = default) => queries.GetByReferenceAsync(reference, ct);

    public Task<Outcome<CasePage>> ListAsync(CaseListQuery query, CancellationToken ct = default) => queries.ListAsync(query, ct);

    public Task<Outcome<CaseCount>> CountAsync(CaseListQuery query, CancellationToken ct = default) => queries.CountAsync(query, ct);

    public Task<Outcome<CaseContactDetails>> ContactAsync(long id, string purpose, CancellationToken ct = default) => queries.ContactAsync(id, purpose, ct);

    // ----- priority rules (team queues and duty: Features/Routing/TeamQueues) -----

    public Task<IReadOnlyList<PriorityRuleDto>> PriorityRulesAsync(CancellationToken ct = default) => priorityRules.PriorityRulesAsync(ct);

    public Task<Outcome<IReadOnlyList<PriorityRuleDto>>> ReplacePriorityRulesAsync(IReadOnlyList<PriorityRuleDto> rules, CancellationToken ct = default) =>
        priorityRules.ReplacePriorityRulesAsync(rules, ct);
}
