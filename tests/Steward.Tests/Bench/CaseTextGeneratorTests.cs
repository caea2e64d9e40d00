using Steward.Bench.Data;

namespace Steward.Tests.Bench;

public sealed class CaseTextGeneratorTests
{
    [Fact]
    public void Same_seed_gives_the_same_texts()
    {
        var a = new Random(2026);
        var b = new Random(2026);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(CaseTextGenerator.Case(a, i % 2 == 0), CaseTextGenerator.Case(b, i % 2 == 0));
            Assert.Equal(CaseTextGenerator.Reply(a, i % 3 == 0), CaseTextGenerator.Reply(b, i % 3 == 0));
        }
    }

    [Fact]
    public void Texts_contain_words_a_search_can_find()
    {
        var random = new Random(1);
        var texts = Enumerable.Range(0, 2000).Select(i => CaseTextGenerator.Case(random, i % 2 == 0)).ToList();
        foreach (var word in new[] { "信用卡", "转账", "理财", "挂失", "利率", "transfer", "mortgage", "statement" })
        {
            Assert.Contains(texts, t => (t.Subject + t.Description).Contains(word, StringComparison.OrdinalIgnoreCase));
        }

        foreach (var text in texts)
        {
            var topic = CaseTextGenerator.Topics.Single(t => t.Key == text.Topic);
            var words = text.Chinese ? topic.ZhWords : topic.EnWords;
            Assert.Contains(words, w => text.Description.Contains(w, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Chunk_seeds_are_stable_and_distinct()
    {
        Assert.Equal(BulkLoader.StableSeed(2026, "customers", 3), BulkLoader.StableSeed(2026, "customers", 3));
        Assert.NotEqual(BulkLoader.StableSeed(2026, "customers", 3), BulkLoader.StableSeed(2026, "customers", 4));
        Assert.NotEqual(BulkLoader.StableSeed(2026, "customers", 3), BulkLoader.StableSeed(2026, "cases", 3));
        Assert.NotEqual(BulkLoader.StableSeed(2026, "customers", 3), BulkLoader.StableSeed(2027, "customers", 3));
    }
}
