using Npgsql;

namespace Steward.Bench.Measurement;

/// <summary>
/// The raw-database baseline: a parameterised statement or a whole transaction run straight against
/// PostgreSQL with Npgsql, as a <see cref="LoadOperation"/> for the same <see cref="LoadRunner"/> (so
/// the same steps, warm-up and percentiles as the HTTP scenarios). Each operation takes a pooled
/// connection, as Steward does per request; Npgsql defaults otherwise (no auto-prepare, like EF Core).
/// Durability is whatever the server has: the bench cluster keeps fsync and synchronous_commit on.
/// </summary>
public static class RawBaseline
{
    /// <summary>One statement per operation, in autocommit (one commit, one WAL flush per row).</summary>
    public static LoadOperation Statement(NpgsqlDataSource dataSource, string sql, Action<NpgsqlParameterCollection, int, long> bind) =>
        async (worker, iteration, cancellationToken) =>
        {
            await using var command = dataSource.CreateCommand(sql);
            bind(command.Parameters, worker, iteration);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return OpOutcome.Ok;
        };

    /// <summary>
    /// A transaction per operation: <paramref name="body"/> runs its statements on the connection (in
    /// the transaction, which the runner commits). For intake: insert the case, its first event, SLA
    /// rows and the audit entry, exactly the rows Steward writes.
    /// </summary>
    public static LoadOperation Transaction(NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, int, long, CancellationToken, Task> body) =>
        async (worker, iteration, cancellationToken) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await body(connection, transaction, worker, iteration, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return OpOutcome.Ok;
        };
}
