using Npgsql;
using NpgsqlTypes;

namespace Steward.Bench.Data;

/// <summary>
/// <c>case_sla_clocks</c> (migration 0005): the SLA clocks Steward would hold for each case of the
/// <see cref="CaseUniverse"/>, with the rules of the demo institution's standard and of the regulatory preset
/// in force, as the database holds them (ids, amounts, warning percentages, pause reasons).
/// <para>Which clocks: per target type except NextResponse (it starts only when a customer answers), the most
/// specific rule of each layer whose kind and priority match the case (rules for a tier or a channel are left
/// out): a consultation gets FirstResponse and Resolution, a complaint FirstResponse, Plan and Resolution of the
/// institution and the regulator's Resolution.</para>
/// <para>State, as if Steward's sweep had run up to the load's anchor: on closed, resolved and follow-up cases
/// every clock is Met (FirstResponse at the first public reply, the rest at resolution); on cancelled cases
/// Cancelled; on open cases FirstResponse is Met once there is a public reply and Plan once work started, the
/// rest run. The earliest running clock is due at the case's <c>due_at</c>, later targets after it by the
/// difference of their (approximate) lengths; a running clock whose deadline passed is Breached. Resolution
/// clocks of cases waiting on the customer or a third party are Paused (no deadline) when the rule pauses for
/// that reason. Warning instants are the rule's percentages of the wall-clock span (Steward measures business
/// time: an approximation that only moves instants, not how many there are). <c>next_alert_at</c> is the first
/// alert instant after the anchor, so the sweep finds what came due since the load, as a sweep every few seconds
/// would. Not loaded: pause rows, target changes and the alert history of the instants before the anchor.</para>
/// </summary>
public sealed class SlaClockRowWriter(CaseUniverse universe) : IMultiRowWriter
{
    /// <summary>Compliance escalation after the breach (<c>Sla:ComplianceEscalationAfterHours</c>, default 24).</summary>
    public static readonly TimeSpan ComplianceAfter = TimeSpan.FromHours(24);

    private static readonly string[] TargetOrder = ["FirstResponse", "Plan", "Resolution"];
    private Rule[] rules = [];
    private long? calendar;

    public string Table => "case_sla_clocks";

    public IReadOnlyList<string> Columns { get; } =
    [
        "id", "case_id", "target_type", "layer", "cycle", "standard_id", "standard_code", "standard_version_id", "standard_version_number",
        "rule_id", "rule_match", "initial_amount", "initial_unit", "initial_roll_forward", "amount", "unit", "roll_forward", "rule_amount",
        "max_extension", "extension_needs_approval", "extension_notice_to_customer", "warning_percent1", "warning_percent2", "pause_reasons",
        "started_at", "due_at", "warning1at", "warning2at", "next_alert_at", "status", "met_at", "breached_at", "cancelled_at", "calendar_id",
        "restart_reason", "restarted_at", "version", "created_at", "updated_at",
    ];

    public string? IdentityColumn => "id";

    public bool Vacuum => true;

    /// <summary>At most this many clocks per case (ids are case index × stride + j).</summary>
    public const int Stride = 6;

    private long idBase;

    public sealed record Rule(
        long StandardId, string StandardCode, string Layer, long VersionId, int VersionNumber, long Id, string? Kind, string? Priority,
        string TargetType, int Amount, string Unit, bool RollForward, int Warning1, int Warning2, string PauseReasons, int? MaxExtension,
        bool ExtensionNeedsApproval, bool ExtensionNotice)
    {
        public string Match => $"{Kind ?? "*"} / {Priority ?? "*"} / * / *";

        /// <summary>Rough wall-clock length, only to order a case's targets (a business hour ≈ 3 wall hours, a business day ≈ 1.4 days).</summary>
        public TimeSpan Approximate => Unit switch
        {
            "BusinessMinutes" => TimeSpan.FromMinutes(Amount * 3),
            "BusinessHours" => TimeSpan.FromHours(Amount * 3),
            "BusinessDays" => TimeSpan.FromDays(Amount * 1.4),
            "CalendarHours" => TimeSpan.FromHours(Amount),
            _ => TimeSpan.FromDays(Amount),
        };
    }

    /// <summary>The rules in force of the institution's standard and of the regulatory preset chosen in <c>sla_settings</c> (no tier- or channel-specific rules, no NextResponse).</summary>
    public static async Task<Rule[]> LoadRulesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var list = new List<Rule>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT s.id, s.code, CASE WHEN s.kind = 'Institution' THEN 'Institution' ELSE 'Regulatory' END, v.id, v.number, r.id, r.case_kind, r.priority,
                   r.target_type, r.amount, r.unit, r.roll_forward, r.warning_percent1, r.warning_percent2, r.pause_reasons, r.max_extension,
                   r.extension_needs_approval, r.extension_notice_to_customer
            FROM sla_rules r JOIN sla_standard_versions v ON v.id = r.standard_version_id JOIN sla_standards s ON s.id = v.standard_id
            WHERE r.customer_tier IS NULL AND r.channel IS NULL AND r.target_type <> 'NextResponse'
              AND v.id = (SELECT w.id FROM sla_standard_versions w WHERE w.standard_id = s.id AND w.effective_from <= now()
                          ORDER BY w.effective_from DESC, w.number DESC LIMIT 1)
              AND (s.kind = 'Institution' OR s.id = (SELECT regulatory_standard_id FROM sla_settings WHERE scope = 'institution'))
            ORDER BY r.id
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new Rule(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8), reader.GetInt32(9),
                    reader.GetString(10), reader.GetBoolean(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetString(14),
                    reader.IsDBNull(15) ? null : reader.GetInt32(15), reader.GetBoolean(16), reader.GetBoolean(17)));
            }
        }

        if (list.Count == 0)
        {
            throw new InvalidOperationException("No SLA rules in force: the clock generator needs Steward's seeded standards.");
        }

        return [.. list];
    }

    public async Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        rules = await LoadRulesAsync(connection, cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT id FROM sla_calendars WHERE is_default ORDER BY id LIMIT 1", connection))
        {
            calendar = await command.ExecuteScalarAsync(cancellationToken) as long?;
        }

        await using (var command = new NpgsqlCommand("SELECT COALESCE(MAX(id), 0) FROM case_sla_clocks", connection))
        {
            idBase = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
    }

    /// <summary>For tests: use these rules instead of the database's.</summary>
    internal void UseRules(Rule[] given) => rules = given;

    /// <summary>The rules that apply to a case: per layer and target type the most specific (kind over priority over neither).</summary>
    public IEnumerable<Rule> RulesFor(string kind, string priority) => RulesFor(rules, kind, priority);

    /// <summary>Of <paramref name="rules"/>, those that apply to a case of this kind and priority (see <see cref="RulesFor(string, string)"/>).</summary>
    public static IEnumerable<Rule> RulesFor(Rule[] rules, string kind, string priority) =>
        rules.Where(r => (r.Kind is null || r.Kind == kind) && (r.Priority is null || r.Priority == priority))
            .GroupBy(r => (r.Layer, r.TargetType))
            .Select(g => g.OrderByDescending(r => (r.Kind is null ? 0 : 2) + (r.Priority is null ? 0 : 1)).ThenBy(r => r.Id).First())
            .OrderBy(r => r.Layer == "Institution" ? 0 : 1).ThenBy(r => Array.IndexOf(TargetOrder, r.TargetType));

    public void WriteRow(NpgsqlBinaryImporter row, long index, Random random) => throw new NotSupportedException("Writes several rows per case: WriteRows.");

    public int WriteRows(NpgsqlBinaryImporter importer, long index, Random random)
    {
        var clocks = Clocks(universe.Attributes(index));
        for (var j = 0; j < clocks.Count; j++)
        {
            Write(importer, idBase + (index * Stride) + j + 1, clocks[j]);
        }

        return clocks.Count;
    }

    /// <summary>One clock as the row holds it.</summary>
    public sealed record ClockSpec(
        long CaseId, Rule Rule, DateTimeOffset Started, DateTimeOffset? Due, DateTimeOffset? Warning1, DateTimeOffset? Warning2, DateTimeOffset? NextAlert,
        string Status, DateTimeOffset? Met, DateTimeOffset? Breached, DateTimeOffset? Cancelled, DateTimeOffset Updated);

    /// <summary>The clocks of one case (see the class comment for the rules of the game).</summary>
    public List<ClockSpec> Clocks(CaseSpec c)
    {
        var result = new List<ClockSpec>(Stride);
        var applicable = RulesFor(c.Kind, c.Priority).Take(Stride).ToList();
        var messages = universe.Messages(c, out _);
        var firstReply = messages.Where(m => m.Visibility == "Public").Select(m => (DateTimeOffset?)m.At).FirstOrDefault();
        var open = c.Status is "Submitted" or "UnderReview" or "InProgress";
        var running = new List<Rule>();
        foreach (var rule in applicable)
        {
            if (c.Status == "Cancelled")
            {
                result.Add(new ClockSpec(c.Id, rule, c.CreatedAt, null, null, null, null, "Cancelled", null, null, c.UpdatedAt, c.UpdatedAt));
            }
            else if (!open)
            {
                var met = rule.TargetType == "FirstResponse" && firstReply is { } f ? f : c.ResolvedAt ?? c.UpdatedAt;
                result.Add(new ClockSpec(c.Id, rule, c.CreatedAt, null, null, null, null, "Met", met, null, null, met));
            }
            else if (rule.TargetType == "FirstResponse" && firstReply is { } replied)
            {
                result.Add(new ClockSpec(c.Id, rule, c.CreatedAt, null, null, null, null, "Met", replied, null, null, replied));
            }
            else if (rule.TargetType == "Plan" && c.Status == "InProgress")
            {
                result.Add(new ClockSpec(c.Id, rule, c.CreatedAt, null, null, null, null, "Met", c.UpdatedAt, null, null, c.UpdatedAt));
            }
            else if (rule.TargetType == "Resolution" && Pauses(rule, c.Waiting))
            {
                result.Add(new ClockSpec(c.Id, rule, c.CreatedAt, null, null, null, null, "Paused", null, null, null, c.UpdatedAt));
            }
            else
            {
                running.Add(rule);
            }
        }

        if (running.Count > 0)
        {
            var first = running.Min(r => r.Approximate);
            var anchorDue = c.DueAt ?? CaseUniverse.Micro(c.CreatedAt + first);
            foreach (var rule in running)
            {
                var due = CaseUniverse.Micro(anchorDue + (rule.Approximate - first));
                var span = due - c.CreatedAt;
                var w1 = CaseUniverse.Micro(c.CreatedAt + (span * (rule.Warning1 / 100.0)));
                var w2 = CaseUniverse.Micro(c.CreatedAt + (span * (rule.Warning2 / 100.0)));
                var breached = due <= universe.Anchor;
                DateTimeOffset?[] instants = [w1, w2, due, due + ComplianceAfter];
                var next = instants.Where(t => t > universe.Anchor).Min();
                result.Add(new ClockSpec(c.Id, rule, c.CreatedAt, due, w1, w2, next, breached ? "Breached" : "Running", null, breached ? due : null, null, c.UpdatedAt));
            }
        }

        return result;
    }

    private static bool Pauses(Rule rule, string waiting) =>
        waiting != "None" && rule.PauseReasons.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(waiting, StringComparer.Ordinal);

    private void Write(NpgsqlBinaryImporter row, long id, ClockSpec k)
    {
        var r = k.Rule;
        row.StartRow();
        row.Write(id, NpgsqlDbType.Bigint);
        row.Write(k.CaseId, NpgsqlDbType.Bigint);
        row.Write(r.TargetType, NpgsqlDbType.Varchar);
        row.Write(r.Layer, NpgsqlDbType.Varchar);
        row.Write(1, NpgsqlDbType.Integer);
        row.Write(r.StandardId, NpgsqlDbType.Bigint);
        row.Write(r.StandardCode, NpgsqlDbType.Varchar);
        row.Write(r.VersionId, NpgsqlDbType.Bigint);
        row.Write(r.VersionNumber, NpgsqlDbType.Integer);
        row.Write(r.Id, NpgsqlDbType.Bigint);
        row.Write(r.Match, NpgsqlDbType.Varchar);
        row.Write(r.Amount, NpgsqlDbType.Integer);
        row.Write(r.Unit, NpgsqlDbType.Varchar);
        row.Write(r.RollForward, NpgsqlDbType.Boolean);
        row.Write(r.Amount, NpgsqlDbType.Integer);
        row.Write(r.Unit, NpgsqlDbType.Varchar);
        row.Write(r.RollForward, NpgsqlDbType.Boolean);
        row.Write(r.Amount, NpgsqlDbType.Integer);
        if (r.MaxExtension is { } max)
        {
            row.Write(max, NpgsqlDbType.Integer);
        }
        else
        {
            row.WriteNull();
        }

        row.Write(r.ExtensionNeedsApproval, NpgsqlDbType.Boolean);
        row.Write(r.ExtensionNotice, NpgsqlDbType.Boolean);
        row.Write(r.Warning1, NpgsqlDbType.Integer);
        row.Write(r.Warning2, NpgsqlDbType.Integer);
        row.Write(r.PauseReasons, NpgsqlDbType.Varchar);
        row.Write(k.Started, NpgsqlDbType.TimestampTz);
        CaseRowWriter.Nullable(row, k.Due);
        CaseRowWriter.Nullable(row, k.Warning1);
        CaseRowWriter.Nullable(row, k.Warning2);
        CaseRowWriter.Nullable(row, k.NextAlert);
        row.Write(k.Status, NpgsqlDbType.Varchar);
        CaseRowWriter.Nullable(row, k.Met);
        CaseRowWriter.Nullable(row, k.Breached);
        CaseRowWriter.Nullable(row, k.Cancelled);
        CaseRowWriter.Nullable(row, calendar);
        row.WriteNull();
        row.WriteNull();
        row.Write(1, NpgsqlDbType.Integer);
        row.Write(k.Started, NpgsqlDbType.TimestampTz);
        row.Write(k.Updated, NpgsqlDbType.TimestampTz);
    }
}
