using System.Collections.Immutable;
using SkyRay.Placement.Consolidation;

namespace SkyRay.Placement.Tests;

/// <summary>The consolidate pass's test of two copies' pools and worker counts: the same entries, whatever object holds them.</summary>
public sealed class SameEntriesTests
{
    private static ImmutableSortedDictionary<string, int> Map(IComparer<string> comparer, params (string Key, int Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(comparer, entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));

    public static TheoryData<string, (string, int)[], (string, int)[], bool> Pairs => new()
    {
        { "both empty", [], [], true },
        { "the same entries, built in another order", [("head", 1), ("gpu", 4), ("cpu", 2)], [("cpu", 2), ("head", 1), ("gpu", 4)], true },
        { "one value differs", [("head", 1), ("gpu", 4)], [("head", 1), ("gpu", 3)], false },
        { "one key differs, as many entries", [("head", 1), ("gpu", 4)], [("head", 1), ("gpu2", 4)], false },
        { "one entry more", [("head", 1)], [("head", 1), ("gpu", 4)], false },
        { "one entry fewer", [("head", 1), ("gpu", 4)], [("gpu", 4)], false },
        { "keys differing only in case", [("GPU", 4)], [("gpu", 4)], false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Two_maps_have_the_same_entries_when_their_keys_and_values_are_equal(string why, (string, int)[] a, (string, int)[] b, bool same)
    {
        Assert.True(Consolidate.SameEntries(Map(StringComparer.Ordinal, a), Map(StringComparer.Ordinal, b)) == same, why);
        Assert.True(Consolidate.SameEntries(Map(StringComparer.Ordinal, b), Map(StringComparer.Ordinal, a)) == same, why);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_map_under_another_comparer_is_compared_entry_by_entry_in_order(string why, (string, int)[] a, (string, int)[] b, bool same)
    {
        // Under a case-blind comparer "GPU" and "gpu" are one key, so that pair is left to the ordinal maps above.
        if (a.Concat(b).Any(e => e.Item1.Any(char.IsUpper)))
        {
            return;
        }

        Assert.True(Consolidate.SameEntries(Map(StringComparer.Ordinal, a), Map(StringComparer.OrdinalIgnoreCase, b)) == same, why);
        Assert.True(Consolidate.SameEntries(Map(StringComparer.OrdinalIgnoreCase, a), Map(StringComparer.Ordinal, b)) == same, why);
    }
}
