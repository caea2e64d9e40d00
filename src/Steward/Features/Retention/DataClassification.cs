using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Features.Retention;

public sealed record ColumnClassDto(string Table, string Column, string Property, DataClass Class, Disposal Disposal);

public sealed record TableClassDto(string Table, string Entity, DataClass HighestClass, IReadOnlyList<ColumnClassDto> Columns);

/// <summary>A column of the model without a declaration in <see cref="DataClasses"/>, or a declaration naming no column.</summary>
public sealed record ClassificationGap(string Table, string Entity, string Property, string Column, bool Stale);

/// <summary>The data classification read against the EF model: every table and column with its class and disposal, and the gaps.</summary>
public sealed class DataClassification(StewardDbContext db)
{
    public IReadOnlyList<TableClassDto> Tables()
    {
        var tables = new List<TableClassDto>();
        foreach (var type in db.Model.GetEntityTypes().OrderBy(t => t.GetTableName(), StringComparer.Ordinal))
        {
            var columns = type.GetProperties()
                .Select(p => (p, d: DataClasses.For(type.ClrType, p.Name)))
                .Where(x => x.d is not null)
                .Select(x => new ColumnClassDto(type.GetTableName()!, x.p.GetColumnName(), x.p.Name, x.d!.Class, x.d.Disposal))
                .OrderBy(c => c.Class).ThenBy(c => c.Column, StringComparer.Ordinal).ToList();
            tables.Add(new TableClassDto(type.GetTableName()!, type.ClrType.Name, columns.Count > 0 ? columns.Min(c => c.Class) : DataClass.General, columns));
        }

        return tables;
    }

    /// <summary>Columns with no class, and declared properties the model no longer has (a rename left the old line behind).</summary>
    public IReadOnlyList<ClassificationGap> Gaps()
    {
        var gaps = new List<ClassificationGap>();
        foreach (var type in db.Model.GetEntityTypes())
        {
            var properties = type.GetProperties().ToList();
            gaps.AddRange(properties.Where(p => DataClasses.For(type.ClrType, p.Name) is null)
                .Select(p => new ClassificationGap(type.GetTableName()!, type.ClrType.Name, p.Name, p.GetColumnName(), Stale: false)));
            if (DataClasses.All.TryGetValue(type.ClrType, out var declared))
            {
                gaps.AddRange(declared.Keys.Where(k => properties.All(p => p.Name != k))
                    .Select(k => new ClassificationGap(type.GetTableName()!, type.ClrType.Name, k, "", Stale: true)));
            }
        }

        var modelTypes = db.Model.GetEntityTypes().Select(t => t.ClrType).ToHashSet();
        gaps.AddRange(DataClasses.All.Keys.Where(t => !modelTypes.Contains(t)).Select(t => new ClassificationGap("", t.Name, "*", "", Stale: true)));
        return gaps;
    }
}
