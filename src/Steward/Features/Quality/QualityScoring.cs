namespace Steward.Features.Quality;

/// <summary>One answer of a review: the value on the item's scale, or N/A (<see cref="Value"/> null), and a comment.</summary>
public sealed record QaAnswer(int? Value, bool Na = false, string? Comment = null);

/// <summary>The result of scoring: the review's score 0–100 (two decimals), whether a critical item failed, each item's score.</summary>
public sealed record QaScore(decimal Score, bool CriticalFailed, IReadOnlyDictionary<string, decimal> Items);

/// <summary>
/// The review score, as Zendesk QA computes it (with MaestroQA's bonus items), decision 0046:
/// <list type="number">
/// <item>an item's score = (selected − min) / (max − min) × 100 on its scale (yes/no 0–1: yes 100, no 0; 1–5: 4 → 75);</item>
/// <item>the review score = Σ(weight × item score) / Σ weight over the answered items that are neither N/A nor bonus
/// (an N/A item is left out of both sums; a weight-0 item counts nothing);</item>
/// <item>a bonus item adds weight × item score / 100 points on top (a weight-5 bonus fully met adds 5), capped at 100;</item>
/// <item>any critical item scoring below 50 % sets the review to 0, whatever the rest.</item>
/// </list>
/// Rounded half away from zero to two decimals at the end only.
/// </summary>
public static class QualityScoring
{
    public static decimal ItemScore(ScorecardItem item, int value)
    {
        var (min, max) = item.Range;
        return (value - min) * 100m / (max - min);
    }

    /// <summary>Scores answers already checked against the scorecard (every counted item answered, values on the scale).</summary>
    public static QaScore Score(ScorecardContent card, IReadOnlyDictionary<string, QaAnswer> answers)
    {
        var items = new Dictionary<string, decimal>(StringComparer.Ordinal);
        decimal weighted = 0, weights = 0, bonus = 0;
        var criticalFailed = false;
        foreach (var item in card.Items)
        {
            if (!answers.TryGetValue(item.Id, out var answer) || answer.Na || answer.Value is not { } value)
            {
                continue;
            }

            var score = ItemScore(item, value);
            items[item.Id] = score;
            if (item.Bonus)
            {
                bonus += item.Weight * score / 100m;
                continue;
            }

            weighted += item.Weight * score;
            weights += item.Weight;
            criticalFailed |= item.Critical && score < 50m;
        }

        var total = weights == 0 ? 0 : Math.Min(100m, weighted / weights + bonus);
        return new QaScore(criticalFailed ? 0 : Math.Round(total, 2, MidpointRounding.AwayFromZero), criticalFailed, items);
    }
}
