namespace Steward.Platform.Database;

/// <summary>
/// A row people change. <see cref="Version"/> is the optimistic-concurrency token: it starts at 1
/// and goes up by one on every saved change, and an update based on an older version is refused.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>Rows that record when they were created and last changed (UTC instants).</summary>
public interface ITimestamped
{
    DateTimeOffset CreatedAt { get; set; }

    DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Rows whose every change is written to the audit log.</summary>
public interface IAuditable
{
    long Id { get; }
}

/// <summary>Marks a property whose value never appears in the audit log (secrets, cipher text).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditRedactedAttribute : Attribute;

/// <summary>
/// Marks bookkeeping that changes without a person editing the row (failed sign-in counters, last
/// sign-in time): changing only such properties does not raise <see cref="IVersioned.Version"/>, so it
/// never makes someone else's edit of the row stale.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotVersionedAttribute : Attribute;

/// <summary>
/// Whether a mapped property carries a marker attribute (<see cref="NotVersionedAttribute"/>, <see cref="AuditRedactedAttribute"/>),
/// read by reflection once per property: every save asks for every changed property, and the reflection lookup
/// was the largest single item of Steward's own code in a profile of case intake.
/// </summary>
public static class PropertyMarkers
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(System.Reflection.PropertyInfo, Type), bool> Cache = new();

    public static bool Has<TAttribute>(System.Reflection.PropertyInfo? property)
        where TAttribute : Attribute =>
        property is not null && Cache.GetOrAdd((property, typeof(TAttribute)), key => Attribute.IsDefined(key.Item1, key.Item2));
}
