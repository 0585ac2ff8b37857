using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Pipeline.Selection;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class SpreadAndGroupTests
{
    private static FleetBuilder ThreeClusters() => new FleetBuilder()
        .Cluster("east-1", c => c.Region("us-east-1").Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 1, 4))
        .Cluster("east-2", c => c.Region("us-east-1").Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 1, 4))
        .Cluster("west-1", c => c.Region("us-west-2").Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 1, 4))
        .Cluster("dev", c => c.Label("cluster.class", "development").Pool("cpu", "m5.4xlarge", 1, 4));

    [Fact]
    public void Duplicate_by_cluster_name_puts_the_full_workload_on_every_matching_cluster()
    {
        var plan = ThreeClusters()
            .Policy("everywhere", p => p.Clusters("cluster.class", "production").Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Kind(Fleet.Workloads.RayKind.RayService).Workers("w", 3, 1000, 2))
            .Plan();

        Assert.Equal(["east-1", "east-2", "west-1"], plan.ClustersOf("serve"));
        Assert.All(plan.Placements["serve"].Copies, c => Assert.Equal(3, c.WorkerReplicas["w"]));
    }

    [Fact]
    public void Duplicate_by_region_puts_one_copy_in_each_region()
    {
        var plan = ThreeClusters()
            .Policy("per-region", p => p.Clusters("cluster.class", "production").Duplicate(WellKnownLabels.Region))
            .Workload("serve", w => w.Policy("per-region"))
            .Plan();

        Assert.Equal(["east-1", "west-1"], plan.ClustersOf("serve"));
    }

    [Fact]
    public void Duplicate_skips_a_cluster_that_is_full_and_keeps_the_others()
    {
        var plan = new FleetBuilder()
            .Cluster("big", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("tiny", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Plan(explain: true);

        Assert.Equal(["big"], plan.ClustersOf("serve"));
        var tiny = plan.Placements["serve"].Verdicts.Single(v => v.Cluster == "tiny");
        Assert.False(tiny.Accepted);
        Assert.Contains("domain tiny", tiny.Reason);
    }

    [Fact]
    public void A_duplicate_copy_that_fits_nowhere_in_its_domain_is_listed_as_missing_with_its_reason_without_explain()
    {
        // tiny is one m5.xlarge (4 vCPU, 3.5 after the system reserve): the two 3-CPU workers cannot both go there.
        var plan = new FleetBuilder()
            .Cluster("big", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("tiny", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Plan();

        var placement = plan.Placements["serve"];
        Assert.True(placement.IsPlaced);
        Assert.False(placement.IsComplete);
        var missing = Assert.Single(placement.MissingCopies);
        Assert.Equal(("kubernetes.io/metadata.name", "tiny"), (missing.TopologyKey, missing.Domain));
        Assert.StartsWith("tiny: skipped by capacity: ", missing.Reason, StringComparison.Ordinal);
        Assert.Equal(["serve"], plan.PartlyPlaced.Select(p => p.Workload));
    }

    [Fact]
    public void A_duplicate_copy_missing_in_a_domain_before_the_placed_ones_keeps_that_domains_reason()
    {
        // The same fleet with the small cluster first in name order: its domain fails before 'big' is placed, and its
        // reason (worded once the unit is placed) is its own capacity's, as before 'big' took its copy.
        var plan = new FleetBuilder()
            .Cluster("big", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("a-tiny", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Plan();

        var placement = plan.Placements["serve"];
        Assert.Equal(["big"], placement.Copies.Select(c => c.Cluster));
        var missing = Assert.Single(placement.MissingCopies);
        Assert.Equal("a-tiny", missing.Domain);
        Assert.StartsWith("a-tiny: skipped by capacity: ", missing.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("big", missing.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_that_fits_in_no_domain_is_unplaced_with_no_missing_copies()
    {
        // Neither m5.xlarge holds two 3-CPU workers: no copy anywhere, so the unplaced reason says why and no copy is "missing".
        var plan = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Plan();

        var placement = plan.Placements["serve"];
        Assert.False(placement.IsPlaced);
        Assert.Empty(placement.MissingCopies);
        Assert.StartsWith("Duplicate found no cluster that fits in any of the 2 domain(s)", placement.UnplacedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_copies_are_in_the_plan_json_and_read_back_and_plans_without_them_keep_their_text()
    {
        var fleet = new FleetBuilder()
            .Cluster("big", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("tiny", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Workers("w", 2, 3000, 4));
        var partial = fleet.Plan();
        var complete = fleet.Workload("serve", w => w.Policy("everywhere").Workers("w", 1, 1000, 1)).Plan();

        var json = JsonNode.Parse(Planning.PlanJson.Write(partial))!;
        var back = Planning.PlanJson.Read(Planning.PlanJson.Write(partial));

        Assert.Equal("tiny", json["placements"]!["serve"]!["missingCopies"]![0]!["domain"]!.GetValue<string>());
        Assert.Equal<Planning.MissingCopy>(partial.Placements["serve"].MissingCopies, back.Placements["serve"].MissingCopies);
        Assert.Null(JsonNode.Parse(Planning.PlanJson.Write(complete))!["placements"]!["serve"]!.AsObject()["missingCopies"]);
        Assert.True(complete.Placements["serve"].IsComplete);
    }

    [Fact]
    public void A_duplicate_workload_that_fits_in_no_domain_is_unplaced_not_partly_placed()
    {
        var plan = new FleetBuilder()
            .Cluster("tiny", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("tiny-2", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Plan();

        Assert.False(plan.Placements["serve"].IsPlaced);
        Assert.Empty(plan.Placements["serve"].MissingCopies);
        Assert.Empty(plan.PartlyPlaced);
    }

    [Fact]
    public void Divide_splits_worker_replicas_by_percentage()
    {
        var plan = ThreeClusters()
            .Policy("split", p => p.ClustersIn(WellKnownLabels.ClusterName, "east-1", "west-1").Divide(split: [("east-1", 20), ("west-1", 80)]))
            .Workload("serve", w => w.Policy("split").Workers("w", 10, 500, 1))
            .Plan();

        Assert.Equal(2, plan.CopyOn("serve", "east-1").WorkerReplicas["w"]);
        Assert.Equal(8, plan.CopyOn("serve", "west-1").WorkerReplicas["w"]);
        Assert.Equal("cpu", plan.CopyOn("serve", "east-1").GroupPools["head"]);
    }

    [Fact]
    public void Divide_gives_every_copy_of_a_RayJob_its_own_head_and_submitter_and_splits_only_workers()
    {
        var plan = ThreeClusters()
            .Policy("split", p => p.ClustersIn(WellKnownLabels.ClusterName, "east-1", "west-1").Divide())
            .Workload("job", w => w.Policy("split").Workers("w", 4, 1000, 2).Submitter())
            .Plan();

        var east = plan.CopyOn("job", "east-1");
        var west = plan.CopyOn("job", "west-1");
        foreach (var copy in new[] { east, west })
        {
            Assert.Equal(["w"], copy.WorkerReplicas.Keys);
            Assert.Equal(2, copy.WorkerReplicas["w"]);
            Assert.Equal("cpu", copy.GroupPools["head"]);
            Assert.Equal("cpu", copy.GroupPools["submitter"]);
        }

        // Equal shares on equal clusters cost the same only when both copies pay for a head and a submitter pod.
        Assert.Equal(east.HourlyCost, west.HourlyCost);
        var single = ThreeClusters()
            .Workload("job", w => w.Workers("w", 2, 1000, 2).Submitter())
            .Plan();
        Assert.Equal(single.Placements["job"].Copies.Single().HourlyCost, east.HourlyCost);
    }

    [Fact]
    public void Largest_remainder_rounding_gives_ties_to_the_domain_written_first()
    {
        Assert.Equal([2, 1], DivideSelection.Split(3, [50, 50]));
        Assert.Equal([1, 2], DivideSelection.Split(3, [30, 70]));
        Assert.Equal([1, 1, 1], DivideSelection.Split(3, [34, 33, 33]));
        Assert.Equal([0, 0], DivideSelection.Split(0, [50, 50]));
        Assert.Equal(7, DivideSelection.Split(7, [10, 20, 30, 40]).Sum());
    }

    [Fact]
    public void Divide_without_a_split_shares_evenly_and_attaches_per_domain_overrides()
    {
        var plan = ThreeClusters()
            .Policy("split", p => p
                .Clusters("cluster.class", "production")
                .Divide(WellKnownLabels.Region)
                .Override("us-east-1", "metadata.labels['network']", "east")
                .Override("us-west-2", "metadata.labels['network']", "west")
                .Override("us-west-2", "spec.suspend", "true", kind: "RayCluster"))
            .Workload("serve", w => w.Policy("split").Workers("w", 5, 500, 1))
            .Plan();

        Assert.Equal(["east-1", "west-1"], plan.ClustersOf("serve"));
        var east = plan.CopyOn("serve", "east-1");
        var west = plan.CopyOn("serve", "west-1");
        Assert.Equal(3, east.WorkerReplicas["w"]);
        Assert.Equal(2, west.WorkerReplicas["w"]);
        Assert.Equal("east", Assert.Single(east.Overrides).StaticValue!.GetValue<string>());
        // The RayCluster-only override does not apply to a RayJob.
        Assert.Equal("west", Assert.Single(west.Overrides).StaticValue!.GetValue<string>());
    }

    [Fact]
    public void Divide_is_all_or_nothing_when_one_share_fits_nowhere()
    {
        var plan = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("split", p => p.Divide(split: [("a", 50), ("b", 50)]))
            .Workload("big", w => w.Policy("split").Head(500, 1).Workers("w", 4, 3000, 2))
            .Workload("later", w => w.Head(12000, 8))
            .Plan();

        var big = plan.Placements["big"];
        Assert.False(big.IsPlaced);
        Assert.Contains("Divide share", big.UnplacedReason);
        // The share that did fit on 'a' was rolled back, so 'a' still has room for 'later'.
        Assert.Equal("a", plan.ClusterOf("later"));
    }

    [Fact]
    public void Group_by_label_key_puts_the_whole_group_on_one_cluster()
    {
        var plan = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Policy("together", p => p.InNamespace("default").SelectsWorkloads("suite", "rag").GroupBy("pipeline"))
            .Workload("ingest", w => w.Label("suite", "rag").Label("pipeline", "p1").Head(1000, 2).Workers("w", 1, 6000, 8))
            .Workload("index", w => w.Label("suite", "rag").Label("pipeline", "p1").Head(1000, 2).Workers("w", 1, 6000, 8))
            .Workload("query", w => w.Label("suite", "rag").Label("pipeline", "p1").Head(1000, 2).Workers("w", 1, 6000, 8))
            .Plan();

        // 21 CPU together: more than one node of 'a' holds, so all three go to 'b' (which scales to 2 nodes).
        Assert.Equal("b", plan.ClusterOf("ingest"));
        Assert.Equal("b", plan.ClusterOf("index"));
        Assert.Equal("b", plan.ClusterOf("query"));
        Assert.Equal("together", plan.Placements["query"].Policy);
        Assert.Equal(2, plan.Clusters["b"].Pools[0].DesiredNodes);
    }

    [Fact]
    public void Different_group_values_are_placed_independently()
    {
        var plan = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Policy("together", p => p.InNamespace("default").GroupBy("color"))
            .Workload("red-1", w => w.Label("color", "red").Workers("w", 1, 6000, 8))
            .Workload("red-2", w => w.Label("color", "red").Workers("w", 1, 6000, 8))
            .Workload("blue-1", w => w.Label("color", "blue").Workers("w", 1, 6000, 8))
            .Workload("blue-2", w => w.Label("color", "blue").Workers("w", 1, 6000, 8))
            .Plan();

        Assert.Equal(plan.ClusterOf("red-1"), plan.ClusterOf("red-2"));
        Assert.Equal(plan.ClusterOf("blue-1"), plan.ClusterOf("blue-2"));
        Assert.NotEqual(plan.ClusterOf("red-1"), plan.ClusterOf("blue-1"));
    }

    [Fact]
    public void Override_values_survive_as_json()
    {
        var plan = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Policy("dup", p => p.Duplicate().Override("a", "metadata.labels['x']", "y"))
            .Workload("w", w => w.Policy("dup"))
            .Plan();

        var o = Assert.Single(plan.CopyOn("w", "a").Overrides);
        Assert.Equal("metadata.labels['x']", o.FieldPath);
        Assert.Equal("String", JsonValueKind(o.StaticValue));
    }

    private static string JsonValueKind(JsonNode? node) => node!.GetValueKind().ToString();

    [Fact]
    public void Duplicate_puts_a_copy_on_each_matching_cluster_worked_out_to_fit_and_none_elsewhere()
    {
        // Worked out by hand: serve needs a 1-CPU head and two 3-CPU, 8 GiB workers (7 CPU, 18 GiB in all).
        // big-a and big-b (production, up to 2 × m5.4xlarge: 16 vCPU, 64 GiB a node) hold it easily; tiny (production,
        // one m5.xlarge: 4 vCPU) cannot hold even the two workers; dev (development) does not match the selector.
        var plan = new FleetBuilder()
            .Cluster("big-a", c => c.Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("big-b", c => c.Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 0, 2))
            .Cluster("tiny", c => c.Label("cluster.class", "production").Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("dev", c => c.Label("cluster.class", "development").Pool("cpu", "m5.4xlarge", 1, 2))
            .Policy("everywhere", p => p.Clusters("cluster.class", "production").Duplicate())
            .Workload("serve", w => w.Policy("everywhere").Head(1000, 2).Workers("w", 2, 3000, 8))
            .Plan();

        Assert.Equal<string>(["big-a", "big-b"], plan.Placements["serve"].Copies.Select(c => c.Cluster).Order(StringComparer.Ordinal));
        Assert.Equal("tiny", Assert.Single(plan.Placements["serve"].MissingCopies).Domain);
    }
}
