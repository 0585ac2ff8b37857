using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class StabilityTests
{
    private static FleetBuilder Fleet() => new FleetBuilder()
        .Cluster("aws-1", c => c.Label("tier", "a").Pool("cpu", "m5.4xlarge", 1, 3))
        .Cluster("aws-2", c => c.Label("tier", "b").Pool("cpu", "m5.4xlarge", 1, 3))
        .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 3))
        .Policy("on-a", p => p.Clusters("tier", "a"))
        .Policy("on-b", p => p.Clusters("tier", "b"))
        .Workload("w1", w => w.Workers("w", 2, 4000, 8))
        .Workload("w2", w => w.Workers("w", 3, 4000, 8))
        .Workload("w3", w => w.Policy("on-a").Workers("w", 1, 2000, 4))
        .Workload("w4", w => w.Workers("w", 4, 3000, 4));

    [Fact]
    public void A_no_op_re_plan_moves_nothing()
    {
        var fleet = Fleet();
        var first = fleet.Plan();
        var second = fleet.Plan(first);

        foreach (var name in first.Placements.Keys)
        {
            Assert.Equal(first.ClustersOf(name), second.ClustersOf(name));
            Assert.Equal(first.Placements[name].Copies[0].GroupPools, second.Placements[name].Copies[0].GroupPools);
        }

        Assert.Equal(first.Clusters.Values.Select(c => c.State), second.Clusters.Values.Select(c => c.State));
    }

    [Fact]
    public void Changing_one_workloads_policy_moves_only_that_workload()
    {
        var first = Fleet().Plan();
        var second = Fleet().Workload("w3", w => w.Policy("on-b").Workers("w", 1, 2000, 4)).Plan(first);

        Assert.Equal("aws-1", first.ClusterOf("w3"));
        Assert.Equal("aws-2", second.ClusterOf("w3"));
        foreach (var name in new[] { "w1", "w2", "w4" })
        {
            Assert.Equal(first.ClusterOf(name), second.ClusterOf(name));
        }
    }

    [Fact]
    public void A_workload_stays_on_its_cluster_even_when_a_faster_one_appears()
    {
        var before = new FleetBuilder()
            .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 3))
            .Workload("job", w => w)
            .Plan();
        Assert.Equal("dyn", before.ClusterOf("job"));

        var after = new FleetBuilder()
            .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 3))
            .Cluster("new-static", c => c.Pool("cpu", "m5.4xlarge", 1, 3))
            .Workload("job", w => w)
            .Plan(before);

        Assert.Equal("dyn", after.ClusterOf("job"));
        Assert.Equal(LaunchTier.RunningNodes, after.Placements["job"].Copies[0].Tier);
        Assert.Equal(ClusterState.Active, after.Clusters["dyn"].State);
    }

    [Fact]
    public void A_workload_leaves_a_cluster_its_policy_no_longer_selects()
    {
        var fleet = new FleetBuilder()
            .Cluster("exp-1", c => c.Label("team", "exp").Pool("cpu", "m5.4xlarge", 1, 3))
            .Cluster("exp-2", c => c.Pool("cpu", "m5.4xlarge", 1, 3))
            .Policy("experiments", p => p.Clusters("team", "exp"))
            .Workload("trial", w => w.Policy("experiments"));
        var first = fleet.Plan();

        var relabelled = new FleetBuilder()
            .Cluster("exp-1", c => c.Pool("cpu", "m5.4xlarge", 1, 3))
            .Cluster("exp-2", c => c.Label("team", "exp").Pool("cpu", "m5.4xlarge", 1, 3))
            .Policy("experiments", p => p.Clusters("team", "exp"))
            .Workload("trial", w => w.Policy("experiments"))
            .Plan(first);

        Assert.Equal("exp-1", first.ClusterOf("trial"));
        Assert.Equal("exp-2", relabelled.ClusterOf("trial"));
    }

    [Fact]
    public void A_workload_that_no_longer_fits_its_cluster_moves()
    {
        var first = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Workload("job", w => w.Workers("w", 1, 4000, 8))
            .Plan();
        Assert.Equal("a", first.ClusterOf("job"));

        var grown = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Workload("job", w => w.Workers("w", 1, 4000, 8))
            .Plan(first);
        Assert.Equal("b", grown.ClusterOf("job"));
    }

    [Fact(Skip = "Known bug, not fixed yet: phase 1 places a sticky Duplicate unit whole, so a copy it gains in a new domain is placed before the workloads that only stay (see docs/placement.md, Order and stability)")]
    public void A_copy_a_duplicate_gains_on_re_plan_never_takes_the_room_of_a_workload_that_stays()
    {
        // One n2-standard-8 node per cluster: 8 vCPU less the 0.5 vCPU system reserve = 7.5 CPU. First plan, biggest first:
        // x (5 CPU) on a; dup (4.5 CPU) fits on b but not on a (2.5 CPU left), so its a-copy is missing; s (2.5 CPU) on a
        // (exactly full). Then x shrinks to 2 CPU: staying, s and x need 4.5 of a's 7.5 CPU, leaving 3 — too little for the
        // 4.5 CPU copy dup would gain on a. Found by MixedFleetProperties: the gained copy is placed first and pushes x,
        // which still fits where it was, off its only cluster. Placing spread units after the others in phase 1 is not the fix
        // (a no-op re-plan then packs in another order and moves things); the gained copies must wait for phase 2.
        FleetBuilder Fleet(long xCpu) => new FleetBuilder()
            .Cluster("a", c => c.Gcp().Label("class", "prod").Pool("cpu", "n2-standard-8", 1, 1))
            .Cluster("b", c => c.Gcp().Label("class", "prod").Pool("cpu", "n2-standard-8", 1, 1))
            .Policy("only-a", p => p.ClustersIn(WellKnownLabels.ClusterName, "a"))
            .Policy("dup", p => p.Clusters("class", "prod").Duplicate())
            .Workload("x", w => w.Policy("only-a").Head(xCpu, 1))
            .Workload("dup", w => w.Policy("dup").Head(4500, 1))
            .Workload("s", w => w.Policy("only-a").Head(2500, 1));

        var first = Fleet(5000).Plan();
        Assert.Equal("a", first.ClusterOf("x"));
        Assert.Equal("a", first.ClusterOf("s"));
        Assert.Equal(["b"], first.ClustersOf("dup"));
        Assert.Equal("a", Assert.Single(first.Placements["dup"].MissingCopies).Domain);

        var second = Fleet(2000).Plan(first);

        Assert.Equal("a", second.ClusterOf("x"));
        Assert.Equal("a", second.ClusterOf("s"));
        Assert.Equal(["b"], second.ClustersOf("dup"));
        Assert.Equal("a", Assert.Single(second.Placements["dup"].MissingCopies).Domain);
    }
}
