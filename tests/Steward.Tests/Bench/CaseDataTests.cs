using Steward.Bench.Data;
using Steward.Features.Cases;

namespace Steward.Tests.Bench;

/// <summary>The bench's case generator: repeatable, unique references, and search tokens identical to Steward's.</summary>
public sealed class CaseDataTests
{
    private static CaseUniverse Universe(long count, int seed = 2026)
    {
        var universe = new CaseUniverse(seed, count, new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));
        var branches = new[] { ("SH01", "Asia/Shanghai"), ("BJ01", "Asia/Shanghai"), ("SZ01", "Asia/Shanghai"), ("HZ01", "Asia/Shanghai"), ("LN01", "Europe/London") }
            .Select((b, i) =>
            {
                var s = 100 + (i * 10);
                return new CaseUniverse.BranchInfo(i + 1, b.Item1, b.Item2, 10 + (i * 3), 11 + (i * 3), 12 + (i * 3),
                    new(s, "agent1"), new(s + 1, "agent2"), new(s + 2, "lead"), new(s + 3, "backoffice"));
            }).ToList();
        universe.UseReferenceData(branches, [.. Enumerable.Range(1, 500).Select(i => (long)i)], [1, 2, 3]);
        return universe;
    }

    [Fact]
    public void Search_tokens_are_the_ones_Steward_writes()
    {
        var universe = Universe(3000);
        for (long i = 0; i < universe.Count; i += 7)
        {
            var texts = CaseSearchRowWriter.Texts(universe, i);
            Assert.Equal(CaseSearchText.IndexTokens(texts), SearchTokens.Index(texts));
        }

        string[] odd = ["ＡＢＣ１２３ 全角", "한국어 日本語のテキスト", "x" + new string('y', 100), "信", "", "emoji 😀 信用卡😀转账", "Ünïcödé straße İstanbul", "SV-20261123-000001 £1,234.56"];
        Assert.Equal(CaseSearchText.IndexTokens(odd), SearchTokens.Index(odd));
        foreach (var text in odd)
        {
            Assert.Equal(CaseSearchText.IndexTokens(text), SearchTokens.Index(text));
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_cases_and_references_are_unique()
    {
        var a = Universe(5000);
        var b = Universe(5000);
        var references = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < a.Count; i++)
        {
            var x = a.Attributes(i);
            Assert.Equal(x, b.Attributes(i));
            Assert.Equal(a.Reference(i), b.Reference(i));
            Assert.Matches(@"^SV-\d{8}-\d{6}$", a.Reference(i));
            Assert.True(references.Add(a.Reference(i)), a.Reference(i));
            Assert.True(x.UpdatedAt >= x.CreatedAt);
            Assert.True(x.CreatedAt <= a.Anchor);
            Assert.Equal(x.Status is "Submitted" or "UnderReview" or "InProgress", x.DueAt is not null);
            var events = a.Events(x, a.Messages(x, out _));
            Assert.Equal("Created", events[0].Type);
            Assert.True(events.Count <= CaseUniverse.EventStride);
        }

        Assert.Equal(a.Counters.Values.Sum(), a.Count);
        Assert.Equal(CaseSearchRowWriter.Tokens(a, 42), CaseSearchRowWriter.Tokens(b, 42));
        Assert.NotEqual(Universe(5000, seed: 7).Attributes(42), a.Attributes(42));
    }

    [Fact]
    public void About_a_tenth_of_cases_are_open_and_some_are_overdue()
    {
        var universe = Universe(20_000);
        var specs = Enumerable.Range(0, 20_000).Select(i => universe.Attributes(i)).ToList();
        var open = specs.Count(s => s.DueAt is not null);
        Assert.InRange(open / 20_000.0, 0.06, 0.15);
        Assert.InRange(specs.Count(s => s.DueAt < universe.Anchor) / (double)open, 0.02, 0.15);
        Assert.Contains(specs, s => s.Status == "Closed" && s.ClosedAt is not null);
        Assert.Contains(specs, s => s.Branch.Code == "LN01" && !s.Chinese);
    }
}
