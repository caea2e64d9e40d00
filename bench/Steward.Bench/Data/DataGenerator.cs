using Npgsql;

namespace Steward.Bench.Data;

/// <summary>
/// The seeded data set for a run: one <see cref="IRowWriter"/> per table, loaded in order (parents
/// before children). Today only customers; cases, case events, replies and SLA clocks plug in as
/// writers when those tables exist (see docs/benchmarks.md, "Adding a table").
/// </summary>
public sealed class DataGenerator(NpgsqlDataSource dataSource, int seed, int streams)
{
    public async Task<BulkLoadResult> LoadAsync(IRowWriter writer, long rows, CancellationToken cancellationToken) =>
        await BulkLoader.LoadAsync(dataSource, writer, rows, seed, streams, cancellationToken);

    public Task<BulkLoadResult> CustomersAsync(long rows, CancellationToken cancellationToken) =>
        LoadAsync(new CustomerRowWriter(), rows, cancellationToken);
}
