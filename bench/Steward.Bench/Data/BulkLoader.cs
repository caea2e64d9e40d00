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

    Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken);

    /// <summary>Writes row <paramref name="index"/> (0-based); the loader has already called StartRow.</summary>
    void WriteRow(NpgsqlBinaryImporter row, long index, Random random);
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
        var chunks = (count + ChunkSize - 1) / ChunkSize;
        long next = -1;
        var copy = $"COPY {writer.Table} ({string.Join(", ", writer.Columns)}) FROM STDIN (FORMAT BINARY)";
        var tasks = Enumerable.Range(0, Math.Max(1, streams)).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            long chunk;
            while ((chunk = Interlocked.Increment(ref next)) < chunks)
            {
                var random = new Random(StableSeed(seed, writer.Table, chunk));
                var first = chunk * ChunkSize;
                var last = Math.Min(count, first + ChunkSize);
                await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
                for (var i = first; i < last; i++)
                {
                    importer.StartRow();
                    writer.WriteRow(importer, i, random);
                }

                await importer.CompleteAsync(cancellationToken);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(tasks);

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (writer.IdentityColumn is { } id)
            {
                await using var sequence = new NpgsqlCommand(
                    $"SELECT setval(pg_get_serial_sequence('{writer.Table}', '{id}'), (SELECT COALESCE(MAX({id}), 1) FROM {writer.Table}))", connection);
                await sequence.ExecuteScalarAsync(cancellationToken);
            }

            await using var analyze = new NpgsqlCommand($"ANALYZE {writer.Table}", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        return new BulkLoadResult(writer.Table, count, watch.Elapsed, streams);
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
