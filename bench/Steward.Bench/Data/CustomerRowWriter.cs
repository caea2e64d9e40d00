using Npgsql;
using NpgsqlTypes;

namespace Steward.Bench.Data;

/// <summary>
/// Customers (migrations 0001 and 0016). Names are Chinese, or English for London (LN01) customers. Personal-data
/// columns hold plausible placeholder cipher text (<c>v1:</c> + base64 of nonce ‖ cipher ‖ tag of the
/// right length, random bytes) and 64-hex blind indexes: the bench never decrypts them.
/// </summary>
public sealed class CustomerRowWriter : IRowWriter
{
    private static readonly string[] Tiers = ["Standard", "Silver", "Gold", "Platinum", "Private"];
    private static readonly double[] TierWeights = [0.55, 0.20, 0.15, 0.07, 0.03];
    private static readonly string[] RiskTolerances = ["Unassessed", "C1", "C2", "C3", "C4", "C5"];
    private static readonly DateTime Epoch = new(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private long[] branchIds = [];
    private long londonBranchId = -1;
    private long idBase;

    public string Table => "customers";

    public IReadOnlyList<string> Columns { get; } =
    [
        "id", "reference", "name", "id_number_cipher", "id_number_index", "phone_cipher", "phone_index", "email_cipher", "email_index",
        "tier", "risk_tolerance", "is_vulnerable", "home_branch_id", "version", "created_at", "updated_at",
        // The customer file (migration 0016): columns without a default. Individuals, KYC pending, no flags; constants, so
        // the generator's random sequence (and every figure compared across runs) is as before.
        "kind", "has_disability", "has_limited_capacity", "has_other_vulnerability", "kyc_status", "kyc_risk_rating",
    ];

    public string? IdentityColumn => "id";

    public async Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await using (var command = new NpgsqlCommand("SELECT id, code FROM branches ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
                if (reader.GetString(1) == "LN01")
                {
                    londonBranchId = reader.GetInt64(0);
                }
            }
        }

        if (ids.Count == 0)
        {
            throw new InvalidOperationException("No branches: the customers generator needs Steward's demo institution (Demo__Enabled=true).");
        }

        branchIds = [.. ids];
        await using var max = new NpgsqlCommand("SELECT COALESCE(MAX(id), 0) FROM customers", connection);
        idBase = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
    }

    public void WriteRow(NpgsqlBinaryImporter row, long index, Random random)
    {
        var id = idBase + index + 1;
        var branch = branchIds[random.Next(branchIds.Length)];
        var london = branch == londonBranchId && random.Next(20) != 0;
        row.Write(id, NpgsqlDbType.Bigint);
        row.Write("B-" + id.ToString("D9", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Varchar);
        row.Write(london ? Names.English(random) : Names.Chinese(random), NpgsqlDbType.Varchar);
        row.Write(Cipher(random, london ? 9 : 18), NpgsqlDbType.Varchar);
        row.Write(Index(random), NpgsqlDbType.Varchar);
        row.Write(Cipher(random, london ? 13 : 11), NpgsqlDbType.Varchar);
        row.Write(Index(random), NpgsqlDbType.Varchar);
        if (random.Next(3) == 0)
        {
            row.Write(Cipher(random, 24), NpgsqlDbType.Varchar);
            row.Write(Index(random), NpgsqlDbType.Varchar);
        }
        else
        {
            row.WriteNull();
            row.WriteNull();
        }

        row.Write(Weighted(random, Tiers, TierWeights), NpgsqlDbType.Varchar);
        row.Write(RiskTolerances[random.Next(RiskTolerances.Length)], NpgsqlDbType.Varchar);
        row.Write(random.NextDouble() < 0.05, NpgsqlDbType.Boolean);
        row.Write(branch, NpgsqlDbType.Bigint);
        row.Write(1, NpgsqlDbType.Integer);
        var created = Epoch.AddSeconds(random.NextInt64(8L * 365 * 86400));
        row.Write(created, NpgsqlDbType.TimestampTz);
        row.Write(created.AddSeconds(random.Next(86400 * 30)), NpgsqlDbType.TimestampTz);
        row.Write("Individual", NpgsqlDbType.Varchar);
        row.Write(false, NpgsqlDbType.Boolean);
        row.Write(false, NpgsqlDbType.Boolean);
        row.Write(false, NpgsqlDbType.Boolean);
        row.Write("Pending", NpgsqlDbType.Varchar);
        row.Write("Medium", NpgsqlDbType.Varchar);
    }

    /// <summary>"v1:" + base64(12-byte nonce ‖ cipher of <paramref name="plainLength"/> bytes ‖ 16-byte tag), as PersonalDataProtector writes.</summary>
    internal static string Cipher(Random random, int plainLength)
    {
        Span<byte> bytes = stackalloc byte[12 + plainLength + 16];
        random.NextBytes(bytes);
        return "v1:" + Convert.ToBase64String(bytes);
    }

    internal static string Index(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static string Weighted(Random random, string[] items, double[] weights)
    {
        var x = random.NextDouble();
        for (var i = 0; i < items.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return items[i];
            }
        }

        return items[^1];
    }
}
