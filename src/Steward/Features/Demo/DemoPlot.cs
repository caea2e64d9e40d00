using System.Globalization;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Sla;

namespace Steward.Features.Demo;

/// <summary>
/// Writes the demo history's plot: for each case, when it arrives, through which channel, what it is about and how
/// far it has got by now, as a list of dated steps; then plays every step of every case in time order. All chance
/// is drawn while planning (one seeded <see cref="Random"/>); playing only follows the plan. Staff act in their
/// branch's working hours (Monday to Friday, 09:00–17:30 local); customers write through the online channels at any
/// hour from 07:00 to 23:00. A step that would fall after now does not happen, so young cases stay open.
/// <para>
/// Longer than 400 lines on purpose: it is one story (every stage a case can reach, with the chances that pick it), read
/// top to bottom; cut into files, the stages would lose the order that makes them readable. The acts themselves are in
/// <see cref="DemoActions"/>.
/// </para>
/// </summary>
internal sealed class DemoPlot(DemoWorld world, DemoActions actions, DateTimeOffset end, Random random)
{
    private readonly List<(DateTimeOffset At, long Order, Func<Task> Run)> steps = [];
    private long order;

    /// <summary>How far a case has got by now.</summary>
    private enum Stage { New, Assigned, Review, Working, WaitingCustomer, WaitingThirdParty, Resolved, FollowUp, Closed, Reopened, Cancelled }

    /// <summary>A case while the story plays: its id once created and the person working it.</summary>
    private sealed class Track
    {
        public long? Id { get; set; }

        public DemoPerson? Handler { get; set; }

        public bool Stopped { get; set; }

        public bool Live => Id is not null && !Stopped;
    }

    /// <summary>How often the SLA sweep runs in the story (the app sweeps every 30 seconds; twice a day records every breach on its day).</summary>
    private const int SweepHours = 12;

    private static readonly double[] BranchShare = [0.3, 0.22, 0.18, 0.15, 0.15];

    public void Plan(int caseCount)
    {
        var start = end.AddDays(-DemoHistory.Days);
        for (var b = 0; b < world.Branches.Count; b++)
        {
            var branch = world.Branches[b];
            var count = (int)Math.Round(caseCount * BranchShare[Math.Min(b, BranchShare.Length - 1)]);
            for (var i = 0; i < count; i++)
            {
                // Busier towards now (the last fortnight holds about a quarter of the cases), weekdays far busier than weekends.
                var day = (int)Math.Floor(DemoHistory.Days * Math.Pow(random.NextDouble(), 0.85));
                var date = Local(start, branch.Zone).Date.PlusDays(day);
                if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday && random.NextDouble() < 0.7)
                {
                    date = date.PlusDays(date.DayOfWeek == IsoDayOfWeek.Saturday ? 2 : 1);
                }

                PlanCase(branch, date);
            }

            // Always something at risk right now: feedback answered within 24 calendar hours, received 21 hours ago.
            PlanCase(branch, null, arrival: end.AddHours(-21).AddMinutes(-random.Next(0, 40)), kind: CaseKind.Suggestion, stage: Stage.Assigned);
        }
    }

    public async Task PlayAsync(DemoClock clock, CancellationToken ct)
    {
        var nextSweep = clock.GetUtcNow().AddHours(SweepHours);
        foreach (var (at, _, run) in steps.OrderBy(s => s.At).ThenBy(s => s.Order))
        {
            ct.ThrowIfCancellationRequested();
            while (nextSweep < at)
            {
                clock.MoveTo(nextSweep);
                await actions.SweepAsync();
                nextSweep = nextSweep.AddHours(SweepHours);
            }

            clock.MoveTo(at);
            await run();
        }
    }

    private void PlanCase(DemoBranch b, LocalDate? date, DateTimeOffset? arrival = null, CaseKind? kind = null, Stage? stage = null)
    {
        var stories = b.English ? DemoStories.English : DemoStories.Chinese;
        var chosenKind = kind ?? Pick((CaseKind.Consultation, 34), (CaseKind.BusinessHandling, 24), (CaseKind.Complaint, 27), (CaseKind.Suggestion, 8), (CaseKind.Praise, 7));
        var candidates = stories.Where(s => s.Kind == chosenKind).ToArray();
        var story = candidates[random.Next(candidates.Length)];
        var channel = chosenKind == CaseKind.BusinessHandling
            ? Pick((CaseChannel.Counter, 60), (CaseChannel.Phone, 15), (CaseChannel.MobileApp, 15), (CaseChannel.Letter, 5), (CaseChannel.Email, 5))
            : Pick((CaseChannel.Counter, 26), (CaseChannel.Phone, 24), (CaseChannel.MobileApp, 14), (CaseChannel.OnlineChat, 11), (CaseChannel.WebForm, 12), (CaseChannel.Email, 9), (CaseChannel.Letter, 4));
        if (arrival is not null)
        {
            channel = CaseChannel.MobileApp;
        }

        var online = channel is CaseChannel.MobileApp or CaseChannel.OnlineChat or CaseChannel.WebForm or CaseChannel.Email;
        var at = arrival ?? (online
            ? Instant(b, date!.Value.At(new LocalTime(7, 0)).PlusMinutes(random.Next(0, 16 * 60)))
            : Working(b, Instant(b, date!.Value.At(new LocalTime(9, 0)).PlusMinutes(random.Next(0, 8 * 60 + 15)))));
        if (at >= end.AddMinutes(-5))
        {
            return;
        }

        var slots = Slots(b, at);
        var subject = Fill(Choose(story.Subjects), slots);
        var description = Fill(Choose(story.Descriptions), slots);
        var customer = b.Customers.Length > 0 && channel != CaseChannel.WebForm && random.NextDouble() < 0.8 ? b.Customers[random.Next(b.Customers.Length)] : (long?)null;
        var contact = customer is null ? Contact(b) : null;
        var product = story.ProductCode is { } code && world.Products.TryGetValue(code, out var p) ? p : (long?)null;
        var creator = channel == CaseChannel.Counter && chosenKind == CaseKind.BusinessHandling && random.NextDouble() < 0.3 ? b.BackOfficer : Choose(b.Agents);
        var selfAssign = channel == CaseChannel.Counter && random.NextDouble() < 0.6;
        var track = new Track();

        var age = end - at;
        var finalStage = stage ?? ChooseStage(age, chosenKind);
        var request = new CaseCreateRequest(chosenKind, channel, subject, description, b.Id, customer, contact, product,
            AssigneeId: selfAssign ? creator.Id : null, Tags: Tags(story, chosenKind));
        Add(at, async () =>
        {
            var created = channel == CaseChannel.WebForm
                ? await actions.CreatePublicAsync(new PublicCaseRequest(b.Id, chosenKind, subject, description, contact!.Name, contact.Phone, contact.Email, product))
                : await actions.CreateAsync(creator, request);
            track.Id = created?.Id;
            track.Handler = created?.AssigneeId is { } assignee ? world.People[assignee] : null;
        });

        if (finalStage == Stage.New)
        {
            return;
        }

        // Working time from here on: every step is a little after the one before, within the branch's hours.
        var t = at;
        DateTimeOffset Next(int minMinutes, int maxMinutes) => t = Working(b, t.AddMinutes(random.Next(minMinutes, maxMinutes + 1)));
        var lead = b.Lead;

        // Into someone's hands: picked from the queue, or handed out by the lead (complaints: sometimes kept by the lead).
        // Compliance and the manager are not assignees (only agents, back office and team leads are: ICaseAssignmentPolicy).
        var escalate = chosenKind == CaseKind.Complaint ? random.NextDouble() : 1;
        var handOut = escalate < 0.22 ? lead : null;
        var worker = chosenKind == CaseKind.BusinessHandling && random.NextDouble() < 0.55 ? b.BackOfficer : Choose(b.Agents);
        var byLead = handOut is not null || random.NextDouble() < 0.4;
        Step(Next(5, 90), track, async () =>
        {
            if (track.Handler is not null)
            {
                return;
            }

            var who = handOut ?? worker;
            var ok = byLead ? await actions.AssignAsync(lead, track.Id!.Value, null, who.Id, null) : await actions.PickAsync(who, track.Id!.Value);
            track.Handler = ok ? who : null;
            track.Stopped = !ok;
        }, needsHandler: false);

        if (finalStage == Stage.Assigned)
        {
            return;
        }

        if (finalStage == Stage.Cancelled)
        {
            var withdrawn = random.NextDouble() < 0.7;
            Step(Next(30, 60 * 24), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Cancel,
                withdrawn ? null : Text(b, "客户已通过其他渠道自行办理，无需继续处理。", "The customer has sorted this out through another channel."),
                withdrawn ? CaseCancelReason.Withdrawn : CaseCancelReason.Other));
            return;
        }

        var lateAnswer = random.NextDouble() < 0.12;
        Step(Next(10, 150), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Review));
        if (chosenKind == CaseKind.Consultation && random.NextDouble() < 0.05)
        {
            Step(Next(5, 30), track, () => actions.ReclassifyAsync(track.Handler!, track.Id!.Value, CaseKind.Complaint,
                Text(b, "客户明确表示对处理结果不满并要求正式投诉。", "The customer asked for this to be treated as a formal complaint.")));
        }

        if (random.NextDouble() < 0.04)
        {
            Step(Next(5, 60), track, () => actions.PriorityAsync(lead, track.Id!.Value, CasePriority.Urgent,
                Text(b, "客户为高龄独居老人，需优先处理。", "Vulnerable customer; handle first.")));
        }

        if (story.Replies.Length > 0)
        {
            Step(lateAnswer ? Next(60 * 26, 60 * 40) : Next(5, 90), track, () => actions.MessageAsync(track.Handler!, track.Id!.Value, MessageVisibility.Public, Fill(story.Replies[0], slots)));
        }

        if (finalStage == Stage.Review)
        {
            return;
        }

        Step(Next(15, 60 * 6), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Start));
        if (story.Notes.Length > 0)
        {
            Step(Next(10, 120), track, () => actions.MessageAsync(track.Handler!, track.Id!.Value, MessageVisibility.Internal, Fill(Choose(story.Notes), slots)));
        }

        // A few cases change hands: leave, workload, or a specialist needed.
        if (random.NextDouble() < 0.08 && handOut is null)
        {
            var colleague = b.Agents.FirstOrDefault(a => a.Id != worker.Id) ?? b.Lead;
            var reason = Text(b, Choose(["经办人休假，改派同组同事跟进。", "经办人工作量较大，调整分配。", "需熟悉该业务的同事处理，改派。"]), "Reassigned: the handler is on leave this week.");
            Step(Next(60, 60 * 24), track, async () =>
            {
                if (await actions.AssignAsync(lead, track.Id!.Value, null, colleague.Id, reason))
                {
                    track.Handler = colleague;
                }
            });
        }

        if (finalStage == Stage.Working)
        {
            return;
        }

        var complaint = chosenKind == CaseKind.Complaint;
        var waits = finalStage == Stage.WaitingCustomer || (finalStage is not Stage.WaitingThirdParty && random.NextDouble() < 0.25);
        if (waits)
        {
            Step(Next(30, 60 * 8), track, () => actions.MessageAsync(track.Handler!, track.Id!.Value, MessageVisibility.Public,
                Text(b, "您好，为便于尽快处理，请您补充提供相关交易凭证或截图，并告知方便联系的时间。", "To move this forward, please send us any receipts or screenshots you have.")));
            Step(Next(1, 10), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.WaitOnCustomer));
            if (finalStage == Stage.WaitingCustomer)
            {
                return;
            }

            Step(Next(60 * 4, 60 * 24 * 3), track, () => actions.MessageAsync(track.Handler!, track.Id!.Value, MessageVisibility.Internal,
                story.CustomerAdds.Length > 0 ? Fill(Choose(story.CustomerAdds), slots) : Text(b, "客户已补充材料。", "The customer has sent the documents.")));
            Step(Next(1, 20), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Resume));
        }

        if (finalStage == Stage.WaitingThirdParty)
        {
            Step(Next(30, 60 * 8), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.WaitOnThirdParty,
                Text(b, "已提交清算中心/合作机构核查，等待回复。", "Waiting for the other bank's reply.")));
            return;
        }

        // Complaints take days to weeks; some run long enough to need more time, which the lead approves.
        var working = complaint ? random.Next(60 * 8, 60 * 8 * 22) : chosenKind == CaseKind.BusinessHandling ? random.Next(30, 60 * 8 * 3) : random.Next(20, 60 * 8 * 2);
        if (complaint && !b.English && working > 60 * 8 * 10 && random.NextDouble() < 0.6)
        {
            long? extension = null;
            Step(Next(60 * 8 * 8, 60 * 8 * 9), track, async () => extension = await actions.RequestExtensionAsync(track.Handler!, track.Id!.Value, SlaLayer.Regulatory, 15,
                "情况较复杂，需调取双录资料并与相关机构核实，申请将处理期限延长至 30 日，并已告知客户。"));
            var approve = random.NextDouble() < 0.85;
            Step(Next(30, 60 * 5), track, async () =>
            {
                if (extension is { } e)
                {
                    await actions.DecideExtensionAsync(lead, track.Id!.Value, e, approve, approve ? "同意延期，请按期答复客户。" : "材料已齐备，请按原期限处理。");
                }
            });
            working -= 60 * 8 * 9;
        }

        if (story.Replies.Length > 1)
        {
            Step(Next(working / 2, working / 2 + 30), track, () => actions.MessageAsync(track.Handler!, track.Id!.Value, MessageVisibility.Public, Fill(story.Replies[1], slots)));
        }

        Step(Next(working / 2, working / 2 + 60), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Resolve, Fill(Choose(story.Resolutions), slots)));
        if (finalStage == Stage.Resolved)
        {
            return;
        }

        if (complaint || random.NextDouble() < 0.3)
        {
            Step(Next(60 * 4, 60 * 8 * 2), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.FollowUp));
            if (finalStage == Stage.FollowUp)
            {
                return;
            }

            Step(Next(30, 60 * 8 * 2), track, () => actions.MessageAsync(track.Handler!, track.Id!.Value, MessageVisibility.Internal,
                Text(b, Choose(["回访客户，客户对处理结果表示满意。", "电话回访两次未接通，已发送短信。", "回访完成，客户认可处理结果，无其他诉求。"]), "Follow-up call: the customer is satisfied.")));
        }

        Step(Next(30, 60 * 8 * 3), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Close));
        if (finalStage == Stage.Reopened)
        {
            Step(Next(60 * 8, 60 * 8 * 6), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Reopen,
                Text(b, "客户来电反映问题再次出现，重新处理。", "The customer says the problem has come back.")));
            Step(Next(60, 60 * 8 * 2), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Resolve, Fill(Choose(story.Resolutions), slots)));
            Step(Next(60, 60 * 8 * 2), track, () => actions.TransitionAsync(track.Handler!, track.Id!.Value, CaseAction.Close));
        }

        PlanDuplicate(b, at, customer, contact, story, subject, slots, track);
    }

    /// <summary>Sometimes the customer asks again through another channel: the second case is merged into the first, or linked when it differs.</summary>
    private void PlanDuplicate(DemoBranch b, DateTimeOffset first, long? customer, CaseContactInput? contact, DemoStory story, string subject, Dictionary<string, string> slots, Track original)
    {
        var roll = random.NextDouble();
        if (roll > 0.05)
        {
            return;
        }

        var merge = roll < 0.03;
        var at = Working(b, first.AddMinutes(random.Next(60, 60 * 20)));
        if (at >= end.AddMinutes(-5))
        {
            return;
        }

        var agent = Choose(b.Agents);
        var again = new Track();
        var description = Text(b, "客户再次来电反映同一问题：", "The customer called again about the same matter: ") + Fill(Choose(story.Descriptions), slots);
        Add(at, async () =>
        {
            if (original.Id is null)
            {
                return;
            }

            var created = await actions.CreateAsync(agent, new CaseCreateRequest(story.Kind, CaseChannel.Phone, subject, description, b.Id, customer, contact, AssigneeId: agent.Id));
            again.Id = created?.Id;
            again.Handler = agent;
        });
        Step(Working(b, at.AddMinutes(random.Next(10, 120))), again, async () =>
        {
            if (original.Id is not { } into)
            {
                return;
            }

            if (merge)
            {
                await actions.MergeAsync(agent, again.Id!.Value, into, Text(b, "与已受理案件为同一诉求，合并处理。", "Same request as the case already open."));
            }
            else
            {
                await actions.LinkAsync(agent, again.Id!.Value, into);
            }
        });
    }

    private Stage ChooseStage(TimeSpan age, CaseKind kind)
    {
        var hours = age.TotalHours;
        if (hours < 8)
        {
            return Pick((Stage.New, 40), (Stage.Assigned, 30), (Stage.Review, 20), (Stage.Working, 10));
        }

        if (hours < 72)
        {
            return Pick((Stage.New, 3), (Stage.Assigned, 5), (Stage.Review, 12), (Stage.Working, 30), (Stage.WaitingCustomer, 18), (Stage.WaitingThirdParty, 5), (Stage.Resolved, 22), (Stage.Cancelled, 5));
        }

        if (hours < 24 * 10)
        {
            return Pick((Stage.Working, 12), (Stage.WaitingCustomer, 12), (Stage.WaitingThirdParty, 4), (Stage.Resolved, 22), (Stage.FollowUp, 10), (Stage.Closed, 35), (Stage.Cancelled, 5));
        }

        // Older cases are mostly done; a few complaints drag on (breached), a few were reopened.
        return kind == CaseKind.Complaint
            ? Pick((Stage.Working, 8), (Stage.WaitingThirdParty, 3), (Stage.FollowUp, 4), (Stage.Closed, 75), (Stage.Reopened, 4), (Stage.Cancelled, 6))
            : Pick((Stage.Working, 2), (Stage.Closed, 88), (Stage.Reopened, 3), (Stage.Cancelled, 7));
    }

    private void Add(DateTimeOffset at, Func<Task> run) => steps.Add((at, order++, run));

    /// <summary>
    /// A step of a case that happens only before now, once the case exists (and the story did not leave it), and
    /// unless <paramref name="needsHandler"/> is false, once someone works it.
    /// </summary>
    private void Step(DateTimeOffset at, Track track, Func<Task> run, bool needsHandler = true)
    {
        if (at >= end.AddMinutes(-2))
        {
            return;
        }

        Add(at, async () =>
        {
            if (track.Live && (!needsHandler || track.Handler is not null))
            {
                await run();
            }
        });
    }

    private static string[] Tags(DemoStory story, CaseKind kind) => kind switch
    {
        CaseKind.Complaint when story.ProductCode is "FND-MIX" => ["销售适当性"],
        CaseKind.Complaint when story.ProductCode is "CRD-PLAT" => ["盗刷"],
        _ => [],
    };

    private CaseContactInput Contact(DemoBranch b)
    {
        if (b.English)
        {
            string[] first = ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Grace", "Wei", "Priya"];
            string[] last = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Wang", "Khan"];
            return new CaseContactInput($"{Choose(first)} {Choose(last)}", "+44 7" + random.Next(100000000, 999999999).ToString(CultureInfo.InvariantCulture), null);
        }

        string[] surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
        string[] given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "晓东", "雨桐"];
        return new CaseContactInput(Choose(surnames) + Choose(given), "1" + Choose(["3", "5", "8", "9"]) + random.Next(100000000, 999999999).ToString(CultureInfo.InvariantCulture), null);
    }

    private Dictionary<string, string> Slots(DemoBranch b, DateTimeOffset at)
    {
        var local = Local(at.AddDays(-random.Next(0, 4)), b.Zone);
        var amount = random.Next(2, 400) * 100 + (random.NextDouble() < 0.3 ? random.Next(1, 99) : 0);
        return new Dictionary<string, string>
        {
            ["date"] = b.English ? local.Date.ToString("d MMMM", CultureInfo.GetCultureInfo("en-GB")) : $"{local.Month} 月 {local.Day} 日",
            ["amount"] = amount.ToString("N0", CultureInfo.InvariantCulture),
            ["amountEn"] = (amount / 10).ToString("N0", CultureInfo.InvariantCulture),
            ["fee"] = Choose(["3", "5", "10", "12", "20"]),
            ["feeEn"] = Choose(["5", "8", "12", "15", "25"]),
            ["tail"] = random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            ["phoneTail"] = random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            ["merchant"] = Choose(DemoStories.Merchants),
            ["merchantEn"] = Choose(DemoStories.MerchantsEn),
            ["staff"] = Choose(b.Agents).Name,
        };
    }

    private static string Fill(string template, Dictionary<string, string> slots)
    {
        var text = template;
        foreach (var (key, value) in slots)
        {
            text = text.Replace("{" + key + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Text(DemoBranch b, string chinese, string english) => b.English ? english : chinese;

    private T Choose<T>(T[] items) => items[random.Next(items.Length)];

    private T Pick<T>(params (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return choices[^1].Value;
    }

    private static LocalDateTime Local(DateTimeOffset at, DateTimeZone zone) => NodaTime.Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime;

    private static DateTimeOffset Instant(DemoBranch b, LocalDateTime local) => local.InZoneLeniently(b.Zone).ToDateTimeOffset().ToUniversalTime();

    /// <summary>The same instant if it is in working hours (Monday–Friday 09:00–17:30 local), else the next opening plus a few minutes.</summary>
    private DateTimeOffset Working(DemoBranch b, DateTimeOffset at)
    {
        var local = Local(at, b.Zone);
        var opening = new LocalTime(9, 0);
        var closing = new LocalTime(17, 30);
        var date = local.Date;
        if (local.TimeOfDay >= closing)
        {
            date = date.PlusDays(1);
        }
        else if (local.TimeOfDay >= opening && date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
        {
            return at;
        }

        while (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        {
            date = date.PlusDays(1);
        }

        return Instant(b, date.At(opening).PlusMinutes(random.Next(0, 45)));
    }
}
