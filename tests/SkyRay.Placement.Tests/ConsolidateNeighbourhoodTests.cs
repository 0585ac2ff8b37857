using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>The trial restrictions the consolidate neighbourhoods use: a pool capped below its MaxNodes, two workloads swapped.</summary>
public class ConsolidateNeighbourhoodTests
{
    // m5.xlarge: 4 vCPU, 3.5 after the system reserve, $0.192/h; one 3-vCPU head per node.
    // g5.xlarge: 4 vCPU (3.5 after the reserve), 1 A10G: a CPU pod could fit there.
    private static FleetBuilder ThreeHeads() => new FleetBuilder()
        .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 0, 4).Pool("gpu", "g5.xlarge", 0, 2))
        .Cluster("b", c => c.Pool("cpu", "m5.xlarge", 0, 4))
        .Workload("w1", w => w.Head(3000, 2))
        .Workload("w2", w => w.Head(3000, 2))
        .Workload("w3", w => w.Head(3000, 2));

    [Fact]
    public void Without_a_cap_three_equal_heads_fill_the_first_cluster_by_name()
    {
        // Both clusters add one $0.192 node per head: the tie goes to 'a' each time.
        var plan = new PlanRun(ThreeHeads().Build(), null, new PlanOptions()).Run();

        Assert.Equal(3, plan.Clusters["a"].Pools.Single(p => p.Pool == "cpu").DesiredNodes);
        Assert.All(plan.Placements.Values, p => Assert.Equal("a", p.Copies.Single().Cluster));
    }

    [Fact]
    public void A_capped_pool_opens_no_node_beyond_its_cap_its_overflow_goes_to_another_cluster_not_to_a_gpu_pool()
    {
        var run = new PlanRun(ThreeHeads().Build(), null, new PlanOptions(Explain: true))
        {
            PoolCaps = new Dictionary<(string Cluster, string Pool), int> { [("a", "cpu")] = 1 },
        };

        var plan = run.Run();

        // w1 takes a's one allowed node; w2 and w3 each need a node of b (0.5 vCPU is left on each).
        var aCpu = plan.Clusters["a"].Pools.Single(p => p.Pool == "cpu");
        Assert.Equal(1, aCpu.DesiredNodes);
        Assert.Equal(4, aCpu.MaxNodes);
        Assert.Equal(0, plan.Clusters["a"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
        Assert.Equal(2, plan.Clusters["b"].Pools.Single().DesiredNodes);
        Assert.Equal("a", plan.ClusterOf("w1"));
        Assert.Equal("b", plan.ClusterOf("w2"));
        Assert.Equal("b", plan.ClusterOf("w3"));
        var onA = plan.Placements["w2"].Verdicts.Single(v => v.Cluster == "a");
        Assert.Contains("max 4 node(s), capped at 1 by consolidate", onA.Reason);
    }

    [Fact]
    public void Cpu_pods_of_a_capped_cpu_pool_do_not_spill_onto_a_gpu_pool()
    {
        // Only cluster 'a': uncapped, the CPU pool takes all three heads; capped at 1 node, the second and third head
        // would fit a g5.xlarge (3.5 vCPU) but the trial keeps CPU pods off GPU pools, so they stay unplaced
        // (and the consolidate pass rejects such a trial: every placed workload must stay placed).
        var fleet = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 0, 4).Pool("gpu", "g5.xlarge", 0, 2))
            .Workload("w1", w => w.Head(3000, 2))
            .Workload("w2", w => w.Head(3000, 2));
        var run = new PlanRun(fleet.Build(), null, new PlanOptions())
        {
            PoolCaps = new Dictionary<(string Cluster, string Pool), int> { [("a", "cpu")] = 1 },
        };

        var plan = run.Run();

        Assert.Equal("a", plan.ClusterOf("w1"));
        Assert.False(plan.Placements["w2"].IsPlaced);
        Assert.Equal(0, plan.Clusters["a"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
    }

    [Fact]
    public void A_swap_pins_each_workload_to_the_others_cluster()
    {
        // A swap trial is two moves: w1 only on b, w3 only on a; w2 is placed as usual (a by name).
        var run = new PlanRun(ThreeHeads().Build(), null, new PlanOptions())
        {
            MovedAway = new Dictionary<string, string>(StringComparer.Ordinal) { ["w1"] = "=b", ["w3"] = "=a" },
        };

        var plan = run.Run();

        Assert.Equal("b", plan.ClusterOf("w1"));
        Assert.Equal("a", plan.ClusterOf("w2"));
        Assert.Equal("a", plan.ClusterOf("w3"));
    }
}
