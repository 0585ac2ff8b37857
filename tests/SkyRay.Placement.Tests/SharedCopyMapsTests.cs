using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// Copies with the same pools and worker counts hold the same map objects in separate plans (each plan has pipelines of its
/// own), so a re-plan compares a copy with its previous one by reference; the maps hold what the copy says.
/// </summary>
public sealed class SharedCopyMapsTests
{
    [Fact]
    public void Two_plans_of_a_stack_give_a_workload_s_copy_the_same_map_objects()
    {
        var spec = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.4xlarge", 0, 4))
            .Workload("w", w => w.Workers("gpu-free", 3, 2000, 4))
            .Build();

        var first = FleetPlanner.Plan(spec).Placements["w"].Copies.Single();
        var again = FleetPlanner.Plan(spec, FleetPlanner.Plan(spec), PlanOptions.Default).Placements["w"].Copies.Single();

        Assert.Equal(new Dictionary<string, string> { ["gpu-free"] = "cpu", ["head"] = "cpu" }, first.GroupPools);
        Assert.Equal(new Dictionary<string, int> { ["gpu-free"] = 3 }, first.WorkerReplicas);
        Assert.Same(first.GroupPools, again.GroupPools);
        Assert.Same(first.WorkerReplicas, again.WorkerReplicas);
    }

    [Fact]
    public void A_map_holds_the_groups_it_was_asked_for_in_name_order()
    {
        var pools = SharedCopyMaps.PoolsOf(("worker", "gpu", "head", "cpu", null, null));
        var workers = SharedCopyMaps.WorkersOf(("b", 2, "a", 5));

        Assert.Equal([new("head", "cpu"), new("worker", "gpu")], pools.ToArray());
        Assert.Equal([new("a", 5), new("b", 2)], workers.ToArray());
        Assert.Same(pools, SharedCopyMaps.PoolsOf(("worker", "gpu", "head", "cpu", null, null)));
        Assert.Empty(SharedCopyMaps.WorkersOf((null, 0, null, 0)));
    }
}
