using System.Collections.Immutable;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>The outputs of a run, one entry and one explanation line per declared workload, whatever the plan holds.</summary>
public sealed class FleetOutputsBuilderTests
{
    private static Fleet.Config.FleetSpec Spec() => new FleetSpecBuilder()
        .Cluster(ClusterBuilder.Aws("aws-a").Pool("cpu", "m6i.2xlarge", 1, 10))
        .Cluster(ClusterBuilder.Aws("aws-b").Pool("cpu", "m6i.2xlarge", 1, 10))
        .Workload(new WorkloadBuilder("a-job").Kind(Fleet.Workloads.RayKind.RayJob).CpuOnly())
        .Workload(new WorkloadBuilder("b-llm").CpuOnly())
        .Workload(new WorkloadBuilder("c-lab").Kind(Fleet.Workloads.RayKind.RayCluster).CpuOnly())
        .Workload(new WorkloadBuilder("d-open").Kind(Fleet.Workloads.RayKind.RayCluster).CpuOnly())
        .Workload(new WorkloadBuilder("e-wait").Kind(Fleet.Workloads.RayKind.RayJob).CpuOnly())
        .Build();

    [Fact]
    public void Workloads_the_plan_does_not_hold_are_listed_as_not_planned_in_spec_order()
    {
        var spec = Spec();
        // The plan holds b-llm, d-open and e-wait; a-job (before the first) and c-lab (between two) are not in it.
        var plan = new FleetPlanBuilder(spec).Place("b-llm", "aws-b", "aws-a").Place("d-open", "aws-b").Unplaced("e-wait", "no room").Build();

        var outputs = FleetOutputsBuilder.Build(spec, plan);

        Assert.Equal(["a-job", "b-llm", "c-lab", "d-open", "e-wait"], outputs.Workloads.Keys.ToArray());
        Assert.Empty(outputs.Workloads["a-job"]);
        Assert.Equal(["aws-a", "aws-b"], outputs.Workloads["b-llm"].ToArray());
        Assert.Empty(outputs.Workloads["c-lab"]);
        Assert.Equal(["aws-b"], outputs.Workloads["d-open"].ToArray());
        Assert.Empty(outputs.Workloads["e-wait"]);
        Assert.Equal(5, outputs.Explanation.Length);
        Assert.Equal("a-job: not planned", outputs.Explanation[0]);
        Assert.StartsWith("b-llm → aws-a, aws-b (available capacity)", outputs.Explanation[1], StringComparison.Ordinal);
        Assert.Equal("c-lab: not planned", outputs.Explanation[2]);
        Assert.StartsWith("d-open → aws-b (available capacity)", outputs.Explanation[3], StringComparison.Ordinal);
        Assert.Equal("e-wait: unplaced: no room", outputs.Explanation[4]);
    }

    [Fact]
    public void A_plan_whose_placements_are_not_in_ordinal_order_gives_the_same_outputs()
    {
        var spec = Spec();
        var plan = new FleetPlanBuilder(spec).Place("b-llm", "aws-a").Place("d-open", "aws-b").Unplaced("e-wait", "no room").Build();
        // The same placements under a comparer that sorts them in reverse: the builder cannot walk them beside the spec's.
        var reversed = plan with
        {
            Placements = ImmutableSortedDictionary.CreateRange(Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x)), plan.Placements),
        };

        var expected = FleetOutputsBuilder.Build(spec, plan);
        var actual = FleetOutputsBuilder.Build(spec, reversed);

        Assert.Equal(["b-llm → aws-a (available capacity)", "d-open → aws-b (available capacity)"], actual.Explanation.Where(l => l.Contains('→', StringComparison.Ordinal)).Select(l => l.Split(':')[0]).ToArray());
        Assert.Equal(expected.Explanation.ToArray(), actual.Explanation.ToArray());
        Assert.Equal(expected.Workloads.Keys.ToArray(), actual.Workloads.Keys.ToArray());
        Assert.All(expected.Workloads, e => Assert.Equal(e.Value.ToArray(), actual.Workloads[e.Key].ToArray()));
    }
}
