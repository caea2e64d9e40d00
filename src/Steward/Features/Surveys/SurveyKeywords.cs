using System.Text.RegularExpressions;
using JiebaNet.Segmenter;

namespace Steward.Features.Surveys;

/// <summary>A word or a two-word phrase of the comments, how many comments use it, and which responses (for the drill-down).</summary>
public sealed record SurveyKeyword(string Term, bool IsPhrase, int Comments, int Occurrences, IReadOnlyList<long> ResponseIds);

/// <summary>
/// Comment analysis (decision 0054). Chinese comments are cut into words by jieba.NET (precise mode with its HMM for unknown
/// words); English comments by letters. Words of one character (Chinese) or under three letters (English), numbers and stop
/// words (jieba's list plus a few service words such as 服务/service that every comment has) are dropped. A term's weight is
/// the number of comments that use it (then its occurrences, then the term in ordinal order): a word one angry customer repeats
/// ten times does not outweigh a word three customers use. Phrases are two kept words next to each other in a comment.
/// The segmenter loads its 350 000-word dictionary once (about a second), on first use.
/// </summary>
public sealed partial class SurveyKeywords
{
    private static readonly string[] ExtraStopWords =
    [
        "服务", "感觉", "觉得", "还是", "就是", "比较", "有点", "一下", "这次", "今天", "银行", "我们", "你们", "他们", "非常", "真的", "没有", "可以", "已经", "一个", "什么",
        "service", "bank", "very", "really", "just", "would", "could", "also", "much", "get", "got", "one",
    ];

    private readonly Lazy<JiebaSegmenter> segmenter = new(() =>
    {
        ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "jieba");
        return new JiebaSegmenter();
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<HashSet<string>> stopWords = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "jieba", "stopwords.txt");
        var words = File.Exists(file) ? File.ReadAllLines(file).Select(l => l.Trim().TrimStart('\uFEFF')).Where(l => l.Length > 0) : [];
        return new HashSet<string>(words.Concat(ExtraStopWords), StringComparer.Ordinal);
    });

    /// <summary>The kept words of one comment, in order.</summary>
    public IReadOnlyList<string> Words(string text)
    {
        var stop = stopWords.Value;
        if (Cjk().IsMatch(text))
        {
            lock (segmenter)
            {
                return [.. segmenter.Value.Cut(text, cutAll: false, hmm: true).Select(w => w.Trim().ToLowerInvariant())
                    .Where(w => Cjk().IsMatch(w) ? w.Length >= 2 : w.Length >= 3 && w.All(char.IsAsciiLetter)).Where(w => !stop.Contains(w))];
            }
        }

        return [.. Latin().Matches(text.ToLowerInvariant()).Select(m => m.Value.Trim('\'')).Where(w => w.Length >= 3 && !stop.Contains(w))];
    }

    /// <summary>The top <paramref name="take"/> words and the top phrases (used by at least two comments) of these comments.</summary>
    public IReadOnlyList<SurveyKeyword> Top(IEnumerable<(long ResponseId, string Text)> comments, int take = 10)
    {
        var terms = new Dictionary<(string, bool), (HashSet<long> Ids, int Count)>();
        void Add(string term, bool phrase, long id)
        {
            var key = (term, phrase);
            (HashSet<long> Ids, int Count) entry = terms.TryGetValue(key, out var e) ? e : (new HashSet<long>(), 0);
            entry.Ids.Add(id);
            terms[key] = (entry.Ids, entry.Count + 1);
        }

        foreach (var (id, text) in comments)
        {
            var words = Words(text);
            for (var i = 0; i < words.Count; i++)
            {
                Add(words[i], false, id);
                if (i + 1 < words.Count && words[i] != words[i + 1])
                {
                    Add(Cjk().IsMatch(words[i]) ? words[i] + words[i + 1] : words[i] + " " + words[i + 1], true, id);
                }
            }
        }

        var ranked = terms.Where(t => !t.Key.Item2 || t.Value.Ids.Count >= 2)
            .Select(t => new SurveyKeyword(t.Key.Item1, t.Key.Item2, t.Value.Ids.Count, t.Value.Count, [.. t.Value.Ids.Order()]))
            .OrderByDescending(k => k.Comments).ThenByDescending(k => k.Occurrences).ThenBy(k => k.IsPhrase).ThenBy(k => k.Term, StringComparer.Ordinal).ToList();
        return [.. ranked.Where(k => !k.IsPhrase).Take(take), .. ranked.Where(k => k.IsPhrase).Take(Math.Max(1, take / 2))];
    }

    /// <summary>Whether a comment uses the term (a word or a phrase), as <see cref="Top"/> counted it.</summary>
    public bool Uses(string text, string term)
    {
        var words = Words(text);
        return words.Contains(term, StringComparer.Ordinal)
            || words.Zip(words.Skip(1), (a, b) => Cjk().IsMatch(a) ? a + b : a + " " + b).Contains(term, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"[a-z][a-z']*")]
    private static partial Regex Latin();
}
