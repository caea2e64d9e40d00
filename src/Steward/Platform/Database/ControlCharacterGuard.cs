using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Steward.Platform.Problems;

namespace Steward.Platform.Database;

/// <summary>
/// The line behind <see cref="Api.InputGuard"/>: no text column is written with a control character other than tab, CR
/// and LF (<see cref="InputRejection.IsRefused"/>), whatever way the text came in (the guard sees requests; an uploaded
/// file's content, an import or a future path it does not). PostgreSQL refuses U+0000 (a 500 after the work was done)
/// and SQLite stores it; this refuses both alike before any statement is sent, with <see cref="RefusedTextException"/>,
/// which the exception handler answers as a 400 naming the column. Only values being written are looked at: added
/// rows, and the modified columns of changed rows. Steward's own serialized text (audit changes, stored responses)
/// is JSON, where such characters are always escaped.
/// </summary>
internal sealed class ControlCharacterGuard : SaveChangesInterceptor
{
    public static readonly ControlCharacterGuard Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        foreach (var entry in context?.ChangeTracker.Entries() ?? [])
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is string text && (entry.State == EntityState.Added || property.IsModified)
                    && InputRejection.FirstRefused(text) is { } c)
                {
                    throw new RefusedTextException($"{entry.Metadata.ClrType.Name}.{property.Metadata.Name}", c);
                }
            }
        }
    }
}

/// <summary>Text with a refused control character was about to be written to <see cref="Column"/> (<c>Entity.Property</c>); nothing was.</summary>
public sealed class RefusedTextException(string column, char character)
    : InvalidOperationException($"{column} would have been written with the control character U+{(int)character:X4}.")
{
    public string Column { get; } = column;

    public char Character { get; } = character;
}
