using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>A figure with its sample size and 95 % confidence interval; <see cref="SmallSample"/> when fewer than 30 responses stand behind it.</summary>
public sealed record SurveyFigure(double? Value, int N, double? Low, double? High)
{
    public const int SmallSampleBelow = 30;

    public bool SmallSample => N < SmallSampleBelow;
}

/// <summary>The three figures of one segment, its responses and the invitations sent in it (for the response rate).</summary>
public sealed record SurveySegment(string Key, string Label, int Responses, int Sent, double? ResponseRate, SurveyFigure Csat, SurveyFigure Nps, SurveyFigure Effort);

public sealed record SurveyAnalysisResult(string By, DateOnly From, DateOnly To, SurveySegment Total, IReadOnlyList<SurveySegment> Segments);

/// <summary>Segments of the analysis: branch, team, staff member, month (of the response, UTC), case channel, case kind, product.</summary>
public enum SurveyAnalysisDimension
{
    Branch,
    Team,
    Staff,
    Month,
    Channel,
    Kind,
    Product,
}

public sealed record SurveyAnalysisQuery
{
    public SurveyAnalysisDimension? By { get; init; }

    /// <summary>First day (UTC), default 90 days before today.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day (UTC, inclusive), default today.</summary>
    public DateOnly? To { get; init; }

    public long? BranchId { get; init; }

    /// <summary>For the comment drill-down: one segment's key (as in <see cref="SurveySegment.Key"/>).</summary>
    public string? Segment { get; init; }

    /// <summary>For the comment drill-down: the responses whose comment uses this word or phrase.</summary>
    public string? Term { get; init; }
}

/// <summary>The top words and phrases of one segment's comments.</summary>
public sealed record SurveySegmentKeywords(string Key, string Label, int CommentCount, IReadOnlyList<SurveyKeyword> Keywords);

/// <summary>One comment of the drill-down, with its scores and the follow-up it opened.</summary>
public sealed record SurveyComment(long ResponseId, DateTimeOffset SubmittedAt, string SegmentKey, string Text, int? Csat, int? Nps, int? Effort, long? FollowUpCaseId);

public sealed record SurveyKeywordsResult(string By, DateOnly From, DateOnly To, IReadOnlyList<SurveySegmentKeywords> Segments, IReadOnlyList<SurveyComment> Comments);

/// <summary>
/// The formulas, one place (decision 0043). CSAT % = share of CSAT answers of 4 or 5, with the Wilson score interval.
/// NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100, with the normal interval of a difference of two shares of
/// one sample: ± 1.96 · 100 · √((p + d − (p − d)²) / n). Effort = the mean of 1–7 answers ± 1.96 · s / √n (s the sample standard
/// deviation; no interval from one answer). z = 1.96.
/// </summary>
public static class SurveyStatistics
{
    private const double Z = 1.96;

    public static SurveyFigure Csat(IReadOnlyCollection<int> scores)
    {
        var n = scores.Count;
        if (n == 0)
        {
            return new SurveyFigure(null, 0, null, null);
        }

        var p = scores.Count(s => s >= 4) / (double)n;
        var denominator = 1 + Z * Z / n;
        var centre = (p + Z * Z / (2 * n)) / denominator;
        var half = Z * Math.Sqrt(p * (1 - p) / n + Z * Z / (4.0 * n * n)) / denominator;
        return new SurveyFigure(100 * p, n, 100 * (centre - half), 100 * (centre + half));
    }

    public static SurveyFigure Nps(IReadOnlyCollection<int> scores)
    {
        var n = scores.Count;
        if (n == 0)
        {
            return new SurveyFigure(null, 0, null, null);
        }

        var promoters = scores.Count(s => s >= 9) / (double)n;
        var detractors = scores.Count(s => s <= 6) / (double)n;
        var nps = promoters - detractors;
        var half = Z * Math.Sqrt((promoters + detractors - nps * nps) / n);
        return new SurveyFigure(100 * nps, n, Math.Max(-100, 100 * (nps - half)), Math.Min(100, 100 * (nps + half)));
    }

    public static SurveyFigure Effort(IReadOnlyCollection<int> scores)
    {
        var n = scores.Count;
        if (n == 0)
        {
            return new SurveyFigure(null, 0, null, null);
        }

        var mean = scores.Average();
        if (n == 1)
        {
            return new SurveyFigure(mean, 1, null, null);
        }

        var sd = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (n - 1));
        var half = Z * sd / Math.Sqrt(n);
        return new SurveyFigure(mean, n, mean - half, mean + half);
    }
}

/// <summary>CSAT, NPS and effort by segment within the reader's branches (decision 0043 for the formulas).</summary>
public sealed class SurveyAnalysis(StewardDbContext db, CaseService cases, SurveyKeywords keywords, TimeProvider time)
{
    public async Task<Outcome<SurveyAnalysisResult>> AnalyseAsync(SurveyAnalysisQuery q, bool chinese, CancellationToken ct = default)
    {
        if (Period(q) is not ({ } from, { } to))
        {
            return Problems.Invalid("to", "The period runs from “from” to “to”, at most ten years. 期间须从 from 到 to，最长十年。");
        }

        var (responses, invitations) = await ScopeAsync(from, to, q.BranchId, ct);
        var by = q.By ?? SurveyAnalysisDimension.Branch;
        // Aggregated in the database (decision 0055): one row per segment and score triple, and the invitations sent per segment;
        // the formulas then run over the counts, never over the responses themselves.
        List<Tally> tallies;
        Dictionary<string, int> sentByKey;
        if (by == SurveyAnalysisDimension.Month)
        {
            (tallies, sentByKey) = ([], new Dictionary<string, int>(StringComparer.Ordinal));
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (var month = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); month < end; month = month.AddMonths(1))
            {
                var (a, b) = (month < start ? start : month, month.AddMonths(1) > end ? end : month.AddMonths(1));
                var key = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                tallies.AddRange((await responses.Where(r => r.SubmittedAt >= a && r.SubmittedAt < b).GroupBy(r => new { r.Csat, r.Nps, r.Effort })
                    .Select(g => new { g.Key.Csat, g.Key.Nps, g.Key.Effort, N = g.Count() }).ToListAsync(ct)).Select(t => new Tally(key, t.Csat, t.Nps, t.Effort, t.N)));
                if (await invitations.CountAsync(i => i.SendAt >= a && i.SendAt < b, ct) is > 0 and var sentInMonth)
                {
                    sentByKey[key] = sentInMonth;
                }
            }
        }
        else
        {
            tallies = [.. (await Counts(responses, by).ToListAsync(ct)).Select(c => new Tally(KeyOf(c.Id, c.Channel, c.Kind, by), c.Csat, c.Nps, c.Effort, c.N))];
            sentByKey = (await Sent(invitations, by).ToListAsync(ct)).GroupBy(c => KeyOf(c.Id, c.Channel, c.Kind, by)).ToDictionary(g => g.Key, g => g.Sum(c => c.N), StringComparer.Ordinal);
        }

        var labels = await LabelsAsync(by, chinese, ct);
        var segments = tallies.GroupBy(t => t.Key).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Segment(g.Key, labels.GetValueOrDefault(g.Key, g.Key), g.ToList(), sentByKey.GetValueOrDefault(g.Key))).ToList();
        var total = Segment("", chinese ? "合计" : "Total", tallies, sentByKey.Values.Sum());
        return new SurveyAnalysisResult(by.ToString(), from, to, total, segments);
    }

    /// <summary>
    /// The comments (free-text answers) of the period by segment with their top words and phrases (<see cref="SurveyKeywords"/>);
    /// with <see cref="SurveyAnalysisQuery.Term"/> also the comments that use it (in <see cref="SurveyAnalysisQuery.Segment"/> when given).
    /// </summary>
    public async Task<Outcome<SurveyKeywordsResult>> KeywordsAsync(SurveyAnalysisQuery q, bool chinese, CancellationToken ct = default)
    {
        if (Period(q) is not ({ } from, { } to))
        {
            return Problems.Invalid("to", "The period runs from “from” to “to”, at most ten years. 期间须从 from 到 to，最长十年。");
        }

        var (responses, _) = await ScopeAsync(from, to, q.BranchId, ct);
        var by = q.By ?? SurveyAnalysisDimension.Branch;
        var freeText = (await db.Set<SurveyDefinition>().AsNoTracking().Select(d => new { d.Id, d.ContentJson }).ToListAsync(ct))
            .ToDictionary(d => d.Id, d => SurveyContent.Parse(d.ContentJson).Questions.Where(x => x.Type == SurveyQuestionType.FreeText).Select(x => x.Id).ToHashSet());
        // Only responses with a free-text answer are read (the answers' JSON names the question: "comment":[…]); decision 0055.
        var withText = WithAnyKey(freeText.Values.SelectMany(ids => ids).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
        if (withText is null)
        {
            return new SurveyKeywordsResult(by.ToString(), from, to, [], []);
        }

        var rows = await responses.Where(withText).OrderByDescending(r => r.SubmittedAt).Take(20000)
            .Select(r => new { r.Id, r.DefinitionId, r.AnswersJson, r.SubmittedAt, r.Csat, r.Nps, r.Effort, r.FollowUpCaseId, Row = new Row(r.BranchId, r.TeamId, r.StaffId, r.Channel, r.Kind, r.ProductId, r.SubmittedAt, r.Csat, r.Nps, r.Effort) })
            .ToListAsync(ct);
        var comments = new List<SurveyComment>();
        foreach (var r in rows)
        {
            var answers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string[]>>(r.AnswersJson) ?? [];
            var text = string.Join(" ", answers.Where(a => freeText.GetValueOrDefault(r.DefinitionId)?.Contains(a.Key) == true).SelectMany(a => a.Value)).Trim();
            if (text.Length > 0)
            {
                comments.Add(new SurveyComment(r.Id, r.SubmittedAt, KeyOf(r.Row, by), text, r.Csat, r.Nps, r.Effort, r.FollowUpCaseId));
            }
        }

        var labels = await LabelsAsync(by, chinese, ct);
        var segments = comments.GroupBy(c => c.SegmentKey).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SurveySegmentKeywords(g.Key, labels.GetValueOrDefault(g.Key, g.Key), g.Count(), keywords.Top(g.Select(c => (c.ResponseId, c.Text)), 8))).ToList();
        var drill = string.IsNullOrWhiteSpace(q.Term) ? [] : comments.Where(c => (q.Segment is null || c.SegmentKey == q.Segment) && keywords.Uses(c.Text, q.Term.Trim().ToLowerInvariant())).Take(200).ToList();
        return new SurveyKeywordsResult(by.ToString(), from, to, segments, drill);
    }

    /// <summary><c>r => r.AnswersJson.Contains("\"id\":") || …</c> over the free-text question ids (null when no survey has one).</summary>
    private static System.Linq.Expressions.Expression<Func<SurveyResponse, bool>>? WithAnyKey(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return null;
        }

        var r = System.Linq.Expressions.Expression.Parameter(typeof(SurveyResponse), "r");
        var json = System.Linq.Expressions.Expression.Property(r, nameof(SurveyResponse.AnswersJson));
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        var body = ids.Select(id => (System.Linq.Expressions.Expression)System.Linq.Expressions.Expression.Call(json, contains, System.Linq.Expressions.Expression.Constant(System.Text.Json.JsonSerializer.Serialize(id) + ":")))
            .Aggregate(System.Linq.Expressions.Expression.OrElse);
        return System.Linq.Expressions.Expression.Lambda<Func<SurveyResponse, bool>>(body, r);
    }

    /// <summary>The period asked for (default the last 90 days to today, UTC days); null when it runs backwards or over ten years.</summary>
    private (DateOnly? From, DateOnly? To) Period(SurveyAnalysisQuery q)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (from, to) = (q.From ?? today.AddDays(-90), q.To ?? today);
        return to < from || to.DayNumber - from.DayNumber > 3660 ? (null, null) : (from, to);
    }

    /// <summary>The period's responses and sent invitations within the reader's branches (and the one branch asked for).</summary>
    private async Task<(IQueryable<SurveyResponse> Responses, IQueryable<SurveyInvitation> Invitations)> ScopeAsync(DateOnly from, DateOnly to, long? branchId, CancellationToken ct)
    {
        var viewer = await cases.ViewerAsync(ct);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var responses = db.Set<SurveyResponse>().AsNoTracking().Where(r => r.SubmittedAt >= start && r.SubmittedAt < end);
        var invitations = db.Set<SurveyInvitation>().AsNoTracking().Where(i => i.Status != SurveyInvitationStatus.Suppressed && i.SendAt >= start && i.SendAt < end);
        if (!viewer.AllBranches)
        {
            var ids = viewer.BranchIds.ToList();
            responses = responses.Where(r => ids.Contains(r.BranchId));
            invitations = invitations.Where(i => ids.Contains(i.BranchId));
        }

        if (branchId is { } oneBranch)
        {
            responses = responses.Where(r => r.BranchId == oneBranch);
            invitations = invitations.Where(i => i.BranchId == oneBranch);
        }

        return (responses, invitations);
    }

    private static SurveySegment Segment(string key, string label, IReadOnlyCollection<Tally> tallies, int sent)
    {
        var responses = tallies.Sum(t => t.N);
        List<int> Scores(Func<Tally, int?> score) => [.. tallies.Where(t => score(t) is not null).SelectMany(t => Enumerable.Repeat(score(t)!.Value, t.N))];
        return new(key, label, responses, sent, sent > 0 ? 100.0 * responses / sent : null,
            SurveyStatistics.Csat(Scores(t => t.Csat)), SurveyStatistics.Nps(Scores(t => t.Nps)), SurveyStatistics.Effort(Scores(t => t.Effort)));
    }

    /// <summary>Responses counted by segment (the dimension's column) and score triple, in the database.</summary>
    private static IQueryable<Count> Counts(IQueryable<SurveyResponse> q, SurveyAnalysisDimension by) => by switch
    {
        SurveyAnalysisDimension.Branch => q.GroupBy(r => new { K = (long?)r.BranchId, r.Csat, r.Nps, r.Effort }).Select(g => new Count(g.Key.K, null, null, g.Key.Csat, g.Key.Nps, g.Key.Effort, g.Count())),
        SurveyAnalysisDimension.Team => q.GroupBy(r => new { K = r.TeamId, r.Csat, r.Nps, r.Effort }).Select(g => new Count(g.Key.K, null, null, g.Key.Csat, g.Key.Nps, g.Key.Effort, g.Count())),
        SurveyAnalysisDimension.Staff => q.GroupBy(r => new { K = r.StaffId, r.Csat, r.Nps, r.Effort }).Select(g => new Count(g.Key.K, null, null, g.Key.Csat, g.Key.Nps, g.Key.Effort, g.Count())),
        SurveyAnalysisDimension.Product => q.GroupBy(r => new { K = r.ProductId, r.Csat, r.Nps, r.Effort }).Select(g => new Count(g.Key.K, null, null, g.Key.Csat, g.Key.Nps, g.Key.Effort, g.Count())),
        SurveyAnalysisDimension.Channel => q.GroupBy(r => new { K = r.Channel, r.Csat, r.Nps, r.Effort }).Select(g => new Count(null, g.Key.K, null, g.Key.Csat, g.Key.Nps, g.Key.Effort, g.Count())),
        SurveyAnalysisDimension.Kind => q.GroupBy(r => new { K = r.Kind, r.Csat, r.Nps, r.Effort }).Select(g => new Count(null, null, g.Key.K, g.Key.Csat, g.Key.Nps, g.Key.Effort, g.Count())),
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };

    /// <summary>Invitations sent counted by segment, in the database.</summary>
    private static IQueryable<Count> Sent(IQueryable<SurveyInvitation> q, SurveyAnalysisDimension by) => by switch
    {
        SurveyAnalysisDimension.Branch => q.GroupBy(i => (long?)i.BranchId).Select(g => new Count(g.Key, null, null, null, null, null, g.Count())),
        SurveyAnalysisDimension.Team => q.GroupBy(i => i.TeamId).Select(g => new Count(g.Key, null, null, null, null, null, g.Count())),
        SurveyAnalysisDimension.Staff => q.GroupBy(i => i.StaffId).Select(g => new Count(g.Key, null, null, null, null, null, g.Count())),
        SurveyAnalysisDimension.Product => q.GroupBy(i => i.ProductId).Select(g => new Count(g.Key, null, null, null, null, null, g.Count())),
        SurveyAnalysisDimension.Channel => q.GroupBy(i => i.Channel).Select(g => new Count(null, g.Key, null, null, null, null, g.Count())),
        SurveyAnalysisDimension.Kind => q.GroupBy(i => i.Kind).Select(g => new Count(null, null, g.Key, null, null, null, g.Count())),
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };

    private static string KeyOf(long? id, CaseChannel? channel, CaseKind? kind, SurveyAnalysisDimension by) => by switch
    {
        SurveyAnalysisDimension.Channel => channel?.ToString() ?? "-",
        SurveyAnalysisDimension.Kind => kind?.ToString() ?? "-",
        _ => Id(id),
    };

    private static string KeyOf(Row r, SurveyAnalysisDimension by) => by switch
    {
        SurveyAnalysisDimension.Branch => Id(r.BranchId),
        SurveyAnalysisDimension.Team => Id(r.TeamId),
        SurveyAnalysisDimension.Staff => Id(r.StaffId),
        SurveyAnalysisDimension.Month => r.At.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        SurveyAnalysisDimension.Channel => r.Channel?.ToString() ?? "-",
        SurveyAnalysisDimension.Kind => r.Kind?.ToString() ?? "-",
        SurveyAnalysisDimension.Product => Id(r.ProductId),
    };

    private static string Id(long? id) => id?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private async Task<Dictionary<string, string>> LabelsAsync(SurveyAnalysisDimension by, bool chinese, CancellationToken ct) => by switch
    {
        SurveyAnalysisDimension.Branch => await db.Set<Branch>().AsNoTracking().ToDictionaryAsync(b => Id(b.Id), b => chinese || b.NameEn.Length == 0 ? b.Name : b.NameEn, ct),
        SurveyAnalysisDimension.Team => await db.Set<Team>().AsNoTracking().ToDictionaryAsync(t => Id(t.Id), t => chinese || t.NameEn.Length == 0 ? t.Name : t.NameEn, ct),
        SurveyAnalysisDimension.Staff => await db.Set<Staff>().AsNoTracking().ToDictionaryAsync(s => Id(s.Id), s => s.DisplayName, ct),
        SurveyAnalysisDimension.Product => await db.Set<Products.Product>().AsNoTracking().ToDictionaryAsync(p => Id(p.Id), p => chinese || p.NameEn.Length == 0 ? p.Name : p.NameEn, ct),
        SurveyAnalysisDimension.Month or SurveyAnalysisDimension.Channel or SurveyAnalysisDimension.Kind => new Dictionary<string, string>(),
    };

    /// <summary>How many responses of one segment (by id, channel or kind) gave one score triple; or how many invitations were sent in it.</summary>
    private sealed record Count(long? Id, CaseChannel? Channel, CaseKind? Kind, int? Csat, int? Nps, int? Effort, int N);

    private sealed record Tally(string Key, int? Csat, int? Nps, int? Effort, int N);

    private sealed record Row(long BranchId, long? TeamId, long? StaffId, CaseChannel? Channel, CaseKind? Kind, long? ProductId, DateTimeOffset At, int? Csat, int? Nps, int? Effort);
}
