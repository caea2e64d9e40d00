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
    public const string AssignedTo = "assigned-to";
    public const string Reassigned = "reassigned";
    public const string ReassignedPerson = "reassigned-person";
    public const string Unassigned = "unassigned";
    public const string ToQueue = "to-queue";
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
        [AssignedTo] = ["staff", "team"],
        [Reassigned] = ["fromStaff", "staff", "team"],
        [ReassignedPerson] = ["fromStaff", "staff"],
        [Unassigned] = ["fromStaff", "team"],
        [ToQueue] = ["team"],
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

    /// <summary>
    /// The code and parameters of an assignment by someone (a team lead): from whom (null: nobody) to whom (null: the
    /// team's queue), with the team's names in both languages (<c>team</c>, <c>teamEn</c>) so it reads as a sentence in the reader's.
    /// </summary>
    public static (string Code, Dictionary<string, string> Parameters) Assignment(string? from, string? to, string? team, string? teamEn)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (from is not null)
        {
            parameters["fromStaff"] = from;
        }

        if (to is not null)
        {
            parameters["staff"] = to;
        }

        if (team is not null)
        {
            parameters["team"] = team;
            parameters["teamEn"] = string.IsNullOrWhiteSpace(teamEn) ? team : teamEn;
        }

        var code = (from, to, team) switch
        {
            (null, not null, not null) => AssignedTo,
            (null, not null, null) => Assigned,
            (not null, not null, not null) => Reassigned,
            (not null, not null, null) => ReassignedPerson,
            (not null, null, not null) => Unassigned,
            (null, null, not null) => ToQueue,
            _ => Released,
        };
        return (code, parameters);
    }

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
            if (name == "team" && !Platform.Localization.Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture)
                && e.DetailParameters?.GetValueOrDefault("teamEn") is { Length: > 0 } english)
            {
                value = english;
            }

            return Translated.TryGetValue(name, out var prefix) && value != "—" ? l[prefix + value].Value : value;
        }).ToArray<object>();
        return l["case.detail." + code, values].Value;
    }
}
