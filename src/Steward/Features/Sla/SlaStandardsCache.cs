namespace Steward.Features.Sla;

/// <summary>What the standards' content is known by: every change made through Steward bumps a standard's version
/// (a new version), adds or removes a standard, or changes the selected preset.</summary>
public sealed record SlaStandardsStamp(long? Selected, long Count, long LastId, long Versions);

/// <summary>
/// The SLA standards with their versions and rules as last loaded, with the <see cref="SlaStandardsStamp"/> they were
/// loaded under. Safe across nodes: every resolution reads the stamp from the database, so a change on any node
/// applies to the next resolution everywhere.
/// </summary>
public sealed class SlaStandardsCache
{
    private volatile Entry? entry;

    public IReadOnlyList<SlaStandard>? Find(SlaStandardsStamp stamp) => entry is { } e && e.Stamp == stamp ? e.Standards : null;

    public void Store(SlaStandardsStamp stamp, IReadOnlyList<SlaStandard> standards) => entry = new Entry(stamp, standards);

    private sealed record Entry(SlaStandardsStamp Stamp, IReadOnlyList<SlaStandard> Standards);
}
