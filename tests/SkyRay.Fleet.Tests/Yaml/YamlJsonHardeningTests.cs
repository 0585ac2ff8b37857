using System.Text;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Yaml;

public sealed class YamlJsonHardeningTests
{
    [Fact]
    public void Flow_nesting_far_beyond_the_limit_is_an_error_not_a_stack_overflow()
    {
        var bag = new DiagnosticBag();

        var docs = YamlJson.ParseDocuments("a: " + new string('[', 100_000) + new string(']', 100_000), "deep.yaml", bag);

        Assert.Empty(docs);
        Assert.Contains(bag.Items, d => d.Path == "deep.yaml" && d.Message == $"nesting is deeper than {YamlJson.MaxDepth} levels");
    }

    [Fact]
    public void Brackets_in_comments_do_not_count_as_nesting()
    {
        var bag = new DiagnosticBag();

        var node = YamlJson.ParseSingle("# " + new string('[', 500) + "\na: [1]\n", "c.yaml", bag);

        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        Assert.Equal("""{"a":[1]}""", node!.ToJsonString());
    }

    [Fact]
    public void Alias_cycle_is_an_error_not_a_stack_overflow()
    {
        var bag = new DiagnosticBag();

        YamlJson.ParseDocuments("a: &x [*x]\n", "cycle.yaml", bag);

        Assert.Contains(bag.Items, d => d.Path == "cycle.yaml" && d.Message.Contains("a cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Alias_bomb_is_rejected_by_its_expanded_size()
    {
        var text = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 12; i++)
        {
            text.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }

        var bag = new DiagnosticBag();

        var docs = YamlJson.ParseDocuments(text.ToString(), "bomb.yaml", bag);

        Assert.Equal([null], docs);
        Assert.Contains(bag.Items, d => d.Path == "bomb.yaml" && d.Message.Contains($"more than {YamlJson.MaxNodes} nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void Shared_aliases_below_the_budget_are_expanded()
    {
        var bag = new DiagnosticBag();

        var node = YamlJson.ParseSingle("base: &b {cpu: 1}\na: *b\nb: *b\n", "ok.yaml", bag);

        Assert.False(bag.HasErrors);
        Assert.Equal("""{"base":{"cpu":1},"a":{"cpu":1},"b":{"cpu":1}}""", node!.ToJsonString());
    }
}
