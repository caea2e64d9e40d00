using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Platform.Audit;

/// <summary>One field of an entry as a person reads it: its label and values in their language and time zone.</summary>
public sealed record AuditFieldRow(string Field, string Label, string? Before, string? After, AuditFieldAccess Access);

/// <summary>One entry as a person reads it (the page and the export).</summary>
public sealed record AuditRow(
    long Sequence, DateTimeOffset OccurredAt, string When, string Actor, AuditAction Action, string ActionLabel, string EntityType, string EntityLabel,
    string EntityId, string? CaseReference, IReadOnlyList<AuditFieldRow> Fields, bool Revealable, bool Revealed);

/// <summary>
/// Turns entries, already projected by <see cref="AuditVisibility"/>, into what a person reads: field names and enum
/// values from the string table (<c>audit.field.{Type}.{column}</c>, else <c>audit.field.{column}</c>, else the column
/// name in words), text columns marked <see cref="AuditValuesAttribute"/> name by name, instants in the reader's zone (their home branch's) with the offset, people, branches, teams, cases
/// and customers by name or reference instead of ids, and the actor by name.
/// </summary>
public sealed class AuditPresenter(StewardDbContext db, CurrentUser user, IStringLocalizer<SharedResource> l)
{
    /// <summary>String-table prefixes of the enums other pages already translate; other enums use <c>enum.{Type}.{Value}</c>.</summary>
    private static readonly Dictionary<string, string> EnumPrefixes = new(StringComparer.Ordinal)
    {
        ["CaseKind"] = "case.kind.",
        ["CaseChannel"] = "case.channel.",
        ["CasePriority"] = "case.priority.",
        ["CaseStatus"] = "case.status.",
        ["CaseWaiting"] = "case.waiting.",
        ["CaseCancelReason"] = "case.cancel.",
        ["AssignmentMode"] = "case.mode.",
        ["PriorityRuleType"] = "case.ruleType.",
        ["StaffRole"] = "role.",
        ["SlaUnit"] = "sla.unit.",
        ["SlaTargetType"] = "sla.target.",
        ["SlaLayer"] = "sla.layer.",
        ["SlaClockStatus"] = "sla.clock.status.",
        ["SlaStandardKind"] = "sla.std.kind.",
        ["IsoDayOfWeek"] = "sla.weekday.",
    };

    /// <summary>Entity type name → column → CLR type (nullable unwrapped) and place in the class's declaration, read from the model once.</summary>
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, (Type Type, int Order, AuditValuesAttribute? Values)>> Columns = new(StringComparer.Ordinal);

    private DateTimeZone? zone;

    /// <summary>The reader's time zone: their home branch's; UTC when it is unknown.</summary>
    public async Task<DateTimeZone> ZoneAsync(CancellationToken ct = default)
    {
        if (zone is not null)
        {
            return zone;
        }

        var id = user.StaffId is { } staffId
            ? await db.Set<Staff>().Where(s => s.Id == staffId).Join(db.Set<Branch>(), s => s.HomeBranchId, b => b.Id, (s, b) => b.TimeZone).SingleOrDefaultAsync(ct)
            : null;
        return zone = (id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)) ?? DateTimeZone.Utc;
    }

    /// <summary>The instant a day starts in the reader's zone (for date filters).</summary>
    public async Task<DateTimeOffset> StartOfDayAsync(DateOnly day, CancellationToken ct = default) =>
        (await ZoneAsync(ct)).AtStartOfDay(LocalDate.FromDateOnly(day)).ToDateTimeOffset().ToUniversalTime();

    public async Task<IReadOnlyList<AuditRow>> RowsAsync(AuditBatch batch, CancellationToken ct = default)
    {
        var readerZone = await ZoneAsync(ct);
        var chinese = Cultures.IsChinese(CultureInfo.CurrentUICulture);
        return batch.Views.Select(v =>
        {
            var e = v.Entry;
            // The entity id is shown beside the type; blind indexes are never shown to anyone; fields in the order the record declares them.
            var fields = v.Changes
                .Where(c => c.Field != "id" && AuditVisibility.KindOf(e.EntityType, c.Field) != AuditFieldKind.Internal)
                .OrderBy(c => ColumnOf(e.EntityType, c.Field)?.Order ?? int.MaxValue)
                .Select(c => new AuditFieldRow(c.Field, FieldLabel(e.EntityType, c.Field),
                    e.Action == AuditAction.Created ? null : Value(e.EntityType, c, c.Before, batch.Names, readerZone, chinese),
                    e.Action == AuditAction.Deleted ? null : Value(e.EntityType, c, c.After, batch.Names, readerZone, chinese), c.Access))
                .ToList();
            return new AuditRow(e.Sequence, e.OccurredAt, At(e.OccurredAt, readerZone), Actor(e, batch.Names), e.Action, l["audit.action." + e.Action],
                e.EntityType, EntityLabel(e.EntityType), e.EntityId, v.CaseId is { } c ? batch.Names.CaseReference(c) : null, fields, v.Revealable, v.Revealed);
        }).ToList();
    }

    public string EntityLabel(string entityType) => Found(l["audit.entity." + entityType]) ?? entityType;

    public string FieldLabel(string entityType, string field) =>
        Found(l[$"audit.field.{entityType}.{field}"]) ?? Found(l["audit.field." + field]) ?? field.Replace('_', ' ');

    /// <summary><c>2026-11-23 14:05:09 +08:00</c>: wall-clock time in the zone, to the second, with its offset.</summary>
    public static string At(DateTimeOffset instant, DateTimeZone zone)
    {
        var zoned = Instant.FromDateTimeOffset(instant).InZone(zone);
        return zoned.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", CultureInfo.InvariantCulture) + " " + zoned.Offset.ToString("m", CultureInfo.InvariantCulture);
    }

    /// <summary>The reader's zone as shown above the table, e.g. <c>Asia/Shanghai (+08:00)</c>.</summary>
    public async Task<string> ZoneLabelAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var readerZone = await ZoneAsync(ct);
        return $"{readerZone.Id} ({readerZone.GetUtcOffset(Instant.FromDateTimeOffset(now)).ToString("m", CultureInfo.InvariantCulture)})";
    }

    private string Actor(AuditEntry e, AuditNames names) => e.ActorId is { } id && names.Name(AuditReference.Staff, id, chinese: true) is { } name
        ? name
        : e.ActorName switch
        {
            "system" => l["audit.actor.system"],
            "anonymous" => l["audit.actor.anonymous"],
            var other => other,
        };

    private string? Value(string entityType, AuditFieldChange change, JsonNode? value, AuditNames names, DateTimeZone readerZone, bool chinese)
    {
        if (change.Access == AuditFieldAccess.Hidden)
        {
            return l["audit.hidden"];
        }

        if (value is not JsonValue v)
        {
            return value?.ToJsonString();
        }

        if (v.TryGetValue<string>(out var text))
        {
            if (change.Access == AuditFieldAccess.Masked)
            {
                return text;
            }

            if (text == AuditCollector.Redacted)
            {
                return l["audit.value.secret"];
            }

            var column = ColumnOf(entityType, change.Field);
            var type = column?.Type;
            if (column?.Values is { } values)
            {
                return values.Translate(text, key => Found(l[key]));
            }

            if (type == typeof(DateTimeOffset) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant))
            {
                return At(instant, readerZone);
            }

            if (type is { IsEnum: true })
            {
                return Found(l[EnumKey(type, text)]) ?? text;
            }

            return text;
        }

        if (v.TryGetValue<bool>(out var flag))
        {
            return l[flag ? "audit.value.yes" : "audit.value.no"];
        }

        if (v.TryGetValue<long>(out var id) && AuditNames.References.TryGetValue(change.Field, out var kind))
        {
            return names.Name(kind, id, chinese) ?? "#" + id.ToString(CultureInfo.InvariantCulture);
        }

        return v.ToJsonString();
    }

    /// <summary>The string-table key of an enum member's name.</summary>
    internal static string EnumKey(Type type, string member) => (EnumPrefixes.GetValueOrDefault(type.Name) ?? $"enum.{type.Name}.") + member;

    private (Type Type, int Order, AuditValuesAttribute? Values)? ColumnOf(string entityType, string column)
    {
        var columns = Columns.GetOrAdd(entityType, name =>
        {
            var entity = db.Model.GetEntityTypes().FirstOrDefault(t => t.ClrType.Name == name);
            if (entity is null)
            {
                return new Dictionary<string, (Type, int, AuditValuesAttribute?)>();
            }

            var declared = entity.ClrType.GetProperties().Select((p, i) => (p.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
            return entity.GetProperties().ToDictionary(
                p => Microsoft.EntityFrameworkCore.RelationalPropertyExtensions.GetColumnName(p),
                p => (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType, declared.GetValueOrDefault(p.Name, int.MaxValue),
                    p.PropertyInfo is { } info ? (AuditValuesAttribute?)Attribute.GetCustomAttribute(info, typeof(AuditValuesAttribute)) : null),
                StringComparer.Ordinal);
        });
        return columns.TryGetValue(column, out var found) ? found : null;
    }

    private static string? Found(LocalizedString s) => s.ResourceNotFound ? null : s.Value;
}
