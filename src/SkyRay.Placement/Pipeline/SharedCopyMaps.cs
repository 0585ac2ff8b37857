using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace SkyRay.Placement.Pipeline;

/// <summary>
/// The small maps of a copy (the pool of each group, the worker count of each worker group), one object per content for the
/// whole process. Each pipeline keeps its own table of them by pool index (<c>PlacementPipeline.Copies.cs</c>) and asks here
/// on a miss, so the copies of a workload in consecutive runs, and in the trials of one run, hold the same map objects: a
/// re-plan compares every copy with its previous one (the consolidate pass's new copies, its stability checks), and equal
/// maps then compare by reference. The maps are immutable, so sharing them changes no answer. Bounded: past
/// <see cref="Limit"/> entries a table stops keeping new maps and each caller gets a map of its own, as before.
/// </summary>
internal static class SharedCopyMaps
{
    /// <summary>Entries kept per table at most (a stack has a few pool names and group names; the tests run many stacks).</summary>
    public const int Limit = 8192;

    private static readonly ConcurrentDictionary<(string Group, string Pool, string? Group2, string? Pool2, string? Group3, string? Pool3), ImmutableSortedDictionary<string, string>> Pools = new();
    private static readonly ConcurrentDictionary<(string? Group, int Count, string? Group2, int Count2), ImmutableSortedDictionary<string, int>> Workers = new();

    /// <summary>The map of up to three groups to their pools (a null group: none).</summary>
    public static ImmutableSortedDictionary<string, string> PoolsOf((string Group, string Pool, string? Group2, string? Pool2, string? Group3, string? Pool3) key) =>
        Shared(Pools, key, static key =>
        {
            var map = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).SetItem(key.Group, key.Pool);
            map = key.Group2 is null ? map : map.SetItem(key.Group2, key.Pool2!);
            return key.Group3 is null ? map : map.SetItem(key.Group3, key.Pool3!);
        });

    /// <summary>The map of up to two worker groups to their counts (a null group: none).</summary>
    public static ImmutableSortedDictionary<string, int> WorkersOf((string? Group, int Count, string? Group2, int Count2) key) =>
        Shared(Workers, key, static key =>
        {
            var map = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);
            map = key.Group is null ? map : map.SetItem(key.Group, key.Count);
            return key.Group2 is null ? map : map.SetItem(key.Group2, key.Count2);
        });

    /// <summary>The table's map for the key, made and kept on a miss while the table holds fewer than <see cref="Limit"/>.</summary>
    private static TMap Shared<TKey, TMap>(ConcurrentDictionary<TKey, TMap> table, TKey key, Func<TKey, TMap> make)
        where TKey : notnull
    {
        if (table.TryGetValue(key, out var shared))
        {
            return shared;
        }

        var map = make(key);
        return table.Count < Limit ? table.GetOrAdd(key, map) : map;
    }
}
