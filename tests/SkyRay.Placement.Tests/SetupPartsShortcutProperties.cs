using System.Collections.Immutable;
using FsCheck.Xunit;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The consolidate pass builds one setup per set of pool caps and takes the parts that do not depend on the caps (cluster
/// labels, each workload's policy and the warnings resolving them) from one <see cref="PlanSetup.SpecParts"/> per pass: a
/// setup built so must be the setup built alone (same warnings in the same order, same labels, same units, same plan), and
/// parts derived from another spec object must not be used.
/// </summary>
public sealed class SetupPartsShortcutProperties
{
    [Property(MaxTest = 40)]
    public void A_setup_built_with_the_pass_parts_is_the_setup_built_alone(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var first = FleetPlanner.Plan(stack.Load(), null, options);
        var spec = stack.Change(seed).Stack.Load();
        var parts = new PlanSetup.SpecParts(spec);
        var caps = CapsOf(first);

        // The parts are used by several setups in a row (no caps, then caps, with and without a previous plan), as in a pass.
        // A setup with caps takes the clusters none of its caps touch from the pass's uncapped model of the same previous plan.
        var oneCap = caps.Take(1).ToDictionary(c => c.Key, c => c.Value);
        foreach (var (previous, capsNow) in new[] { (null, NoCaps), (null, oneCap), (first, NoCaps), (first, caps), (first, oneCap), ((FleetPlan?)null, caps) })
        {
            AssertSame(PlanSetup.Build(spec, previous, capsNow), PlanSetup.Build(spec, previous, capsNow, parts), spec, previous, capsNow, options, seed);
        }
    }

    [Fact]
    public void A_capped_setup_taking_clusters_from_the_uncapped_model_warns_about_their_unknown_instance_types_in_the_same_place()
    {
        // Every cluster gets a pool of a type no catalog knows (a warning per pool, in cluster then pool order); the capped
        // setup takes every cluster but the capped one from the uncapped model and must still give each warning.
        // The loader refuses such a type, so the pools are added to the loaded spec.
        var loaded = RandomStack.Generate(3).Load();
        var spec = loaded with
        {
            Clusters = loaded.Clusters.ToImmutableSortedDictionary(
                c => c.Key,
                c => c.Value with { NodePools = [.. c.Value.NodePools, c.Value.NodePools[0] with { Name = "odd", InstanceType = "no-such-type", MinNodes = 0 }] },
                StringComparer.Ordinal),
        };
        var options = new PlanOptions();
        var first = FleetPlanner.Plan(spec, null, options);
        var parts = new PlanSetup.SpecParts(spec);
        var caps = CapsOf(first).Take(1).ToDictionary(c => c.Key, c => c.Value);
        Assert.Single(caps);
        var uncapped = PlanSetup.Build(spec, first, NoCaps, parts);
        Assert.Equal(spec.Clusters.Count, uncapped.Diagnostics.Count(d => d.Message.Contains("no-such-type", StringComparison.Ordinal)));

        AssertSame(PlanSetup.Build(spec, first, caps), PlanSetup.Build(spec, first, caps, parts), spec, first, caps, options, 3);
    }

    [Property(MaxTest = 30)]
    public void Parts_derived_from_another_spec_are_not_used(int seed)
    {
        // Another seed's stack: other clusters, labels and policies; a setup handed its parts must ignore them.
        var spec = RandomStack.Generate(seed).Load();
        var other = new PlanSetup.SpecParts(RandomStack.Generate(seed + 1).Load());
        _ = other.Coverage();
        var options = new PlanOptions();

        AssertSame(PlanSetup.Build(spec, null, NoCaps), PlanSetup.Build(spec, null, NoCaps, other), spec, null, NoCaps, options, seed);
    }

    [Property(MaxTest = 300)]
    public void A_units_previous_clusters_are_its_members_previous_copy_clusters_distinct_in_ordinal_order(int[][] copies)
    {
        // Worked out with a sorted set, independently of the loops under test; null members, empty and repeated clusters included.
        string[] names = ["b", "a", "B", "aa", "gpu-1", "gpu-10", "gpu-2"];
        var previous = (copies ?? []).Take(4).Select(member => member is null
            ? null
            : new WorkloadPlacement("w", null, [.. member.Take(5).Select(i => new WorkloadCopy(
                "w", names[Math.Abs(i % names.Length)], ImmutableSortedDictionary<string, int>.Empty, ImmutableSortedDictionary<string, string>.Empty, [], default, 0m))], [], null)).ToArray();
        var expected = new SortedSet<string>(previous.Where(p => p is not null).SelectMany(p => p!.Copies).Select(c => c.Cluster), StringComparer.Ordinal);

        Assert.Equal([.. expected], PlacementUnit.PreviousClustersOf(previous));
    }

    private static readonly Dictionary<(string Cluster, string Pool), int> NoCaps = [];

    private static Dictionary<(string Cluster, string Pool), int> CapsOf(FleetPlan plan)
    {
        var caps = new Dictionary<(string Cluster, string Pool), int>();
        foreach (var (cluster, c) in plan.Clusters)
        {
            foreach (var pool in c.Pools.Where(p => p.DesiredNodes > 0).Take(1))
            {
                caps[(cluster, pool.Pool)] = pool.DesiredNodes - 1;
            }
        }

        return caps;
    }

    private static void AssertSame(PlanSetup alone, PlanSetup shared, Fleet.Config.FleetSpec spec, FleetPlan? previous, Dictionary<(string Cluster, string Pool), int> caps, PlanOptions options, int seed)
    {
        // As arrays: ImmutableArray equality is that of the array it wraps, not of its items.
        Assert.Equal(alone.Diagnostics.ToArray(), shared.Diagnostics.ToArray());
        Assert.Equal(alone.Model.Clusters.Length, shared.Model.Clusters.Length);
        for (var i = 0; i < alone.Model.Clusters.Length; i++)
        {
            Assert.Equal(alone.Model.Clusters[i].Labels, shared.Model.Clusters[i].Labels);
        }

        // The whole model, all the way down (clusters taken from the uncapped model of the pass included).
        Assert.Null(SkyRay.Testing.DataEquality.FirstDifference(alone.Model, shared.Model) is { } difference ? $"seed {seed}: {difference}" : null);
        Assert.Equal(alone.Model.Pools.Length, shared.Model.Pools.Length);
        for (var i = 0; i < alone.Model.Pools.Length; i++)
        {
            Assert.Equal((alone.Model.Pools[i].Cluster, alone.Model.Pools[i].Spec, alone.Model.Pools[i].Max), (shared.Model.Pools[i].Cluster, shared.Model.Pools[i].Spec, shared.Model.Pools[i].Max));
        }

        var a = alone.UnitsFor(new Dictionary<string, string>());
        var b = shared.UnitsFor(new Dictionary<string, string>());
        Assert.Equal(a.Select(u => (u.Name, u.Scope.Policy?.Name, u.Problem, string.Join(",", u.PreviousClusters))), b.Select(u => (u.Name, u.Scope.Policy?.Name, u.Problem, string.Join(",", u.PreviousClusters))));

        var planAlone = PlanJson.Write(new PlanRun(spec, previous, options) { PoolCaps = caps, Setup = alone }.Run());
        var planShared = PlanJson.Write(new PlanRun(spec, previous, options) { PoolCaps = caps, Setup = shared }.Run());
        Assert.True(string.Equals(planAlone, planShared, StringComparison.Ordinal), $"seed {seed}: the plans differ");
    }
}
