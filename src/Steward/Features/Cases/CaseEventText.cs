using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Steward.Features.Cases;

/// <summary>
/// The structured detail of a timeline event: a code and string parameters, stored as
/// <see cref="CaseEvent.DetailCode"/> and <see cref="CaseEvent.DetailParameters"/>, and translated when
/// shown. Parameters named in <see cref="Translated"/> hold enum member names and are shown in the
/// reader's language; the others (people, teams, references, file names) are shown as they are.
/// </summary>
public static class CaseEventText
{
    public const string Created = "created";
    public const string Assigned = "assigned";
    public const string AssignedAuto = "assigned-auto";
    public const string AssignedTeam = "assigned-team";
    public const string Released = "released";
    public const string Waiting = "waiting";
    public const string Cancelled = "cancelled";
    public const string Priority = "priority";
    public const string Reclassified = "reclassified";
    public const string Linked = "linked";
    public const string MergedInto = "merged-into";
    public const string MergedFrom = "merged-from";
    public const string Attachment = "attachment";

    /// <summary>The parameters of each code, in the order the string table's placeholders {0}, {1}, … use them.</summary>
    private static readonly Dictionary<string, string[]> Parameters = new(StringComparer.Ordinal)
    {
        [Created] = ["kind", "channel", "priority"],
        [Assigned] = ["staff"],
        [AssignedAuto] = ["staff", "mode"],
        [AssignedTeam] = ["team", "staff"],
        [Released] = [],
        [Waiting] = ["fromWaiting", "toWaiting"],
        [Cancelled] = ["cancelReason"],
        [Priority] = ["fromPriority", "toPriority"],
        [Reclassified] = ["fromKind", "toKind", "fromPriority", "toPriority"],
        [Linked] = ["reference"],
        [MergedInto] = ["reference"],
        [MergedFrom] = ["reference"],
        [Attachment] = ["file"],
    };

    /// <summary>Parameter name → string-table prefix of the enum it holds.</summary>
    private static readonly Dictionary<string, string> Translated = new(StringComparer.Ordinal)
    {
        ["kind"] = "case.kind.",
        ["fromKind"] = "case.kind.",
        ["toKind"] = "case.kind.",
        ["channel"] = "case.channel.",
        ["priority"] = "case.priority.",
        ["fromPriority"] = "case.priority.",
        ["toPriority"] = "case.priority.",
        ["mode"] = "case.mode.",
        ["fromWaiting"] = "case.waiting.",
        ["toWaiting"] = "case.waiting.",
        ["cancelReason"] = "case.cancel.",
    };

    public static IReadOnlyCollection<string> Codes => Parameters.Keys;

    /// <summary>The parameters as stored (a JSON object), or null when there are none.</summary>
    public static string? Serialize(IReadOnlyDictionary<string, string>? parameters) =>
        parameters is null || parameters.Count == 0 ? null : JsonSerializer.Serialize(parameters);

    public static IReadOnlyDictionary<string, string> Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>
    /// The event's detail in the reader's language: the code's text with its parameters (enum
    /// members translated), else the stored free text of an older event, else null.
    /// </summary>
    public static string? Describe(IStringLocalizer l, CaseEventDto e)
    {
        if (e.DetailCode is not { } code || !Parameters.TryGetValue(code, out var names))
        {
            return string.IsNullOrEmpty(e.Detail) ? null : e.Detail;
        }

        var values = names.Select(name =>
        {
            var value = e.DetailParameters?.GetValueOrDefault(name) ?? "—";
            return Translated.TryGetValue(name, out var prefix) && value != "—" ? l[prefix + value].Value : value;
        }).ToArray<object>();
        return l["case.detail." + code, values].Value;
    }
}
