using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Clocks;

/// <summary>Extensions of a clock (request, approve or refuse, apply) and the PRC restart on new facts.</summary>
public sealed partial class CaseSlaService
{
    /// <summary>
    /// Asks for a longer target: <c>newAmount</c> (total) or <c>addAmount</c>, never beyond the rule's amount + its
    /// maximum extension. Pending until someone else approves, unless the rule needs no approval.
    /// </summary>
    public async Task<Outcome<SlaExtensionDto>> RequestExtensionAsync(long caseId, SlaExtensionRequest r, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct, tracked: true);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        if (!user.Can(Permission.CasesWork) || user.StaffId is null)
        {
            return new ClockActionForbidden("Only case workers ask for extensions. 只有案件处理人员可以申请延期。");
        }

        var all = await clocks.LoadAsync(c.Id, ct);
        var type = r.TargetType ?? SlaTargetType.Resolution;
        var clock = all.FirstOrDefault(k => k.TargetType == type && k.Layer == (r.Layer ?? SlaLayer.Institution) && k.IsOpen);
        if (clock is null)
        {
            return new InvalidClockRequest("targetType", "The case has no running clock of that target and layer. 该案件没有此目标的计时。");
        }

        var reason = r.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 2000)
        {
            return new InvalidClockRequest("reason", "Give a reason (at most 2000 characters). 请说明原因（最多 2000 字）。");
        }

        var requested = r.NewAmount ?? (r.AddAmount is { } add ? clock.Amount + add : 0);
        if (requested <= clock.Amount)
        {
            return new InvalidClockRequest("newAmount", $"The new target must be longer than the current {clock.Amount}. 新时限须长于当前时限。");
        }

        if (clock.MaxExtension is not { } max)
        {
            return new NotExtendable();
        }

        if (requested > clock.RuleAmount + max)
        {
            return new ExtensionAboveMaximumError(requested, clock.RuleAmount + max, clock.Unit);
        }

        if (await db.Set<SlaExtension>().AnyAsync(e => e.ClockId == clock.Id && e.Status == SlaExtensionStatus.Pending, ct))
        {
            return new ExtensionPending();
        }

        var now = time.GetUtcNow();
        var extension = new SlaExtension
        {
            CaseId = c.Id, ClockId = clock.Id, OldAmount = clock.Amount, NewAmount = requested, Reason = reason, Status = SlaExtensionStatus.Pending,
            RequestedById = user.StaffId, RequestedByName = Name(), RequestedAt = now,
        };
        var failed = await cases.WriteChangeAsync([c], async t =>
        {
            db.Add(extension);
            if (!clock.ExtensionNeedsApproval)
            {
                await ApplyAsync(c, all, clock, extension, now, t);
            }
            else
            {
                var deciders = await DecidersAsync(c, t);
                notifications.Raise(deciders.Where(id => id != user.StaffId), "sla.extension",
                    $"案件 {c.Reference} 申请延期，待审批", $"Case {c.Reference}: extension requested, awaiting approval", "/Cases/" + c.Id.ToString(CultureInfo.InvariantCulture));
            }

            await db.SaveChangesAsync(t);
        }, ct);
        return failed is null ? Dto(extension, clock) : failed;
    }

    /// <summary>Approves (or rejects) a pending extension: team leads, branch managers and compliance, never the requester.</summary>
    public async Task<Outcome<SlaExtensionDto>> DecideAsync(long caseId, long extensionId, bool approve, SlaDecisionRequest r, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct, tracked: true);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        var extension = await db.Set<SlaExtension>().SingleOrDefaultAsync(e => e.Id == extensionId && e.CaseId == c.Id, ct);
        if (extension is null)
        {
            return new ExtensionNotFound();
        }

        if (!user.Roles.Any(role => role is StaffRole.TeamLead or StaffRole.BranchManager or StaffRole.Compliance))
        {
            return new ClockActionForbidden("Team leads, branch managers and compliance decide extensions. 只有组长、网点负责人和合规人员可以审批延期。");
        }

        if (extension.RequestedById == user.StaffId)
        {
            return new ApproverIsRequester();
        }

        if (r.Version is { } v && v != extension.Version)
        {
            return Problems.StaleVersion();
        }

        if (extension.Status != SlaExtensionStatus.Pending)
        {
            return new ExtensionDecided();
        }

        var all = await clocks.LoadAsync(c.Id, ct);
        var clock = all.Single(k => k.Id == extension.ClockId);
        var now = time.GetUtcNow();
        extension.DecidedById = user.StaffId;
        extension.DecidedByName = Name();
        extension.DecidedAt = now;
        extension.DecisionNote = r.Note?.Trim() is { Length: > 0 } note ? (note.Length > 2000 ? note[..2000] : note) : null;
        if (approve)
        {
            if (!clock.IsOpen)
            {
                return new ClockStopped();
            }

            if (clock.MaxExtension is not { } max || extension.NewAmount > clock.RuleAmount + max)
            {
                return new ExtensionAboveMaximumError(extension.NewAmount, clock.RuleAmount + (clock.MaxExtension ?? 0), clock.Unit);
            }

            await ApplyAsync(c, all, clock, extension, now, ct);
        }
        else
        {
            extension.Status = SlaExtensionStatus.Rejected;
        }

        if (extension.RequestedById is { } requester)
        {
            notifications.Raise([requester], "sla.extension",
                $"案件 {c.Reference} 的延期申请已{(approve ? "批准" : "驳回")}", $"Case {c.Reference}: extension {(approve ? "approved" : "rejected")}", "/Cases/" + c.Id.ToString(CultureInfo.InvariantCulture));
        }

        var failed = await cases.WriteChangeAsync([c], t => db.SaveChangesAsync(t), ct);
        return failed is null ? Dto(extension, clock) : failed;
    }

    /// <summary>PRC: new facts and reasons restart the complaint's handling period (default: the regulatory resolution clock).</summary>
    public async Task<Outcome<CaseSlaDto>> RestartAsync(long caseId, SlaRestartRequest r, string language, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct, tracked: true);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        if (!user.Can(Permission.CasesWork))
        {
            return new ClockActionForbidden("Only case workers restart clocks. 只有案件处理人员可以重新计时。");
        }

        var reason = r.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 2000)
        {
            return new InvalidClockRequest("reason", "Say which new facts or reasons were received (at most 2000 characters). 请说明收到的新事实和理由（最多 2000 字）。");
        }

        var all = await clocks.LoadAsync(c.Id, ct);
        var clock = all.FirstOrDefault(k => k.TargetType == (r.TargetType ?? SlaTargetType.Resolution) && k.Layer == (r.Layer ?? SlaLayer.Regulatory) && k.IsOpen);
        if (clock is null)
        {
            return new InvalidClockRequest("targetType", "The case has no running clock of that target and layer. 该案件没有此目标的计时。");
        }

        var now = time.GetUtcNow();
        SlaClockService.ClosePauses(clock, now);
        clocks.Restart(clock, now, reason);
        if (c.Waiting != CaseWaiting.None && SlaPauseReasons.Parse(clock.PauseReasons).Contains(c.Waiting.ToString()))
        {
            clock.Pauses.Add(new SlaClockPause { Cycle = clock.Cycle, FromAt = now, Reason = c.Waiting.ToString() });
            clock.Status = SlaClockStatus.Paused;
        }

        clocks.Finish(c, all, await clocks.CalendarForBranchAsync(c.BranchId, ct));
        var failed = await cases.WriteChangeAsync([c], t => db.SaveChangesAsync(t), ct);
        return failed is null ? await GetAsync(caseId, language, ct) : failed;
    }

    private async Task ApplyAsync(Case c, List<SlaClock> all, SlaClock clock, SlaExtension extension, DateTimeOffset now, CancellationToken ct)
    {
        extension.Status = SlaExtensionStatus.Approved;
        if (extension.DecidedAt is null)
        {
            extension.DecidedById = extension.RequestedById;
            extension.DecidedByName = extension.RequestedByName;
            extension.DecidedAt = now;
        }

        if (extension.Id == 0)
        {
            await db.SaveChangesAsync(ct);
        }

        clock.Changes.Add(new SlaClockChange
        {
            Cycle = clock.Cycle, At = now, Cause = SlaChangeCause.Extension, Amount = extension.NewAmount, Unit = clock.Unit,
            RollForward = clock.RollForward, ExtensionId = extension.Id,
        });
        clock.Amount = extension.NewAmount;
        var calendar = await clocks.CalendarForBranchAsync(c.BranchId, ct);
        clocks.Finish(c, all, calendar);
        if (clock.ExtensionNoticeToCustomer && clock.DueAt is { } due)
        {
            // The customer is told on their timeline (public reply: the public status page shows it).
            var zone = calendar.Calendar.Zone;
            // In the customer's language (stated on their file, else the branch regime's), one language only.
            var language = await Customers.CustomerLanguages.ForAsync(db, c.CustomerId, c.BranchId, ct);
            var dueText = ExplanationText.FormatInstant(Instant.FromDateTimeOffset(due), zone, language);
            var body = language == Platform.Localization.Cultures.English
                ? $"The handling period of your case has been extended to {dueText}. Reason: {extension.Reason}"
                : $"您的案件处理期限已延长至 {dueText}。原因：{extension.Reason}";
            db.Add(new CaseMessage { CaseId = c.Id, Visibility = MessageVisibility.Public, Body = body, AuthorId = user.StaffId, AuthorName = Name(), CreatedAt = now });
            db.Add(new CaseEvent
            {
                CaseId = c.Id, OccurredAt = now, ActorId = user.StaffId, ActorName = Name(), Type = CaseEventType.ReplyAdded, Action = CaseAction.Reply,
                Detail = body.Length > 80 ? body[..80] + "…" : body,
            });
        }
    }

    /// <summary>The engine's steps, preceded by the PRC restart (when and why) so that the explanation says why the clock starts where it does.</summary>

    private async Task<List<long>> DecidersAsync(Case c, CancellationToken ct) =>
        await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && (
                (c.TeamId != null && s.TeamId == c.TeamId && s.Roles.Any(r => r.Role == StaffRole.TeamLead))
                || (s.HomeBranchId == c.BranchId && s.Roles.Any(r => r.Role == StaffRole.BranchManager))))
            .Select(s => s.Id).ToListAsync(ct);

    private string Name() => user.DisplayName.Length > 100 ? user.DisplayName[..100] : user.DisplayName;

    private static SlaExtensionDto Dto(SlaExtension e, SlaClock k) => new(
        e.Id, e.ClockId, k.TargetType, k.Layer, e.OldAmount, e.NewAmount, k.Unit, e.Reason, e.Status, e.RequestedById, e.RequestedByName, e.RequestedAt,
        e.DecidedByName, e.DecidedAt, e.DecisionNote, e.Version);

    /// <summary>The one figure of time left shown for a clock (panel and at-risk list alike).</summary>
}
