namespace Steward.Features.Quality;

/// <summary>Landis &amp; Koch (1977)'s words for a kappa: below 0 poor, 0–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, 0.81–1 almost perfect.</summary>
public enum KappaBand
{
    Poor,
    Slight,
    Fair,
    Moderate,
    Substantial,
    AlmostPerfect,
}

/// <summary>
/// A kappa with what it was computed from: <see cref="Subjects"/> rated by <see cref="Raters"/> each; <see cref="Observed"/> is
/// p_o (Cohen) or P̄ (Fleiss), <see cref="Expected"/> p_e or P̄_e. <see cref="OneCategory"/>: every rating fell in one
/// category (p_e = 1), where the formula is 0/0 — reported as agreement 1.
/// </summary>
public sealed record KappaResult(double Kappa, int Subjects, int Raters, double Observed, double Expected, bool OneCategory)
{
    public KappaBand Band => QualityKappa.BandOf(Kappa);
}

/// <summary>
/// Agreement between raters who put each subject in one category (decision 0049). No database, no state.
/// <para>
/// <b>Cohen's kappa</b> (two raters, N subjects): p_o = (subjects both put in the same category) / N;
/// p_e = Σ_k (n_1k / N)(n_2k / N), n_rk the subjects rater r put in category k; κ = (p_o − p_e) / (1 − p_e).
/// </para>
/// <para>
/// <b>Fleiss' kappa</b> (n ≥ 2 raters on every subject, N subjects, n_ij the raters who put subject i in category j):
/// p_j = Σ_i n_ij / (N·n); P_i = (Σ_j n_ij² − n) / (n(n − 1)); P̄ = Σ_i P_i / N; P̄_e = Σ_j p_j²; κ = (P̄ − P̄_e) / (1 − P̄_e).
/// </para>
/// When p_e (or P̄_e) = 1 every rater used one and the same category for every subject: the raters agree perfectly, and κ is
/// reported as 1 with <see cref="KappaResult.OneCategory"/> set (the formula itself is 0/0).
/// </summary>
public static class QualityKappa
{
    /// <summary>Cohen's kappa of two raters' categories, pairwise by subject.</summary>
    public static KappaResult Cohen(IReadOnlyList<(string A, string B)> pairs)
    {
        var n = pairs.Count;
        if (n == 0)
        {
            return new KappaResult(double.NaN, 0, 2, double.NaN, double.NaN, false);
        }

        var po = pairs.Count(p => p.A == p.B) / (double)n;
        var first = pairs.GroupBy(p => p.A).ToDictionary(g => g.Key, g => g.Count());
        var second = pairs.GroupBy(p => p.B).ToDictionary(g => g.Key, g => g.Count());
        var pe = first.Sum(f => f.Value / (double)n * (second.GetValueOrDefault(f.Key) / (double)n));
        return Finish(po, pe, n, 2);
    }

    /// <summary>Fleiss' kappa from the count table: <paramref name="counts"/>[i][j] = raters who put subject i in category j (the same number of raters on every subject).</summary>
    public static KappaResult Fleiss(IReadOnlyList<IReadOnlyList<int>> counts)
    {
        var subjects = counts.Count;
        if (subjects == 0)
        {
            return new KappaResult(double.NaN, 0, 0, double.NaN, double.NaN, false);
        }

        var raters = counts[0].Sum();
        if (raters < 2 || counts.Any(row => row.Sum() != raters))
        {
            throw new ArgumentException("Fleiss' kappa needs the same number (≥ 2) of raters on every subject.", nameof(counts));
        }

        var categories = counts.Max(row => row.Count);
        var pj = new double[categories];
        double pBar = 0;
        foreach (var row in counts)
        {
            double squares = 0;
            for (var j = 0; j < row.Count; j++)
            {
                pj[j] += row[j];
                squares += row[j] * (double)row[j];
            }

            pBar += (squares - raters) / (raters * (raters - 1.0));
        }

        pBar /= subjects;
        var pe = pj.Sum(p => Math.Pow(p / (subjects * (double)raters), 2));
        return Finish(pBar, pe, subjects, raters);
    }

    /// <summary>
    /// The kappa of one set of ratings: <paramref name="ratings"/>[i] = the category each rater (in the same order) gave subject i.
    /// Two raters: Cohen's; three or more: Fleiss'.
    /// </summary>
    public static KappaResult Of(IReadOnlyList<IReadOnlyList<string>> ratings)
    {
        if (ratings.Count == 0)
        {
            return new KappaResult(double.NaN, 0, 0, double.NaN, double.NaN, false);
        }

        if (ratings[0].Count == 2)
        {
            return Cohen([.. ratings.Select(r => (r[0], r[1]))]);
        }

        var categories = ratings.SelectMany(r => r).Distinct().Order(StringComparer.Ordinal).ToList();
        return Fleiss([.. ratings.Select(r => (IReadOnlyList<int>)[.. categories.Select(c => r.Count(x => x == c))])]);
    }

    public static KappaBand BandOf(double kappa) => kappa switch
    {
        < 0 => KappaBand.Poor,
        <= 0.205 => KappaBand.Slight,
        <= 0.405 => KappaBand.Fair,
        <= 0.605 => KappaBand.Moderate,
        <= 0.805 => KappaBand.Substantial,
        _ => KappaBand.AlmostPerfect,
    };

    private static KappaResult Finish(double observed, double expected, int subjects, int raters) =>
        expected >= 1 - 1e-12
            ? new KappaResult(1, subjects, raters, observed, expected, true)
            : new KappaResult((observed - expected) / (1 - expected), subjects, raters, observed, expected, false);
}
