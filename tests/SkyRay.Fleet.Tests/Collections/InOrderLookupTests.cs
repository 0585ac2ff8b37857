using System.Collections.Immutable;
using SkyRay.Fleet.Collections;

namespace SkyRay.Fleet.Tests.Collections;

/// <summary>Values found by name while walking another map in name order: what a search of the map would give.</summary>
public sealed class InOrderLookupTests
{
    private static ImmutableSortedDictionary<string, string> Map(IComparer<string> comparer) =>
        ImmutableSortedDictionary.CreateRange(comparer, new Dictionary<string, string> { ["b"] = "B", ["d"] = "D", ["e"] = "E", ["x"] = "X" });

    [Fact]
    public void Names_asked_in_order_find_their_values_and_null_for_names_the_map_lacks()
    {
        using var lookup = new InOrderLookup<string>(Map(StringComparer.Ordinal), namesInOrdinalOrder: true);

        // Before the first key, between keys, the same name twice, past the last key.
        string?[] found = [lookup.Find("a"), lookup.Find("b"), lookup.Find("c"), lookup.Find("d"), lookup.Find("d"), lookup.Find("e"), lookup.Find("y"), lookup.Find("z")];

        Assert.Equal(new string?[] { null, "B", null, "D", "D", "E", null, null }.AsEnumerable(), found);
    }

    [Fact]
    public void A_name_before_the_last_one_asked_is_refused_when_walking_side_by_side()
    {
        using var lookup = new InOrderLookup<string>(Map(StringComparer.Ordinal), namesInOrdinalOrder: true);
        Assert.Equal("D", lookup.Find("d"));

        var refused = Assert.Throws<InvalidOperationException>(() => lookup.Find("b"));

        Assert.Contains("'b' was asked after 'd'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_ordinal_order_on_either_side_each_name_is_looked_up()
    {
        // Names out of order, and a map in another order: each is found as by a search.
        using var unordered = new InOrderLookup<string>(Map(StringComparer.Ordinal), namesInOrdinalOrder: false);
        using var reversed = new InOrderLookup<string>(Map(Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x))), namesInOrdinalOrder: true);

        string?[] expected = ["X", "B", null, "E"];
        Assert.Equal(expected.AsEnumerable(), new[] { unordered.Find("x"), unordered.Find("b"), unordered.Find("c"), unordered.Find("e") });
        Assert.Equal(expected.AsEnumerable(), new[] { reversed.Find("x"), reversed.Find("b"), reversed.Find("c"), reversed.Find("e") });
    }
}
