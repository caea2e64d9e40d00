namespace Steward.Platform.Audit;

/// <summary>
/// Marks a string column that holds names from a fixed list (an enum kept as text, or a list or path of them), so the
/// audit log shows each name in the reader's language: <c>{prefix}{name}</c> from the string tables, the stored name
/// when the table has none. With one prefix every part uses it; with several, part <c>i</c> uses prefix <c>i</c>.
/// <c>*</c> (any) is shown as it is. Columns of an enum type need no attribute (<see cref="AuditPresenter"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditValuesAttribute(params string[] prefixes) : Attribute
{
    public IReadOnlyList<string> Prefixes { get; } = prefixes;

    /// <summary>What separates the parts of a stored value (default <c>,</c>).</summary>
    public string Separator { get; init; } = ",";

    /// <summary>The value in the reader's words; <paramref name="text"/> gives a key's text, or null when there is none.</summary>
    public string Translate(string value, Func<string, string?> text)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(text);
        if (value.Length == 0 || Prefixes.Count == 0)
        {
            return value;
        }

        var parts = value.Split(Separator);
        if (Prefixes.Count > 1 && parts.Length != Prefixes.Count)
        {
            return value;
        }

        var joiner = Separator == "," ? ", " : Separator;
        return string.Join(joiner, parts.Select((p, i) =>
        {
            var name = p.Trim();
            return name is "" or "*" ? name : text(Prefixes[Math.Min(i, Prefixes.Count - 1)] + name) ?? name;
        }));
    }
}
