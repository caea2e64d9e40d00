using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Background;
using Steward.Platform.Database;

namespace Steward.Platform.Security;

/// <summary>Bound from <c>Security:PersonalData:Reencryption</c>.</summary>
public sealed class PersonalDataReencryptionOptions
{
    public const string Section = "Security:PersonalData:Reencryption";

    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 5;

    /// <summary>Rows of one entity type rewritten per pass.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>An entity type's columns that hold personal data encrypted by <see cref="PersonalDataProtector"/>, registered by its feature.</summary>
public sealed record PersonalDataColumns(Type EntityType, IReadOnlyList<string> Properties);

/// <summary>How many stored values are under each key, per column, and which key is active: what an operator watches during a rotation.</summary>
public sealed record PersonalDataKeyReport(string ActiveKeyId, IReadOnlyList<PersonalDataColumnReport> Columns, long Stale);

public sealed record PersonalDataColumnReport(string Entity, string Property, IReadOnlyDictionary<string, long> ByKey);

public static class PersonalDataColumnsSetup
{
    /// <summary>Registers <typeparamref name="T"/>'s encrypted columns for re-encryption and the key report.</summary>
    public static IServiceCollection AddPersonalDataColumns<T>(this IServiceCollection services, params Expression<Func<T, string?>>[] properties)
        where T : class =>
        services.AddSingleton(new PersonalDataColumns(typeof(T), [.. properties.Select(p => ((MemberExpression)p.Body).Member.Name)]));
}

/// <summary>
/// Rewrites personal data stored under an older key under the active one, a batch per entity type a pass, until none is
/// left (docs/decisions/0031). Each value is replaced by a compare-and-set on the value itself (<c>WHERE id = … AND column
/// = old cipher</c>): a value a person changed meanwhile is left alone (it is already under the active key), no version is
/// bumped (a form open on the row stays valid) and no audit entry is written per row — re-encryption changes how a value
/// is stored, not what it is; each pass that rewrote values logs how many. Blind indexes do not change.
/// </summary>
public sealed class PersonalDataReencryption(
    StewardDbContext db, PersonalDataProtector protector, IEnumerable<PersonalDataColumns> registered,
    Microsoft.Extensions.Options.IOptions<PersonalDataReencryptionOptions> options, ILogger<PersonalDataReencryption> logger)
{
    public const string JobName = "personal-data-reencryption";

    /// <summary>One pass; returns how many values were rewritten.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var rewritten = 0;
        foreach (var columns in registered)
        {
            rewritten += await (Task<int>)typeof(PersonalDataReencryption).GetMethod(nameof(PassAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(columns.EntityType).Invoke(this, [columns.Properties, ct])!;
        }

        if (rewritten > 0)
        {
            logger.LogInformation("Re-encrypted {Count} personal-data values under key {Key}", rewritten, protector.ActiveKeyId);
        }

        return rewritten;
    }

    /// <summary>Values per key for every registered column, counted in the database by prefix.</summary>
    public async Task<PersonalDataKeyReport> ReportAsync(CancellationToken ct = default)
    {
        var columns = new List<PersonalDataColumnReport>();
        foreach (var c in registered)
        {
            foreach (var property in c.Properties)
            {
                var entity = db.Model.FindEntityType(c.EntityType)!;
                var table = entity.GetTableName()!;
                var column = entity.FindProperty(property)!.GetColumnName();
                // The key id is the text between "v2:" and the next ':' ("1" for "v1:"); the distinct ids found in SQL, then counted.
                var keyId = db.Database.IsNpgsql()
                    ? $"CASE WHEN {column} LIKE 'v1:%' THEN '1' ELSE split_part({column}, ':', 2) END"
                    : $"CASE WHEN {column} LIKE 'v1:%' THEN '1' ELSE substr({column}, 4, instr(substr({column}, 4), ':') - 1) END";
                // Table and column names come from the EF model, never from input.
                var sql = "SELECT DISTINCT " + keyId + " AS \"Value\" FROM " + table + " WHERE " + column + " IS NOT NULL";
                var ids = await db.Database.SqlQueryRaw<string>(sql).ToListAsync(ct);
                var counts = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    var prefix = PersonalDataProtector.PrefixOf(id);
                    counts[id] = await CountAsync(c.EntityType, property, prefix, ct);
                }

                columns.Add(new PersonalDataColumnReport(c.EntityType.Name, property, counts));
            }
        }

        return new PersonalDataKeyReport(protector.ActiveKeyId, columns, columns.Sum(c => c.ByKey.Where(k => k.Key != protector.ActiveKeyId).Sum(k => k.Value)));
    }

    private async Task<int> PassAsync<T>(IReadOnlyList<string> properties, CancellationToken ct)
        where T : class
    {
        var prefix = protector.ActivePrefix;
        var e = Expression.Parameter(typeof(T), "e");
        Expression? stale = null;
        foreach (var p in properties)
        {
            // e.P != null && !e.P.StartsWith(prefix)
            var value = Expression.Property(e, p);
            var one = Expression.AndAlso(Expression.NotEqual(value, Expression.Constant(null, typeof(string))),
                Expression.Not(Expression.Call(value, typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!, Expression.Constant(prefix))));
            stale = stale is null ? one : Expression.OrElse(stale, one);
        }

        var rows = await db.Set<T>().AsNoTracking().Where(Expression.Lambda<Func<T, bool>>(stale!, e))
            .OrderBy(x => EF.Property<long>(x, "Id")).Take(options.Value.BatchSize).ToListAsync(ct);
        var rewritten = 0;
        foreach (var row in rows)
        {
            var id = (long)typeof(T).GetProperty("Id")!.GetValue(row)!;
            foreach (var p in properties)
            {
                var old = (string?)typeof(T).GetProperty(p)!.GetValue(row);
                if (!protector.IsStale(old))
                {
                    continue;
                }

                if (!protector.CanDecrypt(old!))
                {
                    // Written by a node that knows a key this one does not: during a rollout, every node must know the new
                    // key before any makes it active (docs/operations.md).
                    logger.LogWarning("{Entity} {Id}: {Property} is under key {Key}, which this node does not have", typeof(T).Name, id, p, PersonalDataProtector.KeyIdOf(old!));
                    continue;
                }

                var fresh = protector.Reencrypt(old);
                rewritten += await db.Set<T>()
                    .Where(x => EF.Property<long>(x, "Id") == id && EF.Property<string>(x, p) == old)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<string>(x, p), fresh), ct);
            }
        }

        return rewritten;
    }

    private Task<long> CountAsync(Type entity, string property, string prefix, CancellationToken ct) =>
        (Task<long>)typeof(PersonalDataReencryption).GetMethod(nameof(CountOfAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(entity).Invoke(this, [property, prefix, ct])!;

    private Task<long> CountOfAsync<T>(string property, string prefix, CancellationToken ct)
        where T : class =>
        db.Set<T>().LongCountAsync(x => EF.Property<string>(x, property).StartsWith(prefix), ct);
}

public static class PersonalDataEndpoints
{
    public static void MapPersonalDataEndpoints(this IEndpointRouteBuilder api) =>
        api.MapGet("/admin/personal-data/keys", async (PersonalDataReencryption work, CancellationToken ct) => TypedResults.Ok(await work.ReportAsync(ct)))
            .WithTags("Administration").RequireAuthorization(Identity.IdentitySetup.Policy(Identity.Permission.OrganisationManage))
            .WithSummary("The active personal-data key and, per encrypted column, how many values are stored under each key; stale = values the re-encryption job has still to rewrite.");
}
