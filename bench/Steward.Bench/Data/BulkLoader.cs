using System.Diagnostics;
using Npgsql;

namespace Steward.Bench.Data;

/// <summary>
/// Writes the rows of one table. The loader calls <see cref="PrepareAsync"/> once (read reference data,
/// e.g. branch ids, and the first free id), then <see cref="WriteRow"/> for row 0 … count-1 inside a
/// binary COPY. Rows are generated in fixed chunks, each with its own <see cref="Random"/> seeded by
/// (seed, table, chunk), so the data is the same whatever the number of parallel COPY streams.
/// <para>To add a table (cases, case events, replies, SLA clocks …): implement this interface with the
/// table's columns in order and register it in <see cref="DataGenerator"/>.</para>
/// </summary>
public interface IRowWriter
{
    string Table { get; }

    /// <summary>The columns written by <see cref="WriteRow"/>, in order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>A bigint identity column written explicitly, whose sequence is moved past the loaded ids afterwards; or null.</summary>
    string? IdentityColumn { get; }

    /// <summary>VACUUM (ANALYZE) after the load instead of ANALYZE: hint bits and visibility map set, as on a live table (index-only scans).</summary>
    bool Vacuum => false;

    Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken);

    /// <summary>Writes row <paramref name="index"/> (0-based); the loader has already called StartRow.</summary>
    void WriteRow(NpgsqlBinaryImporter row, long index, Random random);
}

/// <summary>
/// A table with a variable number of rows per generated item (a case's events or replies): the loader
/// calls <see cref="WriteRows"/> for item 0 … count-1 without starting a row; the writer calls
/// <c>StartRow</c> for each row it writes and returns how many it wrote.
/// </summary>
public interface IMultiRowWriter : IRowWriter
{
    int WriteRows(NpgsqlBinaryImporter importer, long index, Random random);
}

public sealed record BulkLoadResult(string Table, long Rows, TimeSpan Elapsed, int Streams)
{
    public double RowsPerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Fast, repeatable bulk load with Npgsql binary COPY (<c>BeginBinaryImport</c>).</summary>
public static class BulkLoader
{
    public const int ChunkSize = 50_000;

    public static async Task<BulkLoadResult> LoadAsync(
        NpgsqlDataSource dataSource, IRowWriter writer, long count, int seed, int streams, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await writer.PrepareAsync(connection, cancellationToken);
        }

        var watch = Stopwatch.StartNew();

        // Secondary indexes are dropped for the load and rebuilt afterwards (much faster than row-by-row
        // maintenance at a million rows); primary keys and constraint indexes stay.
        var indexes = new List<(string Name, string Definition)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var list = new NpgsqlCommand(
                """
                SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                """, connection);
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = writer.Table });
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (name, _) in indexes)
            {
                await using var drop = new NpgsqlCommand($"DROP INDEX \"{name}\"", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        long rows;
        try
        {
            rows = await CopyAsync(dataSource, writer, count, seed, streams, cancellationToken);
        }
        finally
        {
            await RebuildAsync(dataSource, indexes, streams, cancellationToken);
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (writer.IdentityColumn is { } id)
            {
                await using var sequence = new NpgsqlCommand(
                    $"SELECT setval(pg_get_serial_sequence('{writer.Table}', '{id}'), (SELECT COALESCE(MAX({id}), 1) FROM {writer.Table}))", connection);
                await sequence.ExecuteScalarAsync(cancellationToken);
            }

            // Optionally VACUUM as well: sets hint bits and the visibility map as autovacuum would on a
            // live table, so that index-only scans work and the first reads do not rewrite every page.
            await using var analyze = new NpgsqlCommand($"{(writer.Vacuum ? "VACUUM (ANALYZE)" : "ANALYZE")} {writer.Table}", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        return new BulkLoadResult(writer.Table, rows, watch.Elapsed, streams);
    }

    private static async Task<long> CopyAsync(NpgsqlDataSource dataSource, IRowWriter writer, long count, int seed, int streams, CancellationToken cancellationToken)
    {
        var chunks = (count + ChunkSize - 1) / ChunkSize;
        long next = -1;
        long written = 0;
        var multi = writer as IMultiRowWriter;
        var copy = $"COPY {writer.Table} ({string.Join(", ", writer.Columns)}) FROM STDIN (FORMAT BINARY)";
        var tasks = Enumerable.Range(0, Math.Max(1, streams)).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await SkipForeignKeyChecksAsync(connection, cancellationToken);
            long chunk;
            while ((chunk = Interlocked.Increment(ref next)) < chunks)
            {
                var random = new Random(StableSeed(seed, writer.Table, chunk));
                var first = chunk * ChunkSize;
                var last = Math.Min(count, first + ChunkSize);
                await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
                long rows = 0;
                for (var i = first; i < last; i++)
                {
                    if (multi is not null)
                    {
                        rows += multi.WriteRows(importer, i, random);
                    }
                    else
                    {
                        importer.StartRow();
                        writer.WriteRow(importer, i, random);
                        rows++;
                    }
                }

                await importer.CompleteAsync(cancellationToken);
                Interlocked.Add(ref written, rows);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(tasks);
        return written;
    }

    /// <summary>
    /// The generated rows reference existing rows by construction, so the per-row foreign-key triggers
    /// are skipped where allowed (superuser: <c>session_replication_role = replica</c>); otherwise they run.
    /// </summary>
    private static async Task SkipForeignKeyChecksAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var set = new NpgsqlCommand("SET session_replication_role = replica", connection);
            await set.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
        }
    }

    private static async Task RebuildAsync(NpgsqlDataSource dataSource, List<(string Name, string Definition)> indexes, int streams, CancellationToken cancellationToken)
    {
        var queue = new System.Collections.Concurrent.ConcurrentQueue<(string Name, string Definition)>(indexes);
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(streams, indexes.Count))).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var memory = new NpgsqlCommand("SET maintenance_work_mem = '256MB'", connection))
            {
                await memory.ExecuteNonQueryAsync(cancellationToken);
            }

            while (queue.TryDequeue(out var index))
            {
                await using var create = new NpgsqlCommand(index.Definition, connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken)));
    }

    /// <summary>FNV-1a over (seed, table, chunk): stable across processes, unlike string.GetHashCode.</summary>
    public static int StableSeed(int seed, string table, long chunk)
    {
        var hash = 2166136261u;
        void Mix(uint value)
        {
            hash ^= value;
            hash = unchecked(hash * 16777619u);
        }

        Mix(unchecked((uint)seed));
        foreach (var c in table)
        {
            Mix(c);
        }

        Mix(unchecked((uint)chunk));
        Mix(unchecked((uint)(chunk >> 32)));
        return unchecked((int)hash);
    }
}
