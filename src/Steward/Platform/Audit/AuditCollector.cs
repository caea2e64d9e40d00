using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Steward.Platform.Database;

namespace Steward.Platform.Audit;

/// <summary>
/// A change captured before it is saved (the values before an update or delete are gone afterwards); a created row's
/// values and every entity id are read after the save (<see cref="AuditCollector.AfterSave"/>), once the database has
/// generated its keys.
/// </summary>
internal sealed record PendingAudit(EntityEntry Entry, AuditAction Action, JsonObject? Before, JsonObject? After);

internal static class AuditCollector
{
    public const string Redacted = "***";

    public static List<PendingAudit> Capture(ChangeTracker tracker)
    {
        var pending = new List<PendingAudit>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.Entity is not IAuditable)
            {
                continue;
            }

            switch (entry.State)
            {
                case EntityState.Added:
                    // Its values are read after the save: before it, keys the database generates are EF's temporary ones.
                    pending.Add(new PendingAudit(entry, AuditAction.Created, null, null));
                    break;
                case EntityState.Modified:
                    var after = Values(entry, current: true, onlyModified: true);
                    after.Remove("version");
                    after.Remove("updated_at");
                    if (after.Count > 0)
                    {
                        var before = Values(entry, current: false, onlyModified: true);
                        before.Remove("version");
                        before.Remove("updated_at");
                        pending.Add(new PendingAudit(entry, AuditAction.Updated, before, after));
                    }

                    break;
                case EntityState.Deleted:
                    pending.Add(new PendingAudit(entry, AuditAction.Deleted, Values(entry, current: false, onlyModified: false), null));
                    break;
                case EntityState.Detached:
                case EntityState.Unchanged:
                    break;
            }
        }

        return pending;
    }

    /// <summary>
    /// Completes the captured changes once the business rows are written: a created row's values, with the id and
    /// foreign keys the database generated rather than EF's temporary keys. Call it right after the save that wrote
    /// them, before anything else changes the rows, and before the entries are appended.
    /// </summary>
    public static List<PendingAudit> AfterSave(List<PendingAudit> pending)
    {
        for (var i = 0; i < pending.Count; i++)
        {
            if (pending[i] is { Action: AuditAction.Created, After: null } created)
            {
                pending[i] = created with { After = Values(created.Entry, current: true, onlyModified: false) };
            }
        }

        return pending;
    }

    private static JsonObject Values(EntityEntry entry, bool current, bool onlyModified)
    {
        var values = new JsonObject();
        var ownAccount = entry.Entity is Identity.Staff staff && entry.Context is StewardDbContext db && db.CurrentActor.StaffId == staff.Id;
        foreach (var property in entry.Properties)
        {
            if ((onlyModified && !property.IsModified) || (ownAccount && PropertyMarkers.Has<AccountBookkeepingAttribute>(property.Metadata.PropertyInfo)))
            {
                continue;
            }

            var name = property.Metadata.GetColumnName();
            var redacted = PropertyMarkers.Has<AuditRedactedAttribute>(property.Metadata.PropertyInfo);
            var value = current ? property.CurrentValue : property.OriginalValue;
            values[name] = redacted ? (value is null ? null : Redacted) : ToJson(value);
        }

        return values;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        DateTimeOffset instant => JsonValue.Create(instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        Enum e => JsonValue.Create(e.ToString()),
        _ => JsonSerializer.SerializeToNode(value),
    };
}
