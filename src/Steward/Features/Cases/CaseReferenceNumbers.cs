using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Steward.Features.Organisation;
using Steward.Platform.Database;

namespace Steward.Features.Cases;

/// <summary>Hands out case references, one counter per day.</summary>
public sealed class CaseReferenceNumbers(StewardDbContext db, IOptions<CaseOptions> options)
{
    /// <summary>
    /// <c>SV-yyyyMMdd-NNNNNN</c>: the day in the branch's zone and that day's counter. PostgreSQL: the counter is
    /// advanced in its own tiny transaction on a second pooled connection (one round trip), so the row lock that
    /// serialises every create of the day is held for one statement instead of the whole create; a rolled-back
    /// create leaves a gap (docs/decisions/0008-cases-idempotency-and-references.md). Its commit need not wait for the
    /// WAL flush: the case's own commit comes later in the WAL, so a committed case always has a durable counter.
    /// SQLite: inside the create's transaction (the database's single writer; a rollback gives the number back).
    /// </summary>
    public async Task<string> NextAsync(Branch branch, DateTimeOffset now, CancellationToken ct)
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(branch.TimeZone) ?? NodaTime.DateTimeZone.Utc;
        var day = NodaTime.Instant.FromDateTimeOffset(now).InZone(zone).Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var number = db.IsPostgres ? await NextNumberOutsideAsync(day, ct) : await NextNumberAsync(day, ct);
        return $"{options.Value.ReferencePrefix}-{day}-{number.ToString("D6", CultureInfo.InvariantCulture)}";
    }

    private async Task<long> NextNumberOutsideAsync(string day, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var batch = new Npgsql.NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("BEGIN"),
                new("SET LOCAL synchronous_commit = off"),
                new("""
                    INSERT INTO case_reference_counters (day, last_value) VALUES ($1, 1)
                    ON CONFLICT (day) DO UPDATE SET last_value = case_reference_counters.last_value + 1
                    RETURNING last_value
                    """) { Parameters = { new() { Value = day } } },
                new("COMMIT"),
            },
        };
        long number = 0;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                while (await reader.ReadAsync(ct))
                {
                    number = reader.GetInt64(0);
                }
            }
            while (await reader.NextResultAsync(ct));
        }

        return number > 0 ? number : throw new InvalidOperationException("The reference counter returned no number.");
    }

    /// <summary>SQLite: advances the day's counter (the transaction holds the database's single write lock).</summary>
    private async Task<long> NextNumberAsync(string day, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            INSERT INTO case_reference_counters (day, last_value) VALUES (@day, 1)
            ON CONFLICT (day) DO UPDATE SET last_value = case_reference_counters.last_value + 1
            RETURNING last_value
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@day";
        parameter.Value = day;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
