using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.KubeRay.Tests.Rendering;

public class ManifestYamlTests
{
    private static JsonNode? RoundTrip(JsonNode node)
    {
        var bag = new DiagnosticBag();
        var back = YamlJson.ParseSingle(ManifestYaml.WriteOne(node), "test", bag);
        Assert.Empty(bag.Items);
        return back;
    }

    [Theory]
    [InlineData("2")]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("1.0")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("0755")]
    [InlineData("0x1F")]
    [InlineData("1_000")]
    [InlineData("1:30")]
    [InlineData("2024-01-01")]
    [InlineData(".inf")]
    [InlineData("-1")]
    [InlineData("0.0.0.0")]
    [InlineData("a: b")]
    [InlineData("# not a comment")]
    [InlineData("*alias")]
    [InlineData("trailing ")]
    public void Strings_that_would_retype_are_quoted_and_read_back_as_strings(string value)
    {
        var yaml = ManifestYaml.WriteOne(new JsonObject { ["v"] = value });
        Assert.StartsWith("v: \"", yaml, StringComparison.Ordinal);
        Assert.Equal(value, RoundTrip(new JsonObject { ["v"] = value })!["v"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("rayproject/ray:2.52.0")]
    [InlineData("python /home/ray/samples/sample_code.py")]
    [InlineData("K8sJobMode")]
    [InlineData("condition=Ready")]
    public void Ordinary_strings_stay_plain(string value) =>
        Assert.Equal($"v: {value}\n", ManifestYaml.WriteOne(new JsonObject { ["v"] = value }));

    [Theory]
    [InlineData("line one\nline two\n", "|\n")]
    [InlineData("no final newline\nsecond", "|-\n")]
    [InlineData("extra newlines\n\n\n", "|+\n")]
    [InlineData("  indented first\nline\n", "|2\n")]
    public void Multi_line_strings_are_literal_blocks_that_round_trip(string value, string header)
    {
        var yaml = ManifestYaml.WriteOne(new JsonObject { ["text"] = value });
        Assert.StartsWith("text: " + header, yaml, StringComparison.Ordinal);
        Assert.Equal(value, RoundTrip(new JsonObject { ["text"] = value })!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Numbers_keep_their_type_through_a_round_trip()
    {
        var tree = new JsonObject { ["qps"] = 100.0, ["burst"] = 200, ["ratio"] = 0.75, ["big"] = 9_000_000_000L, ["flag"] = false, ["none"] = null };
        var yaml = ManifestYaml.WriteOne(tree);
        Assert.Contains("qps: 100.0\n", yaml, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(tree, RoundTrip(tree)));
    }

    [Fact]
    public void Output_is_sorted_and_identical_for_equal_trees_built_in_any_order()
    {
        var a = new JsonObject { ["spec"] = new JsonObject { ["b"] = 1, ["a"] = new JsonArray(new JsonObject { ["d"] = "1", ["c"] = new JsonArray() }) }, ["kind"] = "K" };
        var b = new JsonObject { ["kind"] = "K", ["spec"] = new JsonObject { ["a"] = new JsonArray(new JsonObject { ["c"] = new JsonArray(), ["d"] = "1" }), ["b"] = 1 } };
        Assert.Equal(ManifestYaml.Write([a, a]), ManifestYaml.Write([b, b]));
        Assert.Equal("kind: K\nspec:\n  a:\n  - c: []\n    d: \"1\"\n  b: 1\n---\nkind: K\nspec:\n  a:\n  - c: []\n    d: \"1\"\n  b: 1\n", ManifestYaml.Write([a, b]));
    }

    [Fact]
    public void Nested_lists_and_odd_keys_round_trip()
    {
        var tree = new JsonObject
        {
            ["matrix"] = new JsonArray(new JsonArray(1, 2), new JsonArray(), new JsonArray(new JsonObject { ["k"] = "v" })),
            ["nvidia.com/gpu"] = "1",
            ["true"] = "key that looks like a bool",
            ["with space"] = new JsonObject(),
            ["quote\"d"] = "back\\slash\ttab",
        };
        Assert.True(JsonNode.DeepEquals(tree, RoundTrip(tree)));
    }

    [Fact]
    public void Block_scalars_inside_lists_and_nested_mappings_round_trip()
    {
        var tree = new JsonObject
        {
            ["args"] = new JsonArray("echo one\necho two\n", "single"),
            ["deep"] = new JsonObject { ["list"] = new JsonArray(new JsonObject { ["script"] = "a\n  b\n", ["name"] = "x" }) },
        };
        var yaml = ManifestYaml.WriteOne(tree);
        Assert.Contains("- |\n  echo one\n  echo two\n", yaml, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(tree, RoundTrip(tree)), yaml);
    }
}
