using Npgsql;

namespace Steward.Bench.Data;

/// <summary>
/// The seeded data set for a run: one <see cref="IRowWriter"/> per table, loaded in order (parents
/// before children): customers; cases with their events, replies and search rows.
/// </summary>
public sealed class DataGenerator(NpgsqlDataSource dataSource, int seed, int streams)
{
    public async Task<BulkLoadResult> LoadAsync(IRowWriter writer, long rows, CancellationToken cancellationToken) =>
        await BulkLoader.LoadAsync(dataSource, writer, rows, seed, streams, cancellationToken);

    public Task<BulkLoadResult> CustomersAsync(long rows, CancellationToken cancellationToken) =>
        LoadAsync(new CustomerRowWriter(), rows, cancellationToken);

    /// <summary>
    /// <paramref name="count"/> cases of a <see cref="CaseUniverse"/> anchored at <paramref name="anchor"/>:
    /// <c>cases</c>, <c>case_events</c>, <c>case_messages</c>, <c>case_sla_clocks</c> and (unless
    /// <paramref name="searchRows"/> is false) <c>case_search</c>; then the reference counters are moved past
    /// the loaded numbers so that Steward's next case of a day takes a new one, and the load is recorded in
    /// <see cref="CaseLoadRecord"/> so that a later run on the same database (<c>--database</c>) can reuse it.
    /// No audit entries: the chain stays as Steward wrote it (bulk-loaded history predates it).
    /// </summary>
    public async Task<CaseLoadResult> CasesAsync(long count, DateTimeOffset anchor, CancellationToken cancellationToken, bool searchRows = true)
    {
        var universe = new CaseUniverse(seed, count, anchor);
        var prepare = System.Diagnostics.Stopwatch.StartNew();
        await universe.PrepareAsync(dataSource, cancellationToken);
        var prepared = prepare.Elapsed;
        var loads = new List<BulkLoadResult>
        {
            await LoadAsync(new CaseRowWriter(universe), count, cancellationToken),
            await LoadAsync(new CaseEventRowWriter(universe), count, cancellationToken),
            await LoadAsync(new CaseMessageRowWriter(universe), count, cancellationToken),
            await LoadAsync(new SlaClockRowWriter(universe), count, cancellationToken),
        };
        if (searchRows)
        {
            loads.Add(await LoadAsync(new CaseSearchRowWriter(universe), count, cancellationToken));
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var counters = new NpgsqlCommand(
            """
            INSERT INTO case_reference_counters (day, last_value) SELECT * FROM unnest($1::varchar[], $2::bigint[])
            ON CONFLICT (day) DO UPDATE SET last_value = GREATEST(case_reference_counters.last_value, excluded.last_value)
            """, connection))
        {
            counters.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. universe.Counters.Keys] });
            counters.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. universe.Counters.Values] });
            await counters.ExecuteNonQueryAsync(cancellationToken);
        }

        await CaseLoadRecord.SaveAsync(dataSource, new CaseLoadRecord(seed, count, universe.Anchor, searchRows), cancellationToken);
        return new CaseLoadResult(universe, prepared, loads);
    }

    /// <summary>
    /// The cases an earlier run loaded into this database with the same seed and count (and search rows if
    /// <paramref name="searchRows"/>), as a universe anchored where that load was; null when there is none.
    /// </summary>
    public async Task<CaseLoadResult?> ReuseAsync(long count, bool searchRows, CancellationToken cancellationToken)
    {
        var record = await CaseLoadRecord.FindAsync(dataSource, seed, count, cancellationToken);
        if (record is null || (searchRows && !record.SearchRows))
        {
            return null;
        }

        var universe = new CaseUniverse(seed, count, record.Anchor);
        return new CaseLoadResult(universe, TimeSpan.Zero, [], Reused: record);
    }
}

/// <summary>
/// A bulk load recorded in the database (<c>bench_meta.case_loads</c>; Steward never reads it): seed, number of
/// cases, the anchor the data is relative to, and whether search rows were loaded.
/// </summary>
public sealed record CaseLoadRecord(int Seed, long Count, DateTimeOffset Anchor, bool SearchRows)
{
    private const string CreateSchema = "CREATE SCHEMA IF NOT EXISTS bench_meta";

    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS bench_meta.case_loads (seed int NOT NULL, count bigint NOT NULL, anchor timestamptz NOT NULL, search_rows boolean NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())";

    public static async Task SaveAsync(NpgsqlDataSource dataSource, CaseLoadRecord record, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateSchema));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateTable));
        var insert = new NpgsqlBatchCommand("INSERT INTO bench_meta.case_loads (seed, count, anchor, search_rows) VALUES ($1, $2, $3, $4)");
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Seed });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = record.Count });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.Anchor });
        insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = record.SearchRows });
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<CaseLoadRecord?> FindAsync(NpgsqlDataSource dataSource, int seed, long count, CancellationToken cancellationToken)
    {
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('bench_meta.case_loads') IS NOT NULL"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return null; // never loaded into: a lookup creates nothing
            }
        }

        await using var command = dataSource.CreateCommand("SELECT anchor, search_rows FROM bench_meta.case_loads WHERE seed = $1 AND count = $2 ORDER BY loaded_at DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = seed });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new CaseLoadRecord(seed, count, reader.GetFieldValue<DateTimeOffset>(0), reader.GetBoolean(1)) : null;
    }
}

/// <summary>A load (or, with <see cref="Reused"/>, the record of an earlier one whose data the run uses).</summary>
public sealed record CaseLoadResult(CaseUniverse Universe, TimeSpan Prepare, IReadOnlyList<BulkLoadResult> Loads, CaseLoadRecord? Reused = null)
{
    public TimeSpan Elapsed => Prepare + Loads.Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Elapsed);
}
