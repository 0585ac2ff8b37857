using System.Collections.Immutable;
using FsCheck.Xunit;
using SkyRay.Placement.Consolidation;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The consolidate pass compares copies and orders pools without LINQ (it does so for every trial); each helper must answer
/// as the LINQ it replaced: <c>SequenceEqual</c> of two maps' entries, a stable <c>OrderBy</c> of pool names.
/// </summary>
public sealed class ConsolidateComparisonProperties
{
    private static readonly string[] Names = ["a", "b", "B", "gpu", "gpu-2", "cpu"];

    private static ImmutableSortedDictionary<string, TValue> Map<TValue>(int[] keys, Func<int, TValue> value) =>
        keys.Select(k => Math.Abs(k % Names.Length)).Distinct()
            .ToImmutableSortedDictionary(k => Names[k], value, StringComparer.Ordinal);

    [Property(MaxTest = 300)]
    public void Two_maps_have_the_same_entries_exactly_when_their_entries_are_sequence_equal(int[] keysA, int[] keysB, int shift)
    {
        // Values derived from the key (so equal keys often have equal values) and sometimes shifted (so they differ).
        var a = Map(keysA, k => k % 3);
        var b = Map(keysB, k => (k + (shift % 2)) % 3);
        var pa = Map(keysA, k => Names[(k + 1) % Names.Length]);
        var pb = Map(keysB, k => Names[(k + 1 + (shift % 2)) % Names.Length]);

        Assert.Equal(a.SequenceEqual(b), Consolidate.SameEntries(a, b));
        Assert.Equal(pa.SequenceEqual(pb), Consolidate.SameEntries(pa, pb));
        Assert.True(Consolidate.SameEntries(a, a));
        Assert.True(Consolidate.SameEntries(a, Map(keysA, k => k % 3)));
    }

    [Fact]
    public void Maps_that_differ_in_one_value_or_one_key_or_one_entry_are_not_the_same()
    {
        var a = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("cpu", "m5"), KeyValuePair.Create("gpu", "p4")]);

        Assert.False(Consolidate.SameEntries(a, a.SetItem("gpu", "p5")));
        Assert.False(Consolidate.SameEntries(a, a.Remove("gpu").Add("gpv", "p4")));
        Assert.False(Consolidate.SameEntries(a, a.Remove("gpu")));
        Assert.False(Consolidate.SameEntries(a.Remove("gpu"), a));
        Assert.True(Consolidate.SameEntries(a, a.Remove("gpu").Add("gpu", "p4")));
    }

    [Property(MaxTest = 300)]
    public void Pools_sorted_in_place_are_in_the_order_a_stable_ordinal_order_by_gives(int[] pools, int prefix)
    {
        // Entries before the start stay where they are; equal pool names keep their order (told apart by the cluster).
        var list = pools.Select((p, i) => ($"c{i}", Names[Math.Abs(p % Names.Length)])).ToList();
        var start = list.Count == 0 ? 0 : Math.Abs(prefix % (list.Count + 1));
        var expected = list.Take(start).Concat(list.Skip(start).OrderBy(e => e.Item2, StringComparer.Ordinal)).ToList();

        Consolidate.SortByPool(list, start);

        Assert.Equal(expected, list);
    }
}
