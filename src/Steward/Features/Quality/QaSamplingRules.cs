namespace Steward.Features.Quality;

/// <summary>
/// The targeted rules a sampling plan may name, by code. Case rules pick every matching case of the pool; staff rules flag a
/// staff member and pick <see cref="QualitySamplingPlan.TargetedPerStaff"/> of their cases at random.
/// </summary>
public static class QaSamplingRules
{
    /// <summary>The case's customer is 65 or older on the period's last day (their birth date on the customer file).</summary>
    public const string Aged65 = "customer-65";

    /// <summary>The case is about an R4/R5 product, or its staff member recorded a suitability decision for an R4/R5 product for the case's customer in the period.</summary>
    public const string HighRiskProduct = "r4-r5-product";

    /// <summary>Resolved in less than <see cref="QualityOptions.FastResolutionPercent"/> % of the pool's median handling time (created → resolved).</summary>
    public const string FastResolution = "fast-resolution";

    /// <summary>The staff member's account was created within 90 days before the period's end (their first 90 days).</summary>
    public const string NewStaff = "new-staff";

    /// <summary>A complaint received in the period names the staff member (subject or seller), or a survey response in the period about them is a detractor (NPS 0–6).</summary>
    public const string ComplaintOrDetractor = "complaint-or-detractor";

    public static readonly IReadOnlyList<string> All = [Aged65, HighRiskProduct, FastResolution, NewStaff, ComplaintOrDetractor];

    public static readonly IReadOnlyList<string> StaffRules = [NewStaff, ComplaintOrDetractor];
}

/// <summary>One case of a draw's pool: the staff member who handled it and which case rules it meets.</summary>
public sealed record QaPoolCase(long CaseId, long StaffId, IReadOnlyList<string> Rules);

/// <summary>One case picked, and why.</summary>
public sealed record QaPick(long CaseId, long StaffId, QaSampleReason Reason, string? Rule);

/// <summary>
/// The draw itself, with no database: the same pool, plan figures and seed always pick the same cases (the pool is ordered by
/// case id first and the generator is <see cref="SplitMix64"/>, the same on every platform and version). In order:
/// 1. every case meeting a case rule (Targeted, the first of the plan's rules it meets);
/// 2. for each flagged staff member of a staff rule, up to <c>perStaff</c> of their remaining cases at random (Targeted);
/// 3. for each staff member with fewer than <c>minimum</c> picked, more of their remaining cases at random up to it (StaffMinimum);
/// 4. round(percent × remaining / 100), half away from zero, of the remaining cases at random (Random).
/// </summary>
public static class QaSampleSelection
{
    public static IReadOnlyList<QaPick> Select(
        IEnumerable<QaPoolCase> pool, IReadOnlyList<string> rules, IReadOnlyDictionary<string, IReadOnlySet<long>> flaggedStaff,
        int minimum, int perStaff, decimal percent, long seed)
    {
        var cases = pool.OrderBy(c => c.CaseId).ToList();
        var rng = new SplitMix64(seed);
        var picks = new List<QaPick>();
        var taken = new HashSet<long>();
        foreach (var c in cases)
        {
            if (rules.FirstOrDefault(r => c.Rules.Contains(r)) is { } rule)
            {
                picks.Add(new QaPick(c.CaseId, c.StaffId, QaSampleReason.Targeted, rule));
                taken.Add(c.CaseId);
            }
        }

        var byStaff = cases.GroupBy(c => c.StaffId).OrderBy(g => g.Key).ToList();
        foreach (var rule in rules.Where(r => QaSamplingRules.StaffRules.Contains(r)))
        {
            var flagged = flaggedStaff.GetValueOrDefault(rule);
            foreach (var g in byStaff.Where(g => flagged is not null && flagged.Contains(g.Key)))
            {
                Take(g, perStaff, QaSampleReason.Targeted, rule);
            }
        }

        foreach (var g in byStaff)
        {
            var have = picks.Count(p => p.StaffId == g.Key);
            Take(g, minimum - have, QaSampleReason.StaffMinimum, null);
        }

        var rest = cases.Where(c => !taken.Contains(c.CaseId)).ToList();
        var count = (int)Math.Round(rest.Count * percent / 100m, MidpointRounding.AwayFromZero);
        Take(rest, count, QaSampleReason.Random, null);
        return picks;

        void Take(IEnumerable<QaPoolCase> from, int n, QaSampleReason reason, string? rule)
        {
            var left = from.Where(c => !taken.Contains(c.CaseId)).ToList();
            n = Math.Min(n, left.Count);
            // A partial Fisher–Yates shuffle: the first n places get a uniformly chosen case each.
            for (var i = 0; i < n; i++)
            {
                var j = i + (int)rng.Next((ulong)(left.Count - i));
                (left[i], left[j]) = (left[j], left[i]);
                picks.Add(new QaPick(left[i].CaseId, left[i].StaffId, reason, rule));
                taken.Add(left[i].CaseId);
            }
        }
    }
}

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a small generator whose sequence is fixed by its seed alone.</summary>
public sealed class SplitMix64(long seed)
{
    private ulong state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        // Wrapping arithmetic is the algorithm (the project checks overflow elsewhere).
        unchecked
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A number in [0, bound), without modulo bias (rejection of the top remainder).</summary>
    public ulong Next(ulong bound)
    {
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong x;
        do
        {
            x = NextUInt64();
        }
        while (x >= limit);
        return x % bound;
    }
}
