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
    /// <summary>The demo's institution rules (a subset) and the PRC preset's complaint resolution, as the database holds them.</summary>
    private static SlaClockRowWriter.Rule[] Rules() =>
    [
        Rule(1, "Institution", null, null, "FirstResponse", 8, "BusinessHours"),
        Rule(2, "Institution", null, null, "Resolution", 5, "BusinessDays", "WaitingOnCustomer,WaitingOnThirdParty"),
        Rule(3, "Institution", null, "Urgent", "FirstResponse", 2, "BusinessHours"),
        Rule(4, "Institution", "Consultation", null, "FirstResponse", 4, "BusinessHours"),
        Rule(5, "Institution", "Complaint", null, "FirstResponse", 24, "CalendarHours"),
        Rule(6, "Institution", "Complaint", null, "Plan", 72, "CalendarHours"),
        Rule(7, "Institution", "Complaint", null, "Resolution", 30, "CalendarDays", "WaitingOnCustomer"),
        Rule(8, "Regulatory", "Complaint", null, "Resolution", 15, "CalendarDays"),
    ];

    private static SlaClockRowWriter.Rule Rule(long id, string layer, string? kind, string? priority, string type, int amount, string unit, string pauses = "") =>
        new(layer == "Institution" ? 1 : 2, layer == "Institution" ? "INST" : "PRC", layer, 10, 1, id, kind, priority, type, amount, unit, false, 75, 90, pauses, null, false, false);

    [Fact]
    public void Clock_rules_are_the_most_specific_per_layer_and_target()
    {
        var writer = new SlaClockRowWriter(Universe(10));
        writer.UseRules(Rules());

        // Consultation, Urgent: FirstResponse has a kind rule (4) and a priority rule (3); kind wins. Resolution: the general rule.
        Assert.Equal([4L, 2L], writer.RulesFor("Consultation", "Urgent").Select(r => r.Id));
        // Complaint: the institution's FirstResponse, Plan, Resolution, then the regulator's Resolution.
        Assert.Equal([5L, 6L, 7L, 8L], writer.RulesFor("Complaint", "High").Select(r => r.Id));
        // Praise, Urgent: no kind rule, so the priority rule for FirstResponse.
        Assert.Equal([3L, 2L], writer.RulesFor("Praise", "Urgent").Select(r => r.Id));
    }

    [Fact]
    public void Clocks_stand_as_if_the_sweep_had_run_until_the_anchor()
    {
        var universe = Universe(20_000);
        var writer = new SlaClockRowWriter(universe);
        writer.UseRules(Rules());
        int open = 0, breached = 0, paused = 0;
        for (long i = 0; i < universe.Count; i++)
        {
            var c = universe.Attributes(i);
            var clocks = writer.Clocks(c);
            Assert.NotEmpty(clocks);
            Assert.True(clocks.Count <= SlaClockRowWriter.Stride);
            Assert.Equal(clocks.Count, clocks.Select(k => (k.Rule.Layer, k.Rule.TargetType)).Distinct().Count());
            switch (c.Status)
            {
                case "Closed" or "Resolved" or "FollowUp":
                    Assert.All(clocks, k => Assert.Equal("Met", k.Status));
                    Assert.All(clocks, k => Assert.Null(k.NextAlert));
                    break;
                case "Cancelled":
                    Assert.All(clocks, k => Assert.Equal("Cancelled", k.Status));
                    break;
                default:
                    var running = clocks.Where(k => k.Status is "Running" or "Breached").ToList();
                    if (running.Count > 0)
                    {
                        open++;
                        // The case's deadline is its earliest running clock's.
                        Assert.Equal(c.DueAt, running.Min(k => k.Due));
                    }

                    foreach (var k in running)
                    {
                        // 75 % and 90 % of the span from receipt to the deadline, to the microsecond.
                        Assert.True(k.Warning1 < k.Warning2 && k.Warning2 < k.Due);
                        Assert.Equal((k.Due!.Value - c.CreatedAt).TotalSeconds * 0.75, (k.Warning1!.Value - c.CreatedAt).TotalSeconds, 0.001);
                        // Breached exactly when the deadline is not after the anchor; the next alert is the first instant after the anchor.
                        Assert.Equal(k.Due <= universe.Anchor, k.Status == "Breached");
                        Assert.True(k.NextAlert is null || k.NextAlert > universe.Anchor);
                        DateTimeOffset[] instants = [k.Warning1!.Value, k.Warning2!.Value, k.Due!.Value, k.Due!.Value + SlaClockRowWriter.ComplianceAfter];
                        Assert.Equal(instants.Where(t => t > universe.Anchor).Select(t => (DateTimeOffset?)t).Min(), k.NextAlert);
                        breached += k.Status == "Breached" ? 1 : 0;
                    }

                    if (c.Waiting != "None" && clocks.Any(k => k.Rule.TargetType == "Resolution" && k.Rule.PauseReasons.Contains(c.Waiting, StringComparison.Ordinal)))
                    {
                        Assert.Contains(clocks, k => k.Status == "Paused" && k.Due is null && k.NextAlert is null);
                        paused++;
                    }

                    break;
            }
        }

        // About 10 % of 20 000 cases are open; 6 % of open deadlines have passed.
        Assert.InRange(open, 1000, 3000);
        Assert.InRange(breached, 30, 600);
        Assert.InRange(paused, 100, 1000);
    }
}
