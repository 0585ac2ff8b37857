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

        // "a: " takes columns 1-3, so the 201st '[' (one past the limit) is at column 204.
        Assert.Empty(docs);
        Assert.Contains(bag.Items, d => d.Path == "deep.yaml:1:204" && d.Message == $"nesting is deeper than {YamlJson.MaxDepth} levels");
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

        // The sequence that contains itself starts at its anchor, column 4.
        Assert.Contains(bag.Items, d => d.Path == "cycle.yaml:1:4" && d.Message.Contains("a cycle", StringComparison.Ordinal));
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

        // l0 expands to 11 nodes, each level to 10 times the one before plus itself: l5 to 1,111,111, l6 to 11,111,111,
        // the first past 2,000,000; its list starts at its anchor, line 7, column 5.
        Assert.Equal([null], docs);
        Assert.Contains(bag.Items, d => d.Path == "bomb.yaml:7:5" && d.Message.Contains($"more than {YamlJson.MaxNodes} nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void Shared_aliases_below_the_budget_are_expanded()
    {
        var bag = new DiagnosticBag();

        var node = YamlJson.ParseSingle("base: &b {cpu: 1}\na: *b\nb: *b\n", "ok.yaml", bag);

        Assert.False(bag.HasErrors);
        Assert.Equal("""{"base":{"cpu":1},"a":{"cpu":1},"b":{"cpu":1}}""", node!.ToJsonString());
    }

    [Fact]
    public void Flow_nesting_in_a_later_line_is_located_on_that_line()
    {
        var bag = new DiagnosticBag();

        YamlJson.ParseDocuments("a: 1\nb:\n  c: " + new string('{', 300) + new string('}', 300) + "\n", "deep.yaml", bag);

        // Line 3 starts "  c: " (5 columns); the 201st '{' is at column 206.
        Assert.Equal("deep.yaml:3:206", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void An_unclosed_flow_list_inside_a_block_list_is_located_at_its_bracket_in_plain_words()
    {
        var bag = new DiagnosticBag();

        YamlJson.ParseDocuments("pools:\n  - name: [1, 2\n    size: 3\n  - name: b\n", "flow.yaml", bag);

        var error = Assert.Single(bag.Items);
        Assert.Equal("flow.yaml:2:11", error.Path);
        Assert.StartsWith("the YAML cannot be read: the '[' opened here is not closed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("anchor", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_alias_is_located_where_it_is_used()
    {
        var bag = new DiagnosticBag();

        YamlJson.ParseDocuments("a: 1\nb:\n  c: *nowhere\n", "alias.yaml", bag);

        var error = Assert.Single(bag.Items);
        Assert.Equal("alias.yaml:3:6", error.Path);
        Assert.Contains("alias '*nowhere' refers to no anchor defined before it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a:\n  b: 1\n\tc: 2\n", "tab.yaml:3:1")]
    [InlineData("a:\n  b: 1\n  c:\n\t- 2\n", "tab.yaml:4:1")]
    public void Tab_indentation_is_located_on_the_line_the_tab_is_on(string text, string path)
    {
        var bag = new DiagnosticBag();

        YamlJson.ParseDocuments(text, "tab.yaml", bag);

        var error = Assert.Single(bag.Items);
        Assert.Equal(path, error.Path);
        Assert.Contains("a tab character indents this line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_document_is_located_at_its_separator()
    {
        var bag = new DiagnosticBag();

        YamlJson.ParseSingle("a: 1\n---\nb: 2\n", "two.yaml", bag);

        Assert.Equal("two.yaml:2:1", Assert.Single(bag.Items).Path);
    }

    [Theory]
    [InlineData("n: 99999999999999999999999999999999999999999999999999", """{"n":99999999999999999999999999999999999999999999999999}""")]
    [InlineData("n: +000" + "12345678901234567890123456789012345678901234567890", """{"n":12345678901234567890123456789012345678901234567890}""")]
    [InlineData("n: -1e400", """{"n":-1e400}""")]
    [InlineData("n: .5E+999", """{"n":0.5E+999}""")]
    [InlineData("n: 0x1FFFFFFFFFFFFFFFF", """{"n":36893488147419103231}""")]
    public void Numbers_beyond_double_stay_exact_json_numbers(string yaml, string json)
    {
        var bag = new DiagnosticBag();

        var node = YamlJson.ParseSingle(yaml, "n.yaml", bag);

        Assert.Empty(bag.Items);
        Assert.Equal(json, node!.ToJsonString());
    }

    [Fact]
    public void An_integer_of_four_hundred_digits_can_be_written_back_as_json_and_yaml()
    {
        // It used to become a CLR infinity, which every JSON writer refused with an exception.
        var digits = new string('9', 400);
        var bag = new DiagnosticBag();

        var node = YamlJson.ParseSingle("n: " + digits, "n.yaml", bag);

        Assert.Equal($$"""{"n":{{digits}}}""", node!.ToJsonString());
        Assert.Equal($"n: {digits}\n", YamlText.Write(node));
    }

    [Theory]
    [InlineData(".nan", true)]
    [InlineData(".NaN", true)]
    [InlineData(".inf", true)]
    [InlineData("-.inf", true)]
    [InlineData("+.INF", true)]
    [InlineData("nan", false)]
    [InlineData(".Nan", false)]
    [InlineData("inf", false)]
    [InlineData("1e400", false)]
    public void Special_floats_are_the_yaml_1_2_core_schema_spellings(string text, bool special)
    {
        Assert.Equal(special, YamlJson.IsSpecialFloat(text));
    }
}
