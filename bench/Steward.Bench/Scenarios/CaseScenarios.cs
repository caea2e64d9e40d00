using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Steward.Bench.Data;
using Steward.Bench.Measurement;

namespace Steward.Bench.Scenarios;

/// <summary>
/// The case data set the case scenarios share: <c>--cases</c> seeded cases with events, replies and
/// search rows bulk-loaded with binary COPY (see <see cref="CaseUniverse"/> for the distributions).
/// Runs first among the case scenarios; if it is not selected, the first case scenario loads the data.
/// </summary>
public sealed class CaseGenScenario : Scenario
{
    public override string Name => "casegen";

    public override string Description =>
        "Seeded bulk load of `--cases` cases over the demo branches, teams and staff (most closed, about 10 % open with a deadline), " +
        "their timelines (`case_events`), replies and notes (`case_messages`, Chinese or English) and search rows (`case_search`, the same tokens Steward writes); " +
        "binary `COPY`, secondary indexes rebuilt afterwards (included), reference counters moved past the loaded numbers. No audit entries (the chain stays valid).";

    public override bool RequiresPostgres => true;

    public override bool UsesSteward => false;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var load = await context.CasesAsync(cancellationToken);
        await Describe(context, result, load, cancellationToken);
    }

    /// <summary>Figures of the load and of the data (open, overdue, per agent), for whichever scenario loaded it.</summary>
    public static async Task Describe(BenchContext context, ScenarioResult result, CaseLoadResult load, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        if (load.Reused is { } reused)
        {
            result.Figures.Add(("Loaded by an earlier run", string.Create(c, $"{reused.Count:N0} cases (seed {reused.Seed}, anchor {reused.Anchor:u}) reused from `--database {context.Options.DatabaseName}`{(reused.SearchRows ? "" : ", no search rows")}")));
        }
        else
        {
            result.Figures.Add(("Reference pass (ids, counters, numbering)", load.Prepare.TotalSeconds.ToString("0.00", c) + " s"));
            foreach (var l in load.Loads)
            {
                result.Figures.Add(($"`{l.Table}`", string.Create(c, $"{l.Rows:N0} rows in {l.Elapsed.TotalSeconds:0.00} s ({l.RowsPerSecond:N0} rows/s, {l.Streams} streams, incl. index rebuild and ANALYZE)")));
            }

            var perMillion = load.Elapsed.TotalSeconds * 1_000_000 / Math.Max(1, load.Universe.Count);
            result.Figures.Add(("Total", string.Create(c, $"{load.Elapsed.TotalSeconds:0.0} s; at this rate 1 M cases ≈ {perMillion / 60:0.0} min, 10 M ≈ {perMillion * 10 / 60:0} min")));
        }

        await using (var stats = context.Postgres!.CreateCommand(
            """
            SELECT count(*), count(*) FILTER (WHERE status IN ('Submitted', 'UnderReview', 'InProgress')), count(*) FILTER (WHERE due_at IS NOT NULL),
                   count(*) FILTER (WHERE due_at < now()), count(*) FILTER (WHERE due_at >= now() AND due_at < now() + interval '4 hours'),
                   pg_size_pretty(pg_total_relation_size('cases')), pg_size_pretty(pg_total_relation_size('case_search'))
            FROM cases
            """))
        await using (var reader = await stats.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            result.Figures.Add(("Cases in the database", string.Create(c,
                $"{reader.GetInt64(0):N0}, open {reader.GetInt64(1):N0}, with a deadline {reader.GetInt64(2):N0}, overdue {reader.GetInt64(3):N0}, due within 4 h {reader.GetInt64(4):N0}; `cases` {reader.GetString(5)}, `case_search` {reader.GetString(6)}")));
        }

        await using (var clocks = context.Postgres!.CreateCommand(
            """
            SELECT count(*), count(*) FILTER (WHERE status = 'Running'), count(*) FILTER (WHERE status = 'Breached'), count(*) FILTER (WHERE status = 'Paused'),
                   count(*) FILTER (WHERE next_alert_at IS NOT NULL), pg_size_pretty(pg_total_relation_size('case_sla_clocks'))
            FROM case_sla_clocks
            """))
        await using (var reader = await clocks.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            result.Figures.Add(("SLA clocks in the database", string.Create(c,
                $"{reader.GetInt64(0):N0}: running {reader.GetInt64(1):N0}, breached {reader.GetInt64(2):N0}, paused {reader.GetInt64(3):N0}, with an alert still to come {reader.GetInt64(4):N0}; `case_sla_clocks` {reader.GetString(5)}")));
        }

        context.Say(load.Reused is null
            ? string.Create(c, $"  casegen     {load.Universe.Count:N0} cases in {load.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", load.Loads.Select(l => $"{l.Table} {l.Rows:N0}"))})")
            : string.Create(c, $"  casegen     {load.Universe.Count:N0} cases reused from {context.Options.DatabaseName}"));
    }
}

/// <summary>
/// Case intake: Steward's <c>POST /api/v1/cases</c> (distinct Idempotency-Keys, sh/bj/sz/hz agents)
/// against the raw baseline that inserts the same rows in one transaction: the day's reference
/// counter, the case, its first event, its search row, its SLA clocks, and the audit entry appended to the hash chain
/// under the same head-row lock Steward takes. Steps interleave (Steward then raw at each concurrency),
/// into the bulk-loaded database when PostgreSQL. Targets: rate ≥ 0.5 × raw, p99 ≤ 50 ms.
/// </summary>
public sealed class IntakeScenario : Scenario
{
    private static readonly string[] Agents = ["sh.agent1", "bj.agent1", "sz.agent1", "hz.agent1", "sh.agent2", "bj.agent2", "sz.agent2", "hz.agent2"];
    private static readonly string[] Kinds = ["Consultation", "BusinessHandling", "Complaint"];
    private static readonly string[] Channels = ["Phone", "Counter", "OnlineChat"];

    public override string Name => "intake";

    public override string Description =>
        "Case intake: `POST /api/v1/cases` with a distinct `Idempotency-Key` per request (agents of the four Chinese branches, an existing customer, " +
        "80 % Chinese texts) against a raw PostgreSQL transaction inserting the same rows: reference counter upsert, case with its deadline, first event, search row, " +
        "the SLA clocks of the rules that apply (2 for a consultation, 4 for a complaint with the regulatory preset), " +
        "audit entry chained under `SELECT … FROM audit_chain_head WHERE id = 1 FOR UPDATE` (valid hash). Steward also writes and updates the " +
        "idempotency record and answers with the full case (timeline, names): its extra work.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/cases"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var db = context.Postgres;
        if (db is not null && !context.CasesRequested)
        {
            await CaseGenScenario.Describe(context, result, await context.CasesAsync(cancellationToken), cancellationToken);
        }
        else if (db is not null)
        {
            await context.CasesAsync(cancellationToken);
        }

        var concurrency = context.CaseConcurrency;
        // One sign-in each (PBKDF2: ~0.3 s apiece); quick mode signs in one agent only.
        var users = Agents.Take(context.Options.Quick ? 1 : Math.Clamp(concurrency.Max(), 1, Agents.Length)).ToArray();
        var tokens = new string[users.Length];
        for (var i = 0; i < users.Length; i++)
        {
            tokens[i] = await context.TokenAsync(users[i], cancellationToken);
        }

        var random = new Random(context.Options.Seed + 5);
        var texts = Enumerable.Range(0, 1024).Select(i => CaseTextGenerator.Case(random, i % 5 != 0)).ToArray();
        // An agent may name only customers of their own branches: each user's customers come from that user's branch.
        var customersByUser = new long[users.Length][];
        for (var u = 0; u < users.Length; u++)
        {
            customersByUser[u] = await CustomersAsync(context, users[u], cancellationToken);
        }
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var stats = db is null ? null : await PgStatements.EnableAsync(db, cancellationToken);
        var raw = db is null ? null : await RawIntake.CreateAsync(db, users, context.Server.AuditKey, cancellationToken);
        var stewardSteps = new List<StepResult>();
        var rawSteps = new List<StepResult>();
        foreach (var workers in concurrency)
        {
            var label = $"c{workers}";
            if (stats is not null)
            {
                await stats.ResetAsync(cancellationToken);
            }

            var step = await context.RunStepsAsync(result, "steward", context.HttpOperation((worker, i) =>
            {
                var text = texts[i & 1023];
                var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/cases")
                {
                    Content = JsonContent.Create(new
                    {
                        kind = Kinds[i % Kinds.Length],
                        channel = Channels[(i / 3) % Channels.Length],
                        subject = text.Subject,
                        description = text.Description,
                        customerId = CustomerFor(customersByUser[worker % tokens.Length], i),
                    }),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[worker % tokens.Length]);
                request.Headers.Add("Idempotency-Key", $"bench-{run}-{label}-{i}");
                return request;
            }), cancellationToken, concurrency: [workers], caseSteps: true);
            stewardSteps.AddRange(step);
            if (stats is not null && step.Count > 0 && (workers == concurrency[0] || workers == concurrency[^1]))
            {
                var s = step[0];
                result.Sections.Add(PgStatements.Render($"**Steward intake, c={workers}, PostgreSQL time by statement** (warm-up included)", await stats.ReadAsync(cancellationToken), s.AllOperations, s.Latency.Mean / 1000));
            }

            if (raw is not null)
            {
                if (stats is not null)
                {
                    await stats.ResetAsync(cancellationToken);
                }

                var rawStep = await context.RunStepsAsync(result, "raw", RawBaseline.Transaction(db!, (connection, transaction, worker, i, ct) =>
                    raw.InsertAsync(connection, transaction, worker % users.Length, texts[i & 1023], Kinds[i % Kinds.Length], Channels[(i / 3) % Channels.Length], CustomerFor(customersByUser[worker % users.Length], i) ?? 0, ct)),
                    cancellationToken, sampleMemory: false, concurrency: [workers], caseSteps: true);
                rawSteps.AddRange(rawStep);
                if (stats is not null && rawStep.Count > 0 && workers == concurrency[^1])
                {
                    var s = rawStep[0];
                    result.Sections.Add(PgStatements.Render($"**Raw intake, c={workers}, PostgreSQL time by statement** (warm-up included)", await stats.ReadAsync(cancellationToken), s.AllOperations, s.Latency.Mean / 1000));
                }
            }
        }

        if (raw is null)
        {
            result.Notes.Add("No raw baseline on SQLite (it is a PostgreSQL transaction).");
        }
        else
        {
            Targets.ThroughputRatio(result, stewardSteps, rawSteps, 0.5);
        }

        Targets.P99(result, stewardSteps, 50);
        if (db is not null)
        {
            await using var check = db.CreateCommand("SELECT count(*) FROM (SELECT reference FROM cases GROUP BY reference HAVING count(*) > 1) d");
            var duplicates = (long)(await check.ExecuteScalarAsync(cancellationToken))!;
            if (duplicates > 0)
            {
                result.Fail($"{duplicates} duplicate case references after intake");
            }

            result.Figures.Add(("Audit chain after intake", await RawIntake.VerifyChainTailAsync(db, context.Server.AuditKey, cancellationToken)));
        }
    }

    private static long? CustomerFor(long[] customers, long i) => customers.Length == 0 ? null : customers[(int)(i % customers.Length)];

    /// <summary>Customer ids of the user's branch to attach cases to (PostgreSQL); none on SQLite.</summary>
    private static async Task<long[]> CustomersAsync(BenchContext context, string username, CancellationToken ct)
    {
        if (context.Postgres is { } db)
        {
            await using var command = db.CreateCommand(
                "SELECT c.id FROM customers c JOIN staff s ON s.home_branch_id = c.home_branch_id WHERE s.username = $1 ORDER BY c.id LIMIT 5000");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = username });
            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }

            return [.. ids];
        }

        // SQLite (no direct access here): cases without a customer; demo customers belong to several branches.
        return [];
    }
}

/// <summary>The raw intake transaction: what a hand-written data layer would do to store a new case.</summary>
internal sealed class RawIntake
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly (long Id, string Name, long Branch)[] staff;
    private readonly SlaClockRowWriter.Rule[] rules;
    private readonly byte[] entryKey;

    private RawIntake((long, string, long)[] staff, SlaClockRowWriter.Rule[] rules, byte[] auditKey)
    {
        this.staff = staff;
        this.rules = rules;
        entryKey = EntryKey(auditKey);
    }

    public static async Task<RawIntake> CreateAsync(NpgsqlDataSource db, string[] users, byte[] auditKey, CancellationToken ct)
    {
        var list = new List<(long, string, long)>();
        foreach (var user in users)
        {
            await using var command = db.CreateCommand("SELECT id, display_name, home_branch_id FROM staff WHERE username = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        return new RawIntake([.. list], await SlaClockRowWriter.LoadRulesAsync(connection, ct), auditKey);
    }

    public async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int user, CaseText text, string kind, string channel, long customer, CancellationToken ct)
    {
        var (staffId, staffName, branch) = staff[user];
        var now = CaseUniverse.Micro(DateTimeOffset.UtcNow);
        var day = TimeZoneInfo.ConvertTime(now, Shanghai).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        long number;
        await using (var counter = new NpgsqlCommand(
            "INSERT INTO case_reference_counters (day, last_value) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET last_value = case_reference_counters.last_value + 1 RETURNING last_value",
            connection, transaction))
        {
            counter.Parameters.Add(new NpgsqlParameter<string> { TypedValue = day });
            number = (long)(await counter.ExecuteScalarAsync(ct))!;
        }

        var reference = $"SV-{day}-{number.ToString("D6", CultureInfo.InvariantCulture)}";
        var priority = kind == "Complaint" ? "High" : "Normal";
        // The clocks a hand-written layer would start: one per applicable rule, deadline from receipt (wall-clock
        // approximation of the business-time engine: computing it is CPU, not database work); the case's deadline is the earliest.
        var clocks = SlaClockRowWriter.RulesFor(rules, kind, priority).Select(r => (Rule: r, Due: CaseUniverse.Micro(now + r.Approximate))).ToList();
        var caseDue = clocks.Min(k => k.Due);
        long id;
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO cases (reference, kind, channel, status, waiting, subject, description, customer_id, branch_id, priority, priority_overridden,
                               tags, created_by_id, version, created_at, updated_at, due_at)
            VALUES ($1, $2, $3, 'Submitted', 'None', $4, $5, $6, $7, $8, false, '', $9, 1, $10, $10, $11) RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text.Subject });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text.Description });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = customer });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = branch });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = priority });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = staffId });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = caseDue });
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        var changes = new JsonObject
        {
            ["after"] = new JsonObject
            {
                ["id"] = id, ["reference"] = reference, ["kind"] = kind, ["channel"] = channel, ["status"] = "Submitted", ["waiting"] = "None",
                ["subject"] = text.Subject, ["description"] = text.Description, ["customer_id"] = customer, ["branch_id"] = branch, ["priority"] = priority,
                ["priority_overridden"] = false, ["tags"] = "", ["created_by_id"] = staffId, ["version"] = 1,
                ["created_at"] = now.ToString("O", CultureInfo.InvariantCulture), ["updated_at"] = now.ToString("O", CultureInfo.InvariantCulture),
            },
        }.ToJsonString();
        var tokens = SearchTokens.Index(text.Subject, text.Description);

        long sequence;
        string previous;
        await using (var head = new NpgsqlCommand("SELECT last_sequence, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            sequence = reader.GetInt64(0) + 1;
            previous = reader.GetString(1);
        }

        var entityId = id.ToString(CultureInfo.InvariantCulture);
        var hash = Hash(KeyId, entryKey, sequence, now, staffId, staffName, "Created", "Case", entityId, branch, changes, previous);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            "INSERT INTO case_events (case_id, occurred_at, actor_id, actor_name, type, detail) VALUES ($1, $2, $3, $4, 'Created', $5)",
            P(id), P(now), P(staffId), P(staffName), P($"{kind} · {channel} · {priority}")));
        batch.BatchCommands.Add(Command("INSERT INTO case_search (case_id, tokens) VALUES ($1, $2)", P(id), new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = tokens }));
        foreach (var (r, due) in clocks)
        {
            var warning1 = CaseUniverse.Micro(now + ((due - now) * (r.Warning1 / 100.0)));
            var warning2 = CaseUniverse.Micro(now + ((due - now) * (r.Warning2 / 100.0)));
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO case_sla_clocks (case_id, target_type, layer, cycle, standard_id, standard_code, standard_version_id, standard_version_number,
                    rule_id, rule_match, initial_amount, initial_unit, initial_roll_forward, amount, unit, roll_forward, rule_amount, max_extension,
                    extension_needs_approval, extension_notice_to_customer, warning_percent1, warning_percent2, pause_reasons, started_at, due_at,
                    warning1at, warning2at, next_alert_at, status, version, created_at, updated_at)
                VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $10, $11, $12, $10, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $21, 'Running', 1, $19, $19)
                """,
                P(id), P(r.TargetType), P(r.Layer), P(r.StandardId), P(r.StandardCode), P(r.VersionId), P(r.VersionNumber), P(r.Id), P(r.Match), P(r.Amount),
                P(r.Unit), P(r.RollForward), new NpgsqlParameter<int?> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = r.MaxExtension }, P(r.ExtensionNeedsApproval),
                P(r.ExtensionNotice), P(r.Warning1), P(r.Warning2), P(r.PauseReasons), P(now), P(due), P(warning1), P(warning2)));
        }

        batch.BatchCommands.Add(Command(
            """
            INSERT INTO audit_entries (sequence, occurred_at, actor_id, actor_name, action, entity_type, entity_id, branch_id, changes, previous_hash, hash, key_id)
            VALUES ($1, $2, $3, $4, 'Created', 'Case', $5, $6, $7, $8, $9, $10)
            """,
            P(sequence), P(now), P(staffId), P(staffName), P(entityId), P(branch), P(changes), P(previous), P(hash), P(KeyId)));
        batch.BatchCommands.Add(Command("UPDATE audit_chain_head SET last_sequence = $1, last_hash = $2 WHERE id = 1", P(sequence), P(hash)));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private const string KeyId = Steward.Bench.Environment.StewardServer.AuditKeyId;
    private const string LegacyKeyId = "legacy-sha256";

    /// <summary>Steward's AuditKey.EntryKey: the HKDF-SHA256 subkey of the configured audit key that signs entries.</summary>
    public static byte[] EntryKey(byte[] auditKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, auditKey, 32, info: "steward/audit/entries"u8.ToArray());

    /// <summary>
    /// Steward's AuditWriter.KeyedHash: HMAC-SHA256 under the entry subkey of the key id and the fields joined by U+001F,
    /// the instant to the microsecond (tests/Steward.Tests/Bench/AuditHashTests.cs keeps the two the same).
    /// </summary>
    public static string Hash(string keyId, byte[] entryKey, long sequence, DateTimeOffset occurred, long? actorId, string actorName, string action, string entityType, string entityId, long? branchId, string changes, string previous) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(entryKey, Encoding.UTF8.GetBytes(keyId + '\u001f' + Content(sequence, occurred, actorId, actorName, action, entityType, entityId, branchId, changes, previous))));

    /// <summary>Steward's AuditWriter.LegacyHash: the plain SHA-256 of entries written before the chain was keyed.</summary>
    public static string LegacyHash(long sequence, DateTimeOffset occurred, long? actorId, string actorName, string action, string entityType, string entityId, long? branchId, string changes, string previous) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Content(sequence, occurred, actorId, actorName, action, entityType, entityId, branchId, changes, previous))));

    private static string Content(long sequence, DateTimeOffset occurred, long? actorId, string actorName, string action, string entityType, string entityId, long? branchId, string changes, string previous)
    {
        var at = new DateTimeOffset(occurred.UtcTicks - (occurred.UtcTicks % 10), TimeSpan.Zero);
        return string.Join('\u001f',
            sequence.ToString(CultureInfo.InvariantCulture),
            at.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            actorId?.ToString(CultureInfo.InvariantCulture) ?? "",
            actorName, action, entityType, entityId,
            branchId?.ToString(CultureInfo.InvariantCulture) ?? "",
            changes, previous);
    }

    /// <summary>Recomputes the hashes of the newest 2 000 audit entries under their keys and checks the links (raw and Steward entries interleave).</summary>
    public static async Task<string> VerifyChainTailAsync(NpgsqlDataSource db, byte[] auditKey, CancellationToken ct)
    {
        var entryKey = EntryKey(auditKey);
        await using var command = db.CreateCommand(
            """
            SELECT sequence, occurred_at, actor_id, actor_name, action, entity_type, entity_id, branch_id, changes, previous_hash, hash, key_id
            FROM audit_entries ORDER BY sequence DESC LIMIT 2000
            """);
        var rows = new List<(long Seq, string Prev, string Hash, string? Computed)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var (sequence, occurred, actorId, actorName) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2), reader.GetString(3));
                var (action, entityType, entityId, branchId) = (reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? (long?)null : reader.GetInt64(7));
                var (changes, previous, keyId) = (reader.GetString(8), reader.GetString(9), reader.GetString(11));
                var computed = keyId switch
                {
                    KeyId => Hash(KeyId, entryKey, sequence, occurred, actorId, actorName, action, entityType, entityId, branchId, changes, previous),
                    LegacyKeyId => LegacyHash(sequence, occurred, actorId, actorName, action, entityType, entityId, branchId, changes, previous),
                    _ => null, // signed with a key this run does not have
                };
                rows.Add((sequence, previous, reader.GetString(10), computed));
            }
        }

        rows.Reverse();
        var bad = rows.Count(r => r.Hash != r.Computed) + rows.Skip(1).Select((r, i) => r.Prev == rows[i].Hash ? 0 : 1).Sum();
        return bad == 0 ? $"valid (newest {rows.Count} entries recomputed and linked)" : $"BROKEN: {bad} of the newest {rows.Count} entries do not verify";
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter P<T>(T value) => new NpgsqlParameter<T> { TypedValue = value };
}

/// <summary>
/// The workbench over the bulk-loaded cases, each reported separately: my queue's first page
/// (<c>sh.agent1</c>, <c>assignee=me</c>, by deadline), a team's counts by status (<c>sh.lead</c>,
/// <c>/api/v1/cases/count?teamId&amp;status</c>), filters plus sort by deadline, and cursor pages 1–50 of
/// the team's list (following <c>nextCursor</c>). Target: p95 ≤ 20 ms (issue 5: at 10 M cases).
/// </summary>
public sealed class WorkbenchScenario : Scenario
{
    public const int DeepPages = 50;
    private static readonly string[] Statuses = ["Submitted", "UnderReview", "InProgress", "Resolved", "FollowUp", "Closed", "Cancelled"];

    public override string Name => "workbench";

    public override string Description =>
        "The workbench over `--cases` bulk-loaded cases, as `sh.agent1` (Shanghai branch scope): **my-queue** `GET /api/v1/cases?assignee=me&sort=due&limit=25`; " +
        "as `sh.lead`: **team-counts** `GET /api/v1/cases/count?teamId=<counter team>&status=<each of the 7 in turn>`; " +
        "**filter-due** `GET /api/v1/cases?<status+priority | kind+status | channel+status | dueBefore>&sort=due&limit=25`; " +
        $"**deep-pages** `GET /api/v1/cases?teamId=<counter team>&sort=due&limit=25` following `nextCursor` through pages 1–{DeepPages}, then again.";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/cases", "GET /api/v1/cases/count"];

    public override bool RequiresPostgres => true;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var load = await context.CasesAsync(cancellationToken);
        var agent = await context.TokenAsync("sh.agent1", cancellationToken);
        var lead = await context.TokenAsync("sh.lead", cancellationToken);
        await using var team = context.Postgres!.CreateCommand("SELECT team_id FROM staff WHERE username = 'sh.lead'");
        var teamId = (long)(await team.ExecuteScalarAsync(cancellationToken))!;
        var dueBefore = Uri.EscapeDataString(load.Universe.Anchor.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        string[] filters =
        [
            "status=InProgress&priority=High", "kind=Complaint&status=UnderReview", "channel=Phone&status=InProgress", $"dueBefore={dueBefore}",
        ];
        var stats = await PgStatements.EnableAsync(context.Postgres!, cancellationToken);
        var steps = new List<StepResult>();

        async Task Run(string label, LoadOperation operation)
        {
            await stats.ResetAsync(cancellationToken);
            var done = await context.RunStepsAsync(result, label, operation, cancellationToken, concurrency: context.CaseConcurrency, caseSteps: true);
            steps.AddRange(done);
            if (done.Count > 0)
            {
                var last = done[^1];
                result.Sections.Add(PgStatements.Render($"**{label}, all steps, PostgreSQL time by statement**", await stats.ReadAsync(cancellationToken), done.Sum(s => s.AllOperations), last.Latency.Mean / 1000, top: 3));
            }
        }

        await Run("my-queue", context.HttpOperation((_, _) => BenchContext.Get("api/v1/cases?assignee=me&sort=due&limit=25", agent)));
        await Run("team-counts", context.HttpOperation((_, i) => BenchContext.Get($"api/v1/cases/count?teamId={teamId}&status={Statuses[i % Statuses.Length]}", lead)));
        await Run("filter-due", context.HttpOperation((_, i) => BenchContext.Get($"api/v1/cases?{filters[i % filters.Length]}&sort=due&limit=25", lead)));

        var maxWorkers = context.CaseConcurrency.Max();
        var cursors = new string?[maxWorkers];
        var pages = new int[maxWorkers];
        var deepest = 0;
        await Run("deep-pages", async (worker, _, ct) =>
        {
            var url = $"api/v1/cases?teamId={teamId}&sort=due&limit=25" + (cursors[worker] is { } cursor ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            using var request = BenchContext.Get(url, lead);
            using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return OpOutcome.FromStatus((int)response.StatusCode, false, body.Length > 300 ? body[..300] : body);
            }

            using var json = JsonDocument.Parse(body);
            var next = json.RootElement.TryGetProperty("nextCursor", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            pages[worker]++;
            deepest = Math.Max(deepest, pages[worker]);
            if (next is null || pages[worker] >= DeepPages)
            {
                cursors[worker] = null;
                pages[worker] = 0;
            }
            else
            {
                cursors[worker] = next;
            }

            return OpOutcome.FromStatus((int)response.StatusCode, true);
        });
        result.Figures.Add(("Deepest page reached", deepest.ToString(CultureInfo.InvariantCulture)));
        result.Figures.Add(("Cases loaded", load.Universe.Count.ToString("N0", CultureInfo.InvariantCulture) + (load.Universe.Count < 10_000_000 ? " (the target is stated for 10 M)" : "")));
        Targets.P95(result, steps, 20);
    }
}

/// <summary>
/// Full-text search over the bulk-loaded cases and replies as <c>compliance</c> (all branches):
/// Chinese two-character words and English words from <see cref="CaseTextGenerator"/>'s vocabulary,
/// default order (newest first for a search, docs/decisions/0013). Target: p95 ≤ 200 ms (issue 5: at 1 M cases).
/// </summary>
public sealed class SearchScenario : Scenario
{
    public static readonly string[] Chinese = ["转账", "理财", "挂失", "利率", "年费", "分期", "额度", "还款", "汇款", "到账", "赎回", "基金", "补卡", "冻结", "房贷", "月供", "流水", "密码", "登录", "网点"];
    public static readonly string[] English = ["transfer", "mortgage", "statement", "instalment", "remittance", "redemption", "fund", "freeze", "loan", "password", "login", "payee", "credit card", "interest rate"];

    public override string Name => "search";

    public override string Description =>
        "Full-text search `GET /api/v1/cases?q=<word>&limit=25` as `compliance` (institution scope: every case) over `--cases` cases and their replies: " +
        "**zh** Chinese two-character words (转账, 理财, 挂失, 利率 …), **en** English words (transfer, mortgage, statement … and two-word terms).";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/cases"];

    public override bool RequiresPostgres => true;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var load = await context.CasesAsync(cancellationToken);
        var token = await context.TokenAsync("compliance", cancellationToken);
        var stats = await PgStatements.EnableAsync(context.Postgres!, cancellationToken);
        var steps = new List<StepResult>();
        foreach (var (label, words) in new[] { ("zh", Chinese), ("en", English) })
        {
            await stats.ResetAsync(cancellationToken);
            var done = await context.RunStepsAsync(result, label, context.HttpOperation((_, i) =>
                BenchContext.Get("api/v1/cases?limit=25&q=" + Uri.EscapeDataString(words[i % words.Length]), token)), cancellationToken, concurrency: context.CaseConcurrency, caseSteps: true);
            steps.AddRange(done);
            if (done.Count > 0)
            {
                result.Sections.Add(PgStatements.Render($"**search {label}, all steps, PostgreSQL time by statement**", await stats.ReadAsync(cancellationToken), done.Sum(s => s.AllOperations), done[^1].Latency.Mean / 1000, top: 3));
            }
        }

        await using var matches = context.Postgres!.CreateCommand("SELECT count(*) FROM case_search WHERE document @@ plainto_tsquery('simple', $1)");
        matches.Parameters.Add(new NpgsqlParameter<string>());
        var counts = new List<string>();
        foreach (var word in new[] { "转账", "理财", "transfer", "mortgage" })
        {
            matches.Parameters[0].Value = word;
            counts.Add($"{word} {(long)(await matches.ExecuteScalarAsync(cancellationToken))!:N0}");
        }

        result.Figures.Add(("Cases matching (examples)", string.Join(", ", counts) + $" of {load.Universe.Count:N0}"));
        Targets.P95(result, steps, 200);
    }
}

/// <summary>
/// The SLA sweep (due warnings and breaches) over the bulk-loaded cases' clocks: <c>POST /api/v1/sla/sweep</c> as
/// <c>admin</c>. The first pass catches up with every alert instant since the load's anchor (the data stands as if
/// a sweep had run until then); the following passes, <see cref="Spacing"/> apart, are what a node does every
/// <c>Sla:SweepIntervalSeconds</c>: find the few clocks that came due among all open ones. Target: a pass ≤ 100 ms
/// at 1 M open cases, judged on those steady passes (the slowest of them).
/// </summary>
public sealed class SweepScenario : Scenario
{
    public override string Name => "sweep";

    public override string Description =>
        "SLA sweep `POST /api/v1/sla/sweep` as `admin` over the bulk-loaded cases' SLA clocks: one catch-up pass (every alert instant since the load), " +
        "then steady passes 10 s apart (quick: 0.5 s), as a node sweeps every `Sla:SweepIntervalSeconds`; the target is judged on the slowest steady pass.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/sla/sweep"];

    private static TimeSpan Spacing(BenchContext context) => context.Options.Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(10);

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        if (context.Postgres is not null)
        {
            await context.CasesAsync(cancellationToken);
        }

        var token = await context.TokenAsync("admin", cancellationToken);
        // The catch-up pass may take minutes on a kept database (hours of alerts since the load): a client without the run's 60 s limit.
        using var http = new HttpClient { BaseAddress = context.Server.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        var steady = new List<double>();
        var passes = context.Options.Quick ? 3 : 6;
        for (var pass = 1; pass <= passes; pass++)
        {
            if (pass > 1)
            {
                await Task.Delay(Spacing(context), cancellationToken);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/sla/sweep");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var ms = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                result.Fail($"pass {pass}: {(int)response.StatusCode} {(body.Length > 300 ? body[..300] : body)}");
                return;
            }

            if (pass > 1)
            {
                steady.Add(ms);
            }

            result.Figures.Add(($"Pass {pass}{(pass == 1 ? " (catch-up)" : "")}", Targets.Ms(ms) + " — " + Describe(body)));
        }

        Targets.Duration(result, "slowest steady sweep pass", steady.Max(), 100);
    }

    /// <summary>The endpoint's answer (<c>SlaSweepResult</c>): clocks examined, alerts raised, notifications, e-mails, server-side duration.</summary>
    private static string Describe(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            var r = json.RootElement;
            long Int(string name) => r.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : -1;
            var server = r.TryGetProperty("durationMs", out var d) && d.TryGetDouble(out var ms) ? Targets.Ms(ms) : "?";
            return $"{Int("clocksExamined"):N0} clocks examined, {Int("alertsRaised"):N0} alerts raised, {Int("notifications"):N0} notifications, {Int("emails"):N0} e-mails; {server} in Steward";
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Length > 200 ? body[..200] + "…" : body;
        }
    }
}
