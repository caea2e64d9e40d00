using System.Globalization;
using Npgsql;

namespace Steward.Bench.Data;

/// <summary>
/// The seeded case data set: which branch, team, assignee, customer, kind, channel, priority,
/// status, deadline, text, timeline and replies case number <c>index</c> (0 … count-1) has. Every
/// table's row writer asks this class, so the tables agree with each other however the rows are
/// split over COPY streams. Per case there are three independent random streams (attributes, text,
/// replies) seeded by (seed, stream, index), so a writer that needs only the attributes does not pay
/// for the texts.
/// <para>Time: cases are spread evenly over the 365 days before <see cref="Anchor"/> (the start of the
/// load, to the minute) in id order, as an identity column would number them. The share still open
/// depends on age (70 % of the last 30 days, 8 % of the 150 before, 1 % of older ones: about 10 % of
/// all); open cases have a deadline (<c>due_at</c>) of which about 6 % have passed, 5 % fall in the
/// next 4 hours and the rest up to 20 days ahead. Closed and cancelled cases have none. The same seed
/// and count give the same data relative to the anchor.</para>
/// </summary>
public sealed class CaseUniverse
{
    public const int EventStride = 16;
    public const int MessageStride = 8;
    private static readonly TimeSpan Span = TimeSpan.FromDays(365);
    private static readonly string[] Kinds = ["Consultation", "BusinessHandling", "Complaint", "Suggestion", "Praise"];
    private static readonly double[] KindWeights = [0.40, 0.30, 0.20, 0.07, 0.03];
    private static readonly string[] Channels = ["Counter", "Phone", "Email", "WebForm", "MobileApp", "OnlineChat", "Letter"];
    private static readonly double[] ChannelWeights = [0.25, 0.30, 0.08, 0.10, 0.15, 0.10, 0.02];
    private static readonly string[] Priorities = ["Low", "Normal", "High", "Urgent"];
    private static readonly double[] PriorityWeights = [0.10, 0.60, 0.22, 0.08];
    private static readonly double[] BranchWeights = [0.30, 0.25, 0.20, 0.15, 0.10]; // SH, BJ, SZ, HZ, LN (demo order)
    private static readonly string[] ZhNotes = ["已电话联系客户，等待客户补充材料。", "已转后台核实交易流水。", "客户情绪平稳，已告知处理时限。", "需协调第三方机构确认。"];
    private static readonly string[] EnNotes = ["Called the customer; waiting for documents.", "Passed to back office to check the transactions.", "Customer informed of the expected timeline.", "Waiting for the third party to confirm."];

    private readonly int seed;
    private readonly ulong seedHash;
    private int[] numbers = [];
    private TimeZoneInfo[] zones = [];

    public CaseUniverse(int seed, long count, DateTimeOffset anchor)
    {
        this.seed = seed;
        Count = count;
        Anchor = new DateTimeOffset(anchor.UtcTicks - (anchor.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        seedHash = SplitMix((ulong)(uint)seed ^ 0x5DEECE66DUL);
    }

    public long Count { get; }

    public DateTimeOffset Anchor { get; }

    public IReadOnlyList<BranchInfo> Branches { get; private set; } = [];

    public long[] CustomerIds { get; private set; } = [];

    public long[] ProductIds { get; private set; } = [];

    /// <summary>First ids minus one: case <c>i</c> has id <c>CaseIdBase + i + 1</c>.</summary>
    public long CaseIdBase { get; private set; }

    public long EventIdBase { get; private set; }

    public long MessageIdBase { get; private set; }

    /// <summary>The highest reference number per day (yyyyMMdd) after the load, for <c>case_reference_counters</c>.</summary>
    public IReadOnlyDictionary<string, long> Counters { get; private set; } = new Dictionary<string, long>();

    public sealed record StaffInfo(long Id, string Name);

    public sealed record BranchInfo(long Id, string Code, string Zone, long CounterTeam, long BackOfficeTeam, long ComplaintsTeam,
        StaffInfo Agent1, StaffInfo Agent2, StaffInfo Lead, StaffInfo BackOffice);

    /// <summary>Reads the demo institution (branches, teams, staff), customers and products, the first free ids and the reference counters; numbers the references.</summary>
    public async Task PrepareAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var teams = new Dictionary<(long Branch, string Name), long>();
        await using (var command = new NpgsqlCommand("SELECT id, branch_id, name_en FROM teams", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                teams[(reader.GetInt64(1), reader.GetString(2))] = reader.GetInt64(0);
            }
        }

        var staff = new Dictionary<string, StaffInfo>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT id, username, display_name FROM staff", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                staff[reader.GetString(1)] = new StaffInfo(reader.GetInt64(0), reader.GetString(2));
            }
        }

        var branches = new List<BranchInfo>();
        await using (var command = new NpgsqlCommand("SELECT id, code, time_zone FROM branches ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                var code = reader.GetString(1);
                var p = code[..2].ToLowerInvariant();
                branches.Add(new BranchInfo(id, code, reader.GetString(2), teams[(id, "Counter Service")], teams[(id, "Back Office")], teams[(id, "Complaints")],
                    staff[p + ".agent1"], staff[p + ".agent2"], staff[p + ".lead"], staff[p + ".backoffice"]));
            }
        }

        if (branches.Count != BranchWeights.Length)
        {
            throw new InvalidOperationException($"The case generator expects the demo institution's {BranchWeights.Length} branches, found {branches.Count}.");
        }

        Branches = branches;
        zones = [.. branches.Select(b => TimeZoneInfo.FindSystemTimeZoneById(b.Zone))];
        CustomerIds = await IdsAsync(connection, "SELECT id FROM customers ORDER BY id", ct);
        ProductIds = await IdsAsync(connection, "SELECT id FROM products ORDER BY id", ct);
        if (CustomerIds.Length == 0)
        {
            throw new InvalidOperationException("No customers: the case generator needs the demo customers.");
        }

        CaseIdBase = await ScalarAsync(connection, "SELECT COALESCE(MAX(id), 0) FROM cases", ct);
        EventIdBase = await ScalarAsync(connection, "SELECT COALESCE(MAX(id), 0) FROM case_events", ct);
        MessageIdBase = await ScalarAsync(connection, "SELECT COALESCE(MAX(id), 0) FROM case_messages", ct);
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT day, last_value FROM case_reference_counters", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                counters[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        NumberReferences(counters);
    }

    /// <summary>For tests: a universe over fixed reference data, without a database.</summary>
    internal void UseReferenceData(IReadOnlyList<BranchInfo> branches, long[] customers, long[] products)
    {
        Branches = branches;
        zones = [.. branches.Select(b => TimeZoneInfo.FindSystemTimeZoneById(b.Zone))];
        CustomerIds = customers;
        ProductIds = products;
        NumberReferences(new Dictionary<string, long>(StringComparer.Ordinal));
    }

    /// <summary>
    /// SV-yyyyMMdd-NNNNNN as Steward numbers them: the day in the branch's zone, the day's counter.
    /// Cases are in creation order, so numbering them in index order continues each day's counter.
    /// </summary>
    private void NumberReferences(Dictionary<string, long> counters)
    {
        numbers = new int[Count];
        for (long i = 0; i < Count; i++)
        {
            var day = Day(i);
            var next = counters.GetValueOrDefault(day) + 1;
            counters[day] = next;
            numbers[i] = checked((int)next);
        }

        Counters = counters;
    }

    public string Reference(long index) => $"SV-{Day(index)}-{numbers[index].ToString("D6", CultureInfo.InvariantCulture)}";

    private string Day(long index)
    {
        var branch = BranchIndex(index);
        var created = CreatedAt(index);
        return TimeZoneInfo.ConvertTime(created, zones[branch]).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    /// <summary>The branch (index into <see cref="Branches"/>), from a cheap hash: the reference pass needs it for every case.</summary>
    public int BranchIndex(long index) => Weighted(Unit(index, 1), BranchWeights);

    /// <summary>Creation times increase with the index (ids follow creation order), jittered within each slot.</summary>
    public DateTimeOffset CreatedAt(long index)
    {
        var slot = Span.Ticks / (double)Count;
        var ticks = (long)((index + Unit(index, 2)) * slot);
        var t = Anchor.UtcTicks - Span.Ticks + ticks;
        return new DateTimeOffset(t - (t % 10), TimeSpan.Zero);
    }

    /// <summary>Every column of case <paramref name="index"/> except its texts.</summary>
    public CaseSpec Attributes(long index)
    {
        var r = new Random(BulkLoader.StableSeed(seed, "case-attr", index));
        var b = BranchIndex(index);
        var branch = Branches[b];
        var created = CreatedAt(index);
        var ageDays = (Anchor - created).TotalDays;
        var kind = Kinds[Weighted(r.NextDouble(), KindWeights)];
        var channel = Channels[Weighted(r.NextDouble(), ChannelWeights)];
        var priority = Weighted(r.NextDouble(), PriorityWeights);
        if (kind == "Complaint" && priority < 2)
        {
            priority = 2;
        }

        var chinese = branch.Code != "LN01" || r.Next(10) == 0;
        var openShare = ageDays < 30 ? 0.70 : ageDays < 180 ? 0.08 : 0.01;
        string status;
        var x = r.NextDouble();
        if (x < openShare)
        {
            var y = r.NextDouble();
            status = y < 0.15 ? "Submitted" : y < 0.30 ? "UnderReview" : "InProgress";
        }
        else
        {
            var y = r.NextDouble();
            status = ageDays < 14 && y < 0.25 ? "Resolved" : y < 0.02 ? "FollowUp" : y < 0.05 ? "Cancelled" : "Closed";
        }

        var waiting = "None";
        if (status == "InProgress")
        {
            var w = r.NextDouble();
            waiting = w < 0.25 ? "WaitingOnCustomer" : w < 0.35 ? "WaitingOnThirdParty" : "None";
        }

        var team = kind == "Complaint" ? branch.ComplaintsTeam : kind == "BusinessHandling" && r.Next(10) < 4 ? branch.BackOfficeTeam : branch.CounterTeam;
        StaffInfo? assignee;
        var a = r.NextDouble();
        if ((status == "Submitted" && r.Next(2) == 0) || (status == "UnderReview" && r.Next(5) == 0) || (status == "Cancelled" && r.Next(2) == 0))
        {
            assignee = null;
        }
        else if (team == branch.BackOfficeTeam)
        {
            assignee = branch.BackOffice;
        }
        else
        {
            assignee = a < 0.4 ? branch.Agent1 : a < 0.8 ? branch.Agent2 : branch.Lead;
        }

        long? customer = r.Next(100) < 85 ? CustomerIds[r.Next(CustomerIds.Length)] : null;
        string? contactName = null;
        string? phoneCipher = null, phoneIndex = null;
        if (customer is null)
        {
            contactName = chinese ? Names.Chinese(r) : Names.English(r);
            phoneCipher = CustomerRowWriter.Cipher(r, chinese ? 11 : 13);
            phoneIndex = CustomerRowWriter.Index(r);
        }

        long? product = ProductIds.Length > 0 && r.Next(2) == 0 ? ProductIds[r.Next(ProductIds.Length)] : null;
        var t = r.Next(100);
        var tags = t < 8 ? "VIP" : t < 10 ? (chinese ? "媒体关注" : "press") : t < 12 ? (chinese ? "VIP,加急" : "VIP,urgent") : "";

        DateTimeOffset? due = null;
        if (status is "Submitted" or "UnderReview" or "InProgress")
        {
            var d = r.NextDouble();
            var offset = d < 0.06 ? -TimeSpan.FromHours(r.NextDouble() * 240) : d < 0.11 ? TimeSpan.FromMinutes(r.Next(1, 240)) : TimeSpan.FromMinutes(r.Next(240, 20 * 1440));
            var at = Anchor + offset;
            due = Micro(at < created.AddHours(1) ? created.AddHours(1) : at);
        }

        DateTimeOffset? resolved = null, closed = null;
        var end = Micro(created.AddMinutes(30 + r.Next(14 * 1440)));
        if (end > Anchor)
        {
            end = Micro(created + ((Anchor - created) / 2));
        }

        if (status is "Resolved" or "FollowUp" or "Closed")
        {
            resolved = end;
            if (status == "Closed")
            {
                closed = end;
            }
        }

        var cancel = status == "Cancelled" ? (r.Next(10) < 7 ? "Withdrawn" : "Other") : null;
        var creator = channel is "WebForm" or "MobileApp" ? null : (StaffInfo?)(assignee ?? branch.Agent1);
        var updated = status is "Submitted" or "UnderReview" or "InProgress" ? Micro(created + ((Anchor - created) * r.NextDouble())) : end;
        return new CaseSpec(index, CaseIdBase + index + 1, b, branch, chinese, kind, channel, Priorities[priority], status, waiting, team, assignee,
            customer, contactName, phoneCipher, phoneIndex, product, tags, due, resolved, closed, cancel, creator, Micro(created), updated < created ? Micro(created) : updated);
    }

    /// <summary>Subject and description in the case's language.</summary>
    public CaseText Text(CaseSpec spec) =>
        CaseTextGenerator.Case(new Random(BulkLoader.StableSeed(seed, "case-text", spec.Index)), spec.Chinese);

    /// <summary>Replies and notes (without bodies: <see cref="Bodies"/>), oldest first; their number depends on the status.</summary>
    public MessageSpec[] Messages(CaseSpec spec, out Random bodies)
    {
        var r = new Random(BulkLoader.StableSeed(seed, "case-msg", spec.Index));
        bodies = r;
        var replies = spec.Status switch
        {
            "Resolved" or "FollowUp" or "Closed" => 1 + r.Next(2),
            "InProgress" => r.Next(3),
            _ => 0,
        };
        var notes = spec.Status is "InProgress" or "Resolved" or "FollowUp" or "Closed" && r.Next(4) == 0 ? 1 : 0;
        var count = replies + notes;
        var result = new MessageSpec[count];
        var from = spec.CreatedAt;
        var to = spec.ResolvedAt ?? spec.UpdatedAt;
        for (var j = 0; j < count; j++)
        {
            var at = Micro(from + ((to - from) * ((j + 1) / (double)(count + 1))));
            result[j] = new MessageSpec(MessageIdBase + (spec.Index * MessageStride) + j + 1, j == replies ? "Internal" : "Public", at);
        }

        return result;
    }

    /// <summary>The bodies of <paramref name="messages"/>, drawn from the random stream <see cref="Messages"/> returned.</summary>
    public static string[] Bodies(CaseSpec spec, MessageSpec[] messages, Random bodies) =>
        [.. messages.Select(m => m.Visibility == "Public"
            ? CaseTextGenerator.Reply(bodies, spec.Chinese)
            : (spec.Chinese ? ZhNotes : EnNotes)[bodies.Next(ZhNotes.Length)])];

    /// <summary>The timeline: created, assigned, each lifecycle move up to the status, and one event per reply or note.</summary>
    public List<EventSpec> Events(CaseSpec spec, MessageSpec[] messages)
    {
        var events = new List<EventSpec>(8);
        var actorId = spec.Creator?.Id;
        var actorName = spec.Creator?.Name ?? (spec.Chinese ? "客户（公众渠道）" : "Customer (public channel)");
        events.Add(new EventSpec(spec.CreatedAt, actorId, actorName, "Created", null, null, null, null, $"{spec.Kind} · {spec.Channel} · {spec.Priority}"));
        var worker = spec.Assignee ?? spec.Branch.Lead;
        if (spec.Assignee is { } assignee)
        {
            events.Add(new EventSpec(spec.CreatedAt, actorId, actorName, "Assigned", null, null, null, null, $"→ {assignee.Name}"));
        }

        string[] path = spec.Status switch
        {
            "Submitted" => [],
            "UnderReview" => ["Review"],
            "InProgress" => ["Review", "Start"],
            "Resolved" => ["Review", "Start", "Resolve"],
            "FollowUp" => ["Review", "Start", "Resolve", "FollowUp"],
            "Closed" => ["Review", "Start", "Resolve", "Close"],
            "Cancelled" => ["Cancel"],
            _ => [],
        };
        var end = spec.ResolvedAt ?? spec.UpdatedAt;
        var status = "Submitted";
        for (var k = 0; k < path.Length; k++)
        {
            var to = path[k] switch
            {
                "Review" => "UnderReview",
                "Start" => "InProgress",
                "Resolve" => "Resolved",
                "FollowUp" => "FollowUp",
                "Close" => "Closed",
                _ => "Cancelled",
            };
            var at = Micro(spec.CreatedAt + ((end - spec.CreatedAt) * ((k + 1) / (double)(path.Length + 1))));
            if (path[k] is "Close" && spec.ClosedAt is { } closed)
            {
                at = closed;
            }

            events.Add(new EventSpec(at, worker.Id, worker.Name, "Transitioned", path[k], status, to, path[k] == "Cancel" ? (spec.Chinese ? "客户撤回申请" : "Withdrawn by the customer") : null, null));
            status = to;
        }

        foreach (var m in messages)
        {
            events.Add(new EventSpec(m.At, worker.Id, worker.Name, m.Visibility == "Public" ? "ReplyAdded" : "NoteAdded", m.Visibility == "Public" ? "Reply" : "Note", null, null, null, null));
        }

        events.Sort((p, q) => p.At.CompareTo(q.At));
        return events;
    }

    public static DateTimeOffset Micro(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);

    private double Unit(long index, int salt) =>
        (SplitMix(seedHash ^ SplitMix(unchecked(((ulong)index * 0x9E3779B97F4A7C15UL) + (ulong)salt))) >> 11) * (1.0 / (1UL << 53));

    private static ulong SplitMix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static int Weighted(double x, double[] weights)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static async Task<long[]> IdsAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var ids = new List<long>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return [.. ids];
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}

public sealed record CaseSpec(
    long Index, long Id, int BranchIndex, CaseUniverse.BranchInfo Branch, bool Chinese, string Kind, string Channel, string Priority, string Status, string Waiting,
    long TeamId, CaseUniverse.StaffInfo? Assignee, long? CustomerId, string? ContactName, string? PhoneCipher, string? PhoneIndex, long? ProductId, string Tags,
    DateTimeOffset? DueAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, string? CancelReason, CaseUniverse.StaffInfo? Creator,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record MessageSpec(long Id, string Visibility, DateTimeOffset At);

public sealed record EventSpec(DateTimeOffset At, long? ActorId, string ActorName, string Type, string? Action, string? From, string? To, string? Reason, string? Detail);
