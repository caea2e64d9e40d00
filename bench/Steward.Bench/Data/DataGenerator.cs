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
    /// <c>cases</c>, <c>case_events</c>, <c>case_messages</c>, <c>case_search</c>; then the reference
    /// counters are moved past the loaded numbers so that Steward's next case of a day takes a new one.
    /// No audit entries: the chain stays as Steward wrote it (bulk-loaded history predates it).
    /// </summary>
    public async Task<CaseLoadResult> CasesAsync(long count, DateTimeOffset anchor, CancellationToken cancellationToken)
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
            await LoadAsync(new CaseSearchRowWriter(universe), count, cancellationToken),
        };

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

        return new CaseLoadResult(universe, prepared, loads);
    }
}

public sealed record CaseLoadResult(CaseUniverse Universe, TimeSpan Prepare, IReadOnlyList<BulkLoadResult> Loads)
{
    public TimeSpan Elapsed => Prepare + Loads.Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Elapsed);
}
