using System.Text;

namespace Steward.Bench.Data;

/// <summary>
/// The token text Steward writes into <c>case_search.tokens</c>, replicated from
/// <c>Steward.Features.Cases.CaseSearchText.IndexTokens</c> (the bench does not reference Steward's
/// assembly: it starts the built Steward.dll as a separate process). NFKC, runs of CJK characters
/// become their single characters and overlapping bigrams, everything else lower-cased words of
/// letters and digits cut at 60 characters; distinct, in first-seen order, space-separated.
/// <c>tests/Steward.Tests/Bench/SearchTokensTests.cs</c> checks it against Steward's own on generated texts.
/// </summary>
public static class SearchTokens
{
    public static string Index(params string?[] texts)
    {
        var tokens = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        var cjk = new List<string>();
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
            {
                if (IsCjk(rune))
                {
                    FlushWord(word, seen, tokens);
                    cjk.Add(rune.ToString());
                }
                else if (Rune.IsLetterOrDigit(rune))
                {
                    FlushCjk(cjk, seen, tokens);
                    word.Append(Rune.ToLowerInvariant(rune).ToString());
                }
                else
                {
                    FlushWord(word, seen, tokens);
                    FlushCjk(cjk, seen, tokens);
                }
            }

            FlushWord(word, seen, tokens);
            FlushCjk(cjk, seen, tokens);
        }

        return string.Join(' ', tokens);
    }

    public static bool IsCjk(Rune r) => r.Value is
        (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0x3040 and <= 0x30FF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0x20000 and <= 0x3134F);

    private static void FlushWord(StringBuilder word, HashSet<string> seen, List<string> tokens)
    {
        if (word.Length > 0)
        {
            Emit(word.Length > 60 ? word.ToString(0, 60) : word.ToString(), seen, tokens);
            word.Clear();
        }
    }

    private static void FlushCjk(List<string> run, HashSet<string> seen, List<string> tokens)
    {
        if (run.Count == 0)
        {
            return;
        }

        foreach (var c in run)
        {
            Emit(c, seen, tokens);
        }

        for (var i = 0; i + 1 < run.Count; i++)
        {
            Emit(run[i] + run[i + 1], seen, tokens);
        }

        run.Clear();
    }

    private static void Emit(string token, HashSet<string> seen, List<string> tokens)
    {
        if (seen.Add(token))
        {
            tokens.Add(token);
        }
    }
}
