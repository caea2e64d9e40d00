using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>The survey versions: the ones in force, a survey's history, publishing the next version.</summary>
public sealed class SurveyDefinitions(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    /// <summary>The version in force of every survey (its highest number), active or not, by code.</summary>
    public async Task<IReadOnlyList<SurveyDefinitionDto>> CurrentAsync(CancellationToken ct = default)
    {
        var rows = await CurrentRows().OrderBy(d => d.Code).ToListAsync(ct);
        return [.. rows.Select(ToDto)];
    }

    /// <summary>Every version of survey <paramref name="code"/>, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<SurveyDefinitionDto>>> HistoryAsync(string code, CancellationToken ct = default)
    {
        var rows = await db.Set<SurveyDefinition>().AsNoTracking().Where(d => d.Code == code).OrderByDescending(d => d.Number).ToListAsync(ct);
        return rows.Count == 0 ? new SurveyNotFound(code) : rows.Select(ToDto).ToList();
    }

    /// <summary>The versions in force and active that follow <paramref name="trigger"/> for a case of this kind and channel, by code.</summary>
    /// <summary>The surveys in force for a trigger whose kinds and channels admit the event's (an event without a kind, a queue visit, passes the kind filter).</summary>
    public async Task<IReadOnlyList<SurveyDefinition>> MatchingAsync(SurveyTrigger trigger, CaseKind? kind, CaseChannel? channel, CancellationToken ct)
    {
        var rows = await CurrentRows().Where(d => d.IsActive && d.TriggerEvent == trigger).OrderBy(d => d.Code).ToListAsync(ct);
        return [.. rows.Where(d => (d.KindList.Count == 0 || kind is null || d.KindList.Contains(kind.Value.ToString()))
            && (d.ChannelList.Count == 0 || channel is null || d.ChannelList.Contains(channel.Value.ToString())))];
    }

    public async Task<Outcome<SurveyDefinitionDto>> PublishAsync(SurveyPublishRequest r, CancellationToken ct = default)
    {
        var errors = SurveyContent.Check(r.Content);
        var code = r.Code?.Trim().ToLowerInvariant() ?? "";
        if (code.Length is 0 or > 40 || !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors["code"] = ["Give the survey a code of lower-case letters, digits and - (at most 40). 请填写问卷代码（小写字母、数字和 -，最多 40 个字符）。"];
        }

        if (string.IsNullOrWhiteSpace(r.Name) || string.IsNullOrWhiteSpace(r.NameEn) || r.Name.Length > 200 || r.NameEn.Length > 200)
        {
            errors["name"] = ["Give the name in Chinese and in English (at most 200 characters each). 请填写中英文名称（各不超过 200 个字符）。"];
        }

        if (r.Trigger is null)
        {
            errors["trigger"] = ["Choose the event that sends the survey. 请选择触发问卷的事件。"];
        }

        var kinds = Names<CaseKind>(errors, "kinds", r.Kinds);
        var channels = Names<CaseChannel>(errors, "channels", r.Channels);
        if (r.DelayMinutes is not (>= 0 and <= 43200))
        {
            errors["delayMinutes"] = ["The delay is 0 to 43 200 minutes (30 days). 延迟为 0 至 43200 分钟（30 天）。"];
        }

        if (r.ExpiryDays is not (>= 1 and <= 90))
        {
            errors["expiryDays"] = ["The link stays open 1 to 90 days. 链接有效期为 1 至 90 天。"];
        }

        if (errors.Count > 0)
        {
            return new SurveyDefinitionInvalid(errors);
        }

        var current = await db.Set<SurveyDefinition>().Where(d => d.Code == code).MaxAsync(d => (int?)d.Number, ct);
        if (current != r.BasedOn)
        {
            return current is { } c ? new SurveyVersionChanged(c) : new SurveyNotFound(code);
        }

        var row = new SurveyDefinition
        {
            Code = code, Number = (current ?? 0) + 1, Name = r.Name!.Trim(), NameEn = r.NameEn!.Trim(), ContentJson = r.Content!.ToJson(),
            TriggerEvent = r.Trigger!.Value, Kinds = string.Join(',', kinds), Channels = string.Join(',', channels), DelayMinutes = r.DelayMinutes!.Value,
            ExpiryDays = r.ExpiryDays!.Value, IsActive = r.IsActive, PublishedAt = time.GetUtcNow(), PublishedById = user.StaffId,
        };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two publishers of the same next number: the unique (code, number) lets one win.
            return new SurveyVersionChanged(row.Number);
        }

        return ToDto(row);
    }

    internal static SurveyDefinitionDto ToDto(SurveyDefinition d) => new(
        d.Id, d.Code, d.Number, d.Name, d.NameEn, SurveyContent.Parse(d.ContentJson), d.TriggerEvent, d.KindList, d.ChannelList, d.DelayMinutes, d.ExpiryDays,
        d.IsActive, d.PublishedAt);

    private IQueryable<SurveyDefinition> CurrentRows() =>
        db.Set<SurveyDefinition>().AsNoTracking().Where(d => d.Number == db.Set<SurveyDefinition>().Where(x => x.Code == d.Code).Max(x => x.Number));

    private static List<string> Names<T>(Dictionary<string, string[]> errors, string field, IReadOnlyList<string>? given)
        where T : struct, Enum
    {
        var names = new List<string>();
        foreach (var value in given ?? [])
        {
            if (!Enum.TryParse<T>(value, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || value.Trim().All(char.IsAsciiDigit))
            {
                errors[field] = [$"Unknown value “{value}”; one of {string.Join(", ", Enum.GetNames<T>())}. 未知取值“{value}”。"];
                return [];
            }

            if (!names.Contains(parsed.ToString()))
            {
                names.Add(parsed.ToString());
            }
        }

        return names;
    }
}
