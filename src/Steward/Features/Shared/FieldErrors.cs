using Steward.Platform.Problems;

namespace Steward.Features.Shared;

/// <summary>
/// The messages of an <see cref="InvalidError"/> that belong to one field of a form, so a page shows each next to its
/// field (and marks the field invalid) instead of only in a list above the form.
/// </summary>
public static class FieldErrors
{
    public static IReadOnlyList<string> For(Error? error, params string[] keys) =>
        error is InvalidError { Fields: { } fields }
            ? [.. keys.SelectMany(k => fields.TryGetValue(k, out var messages) ? messages : [])]
            : [];

    /// <summary><c>is-invalid</c> when the field has a message, for its class attribute.</summary>
    public static string Class(IReadOnlyList<string> messages) => messages.Count > 0 ? "is-invalid" : "";
}
