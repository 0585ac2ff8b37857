using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class ExplainAndJsonTests
{
    private static FleetBuilder Fleet() => new FleetBuilder()
        .Cluster("aws-cpu", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
        .Cluster("gke-l4", c => c.Gcp().Dynamic().Standby(StandbyMode.Suspend).Pool("cpu", "n2-standard-8", 0, 1).Pool("gpu", "g2-standard-8", 0, 2))
        .Cluster("prod", c => c.Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 0, 2))
        .Policy("prod-only", p => p.Clusters("cluster.class", "production"))
        .Policy("split", p => p.Divide(WellKnownLabels.Provider))
        .Workload("etl", w => w.Workers("w", 2, 2000, 4))
        .Workload("llm", w => w.Kind(SkyRay.Fleet.Workloads.RayKind.RayService).Workers("gpu", 2, 4000, 16, gpu: 1, gpuType: "L4"))
        .Workload("pinned", w => w.Policy("prod-only"))
        .Workload("spread", w => w.Policy("split").Workers("w", 3, 500, 1))
        .Workload("huge", w => w.Workers("w", 1, 64000, 16));

    [Fact]
    public void Explain_gives_every_placed_workload_a_verdict_for_every_cluster_with_one_selected()
    {
        var plan = Fleet().Plan(explain: true);

        foreach (var placement in plan.Placements.Values.Where(p => p.IsPlaced))
        {
            Assert.Equal(plan.Clusters.Keys, placement.Verdicts.Select(v => v.Cluster));
            Assert.Equal(placement.Copies.Length, placement.Verdicts.Count(v => v.Reason.Contains("selected:", StringComparison.Ordinal)));
            Assert.All(placement.Verdicts.Where(v => v.Accepted), v => Assert.NotNull(v.Score));
        }

        var etl = plan.Placements["etl"].Verdicts;
        Assert.StartsWith("selected: fits in running nodes", etl.Single(v => v.Cluster == "aws-cpu").Reason, StringComparison.Ordinal);
        Assert.Contains("not chosen (launch-tier prefers aws-cpu)", etl.Single(v => v.Cluster == "prod").Reason);
    }

    [Fact]
    public void Explain_mode_places_exactly_like_the_default_mode()
    {
        var quiet = Fleet().Plan();
        var loud = Fleet().Plan(explain: true);

        foreach (var name in quiet.Placements.Keys)
        {
            Assert.Equal(quiet.Placements[name].Copies, loud.Placements[name].Copies, CopyComparer.Instance);
        }
    }

    [Fact]
    public void Default_mode_keeps_verdicts_only_for_chosen_clusters_but_all_for_unplaced_ones()
    {
        var plan = Fleet().Plan();

        var etl = Assert.Single(plan.Placements["etl"].Verdicts);
        Assert.True(etl.Accepted);
        Assert.StartsWith("selected:", etl.Reason, StringComparison.Ordinal);
        var huge = plan.Placements["huge"];
        Assert.False(huge.IsPlaced);
        Assert.Equal(3, huge.Verdicts.Length);
        Assert.Contains("too small for one pod", huge.Verdicts[0].Reason);
    }

    [Fact]
    public void Plan_json_round_trips_and_is_deterministic()
    {
        var plan = Fleet().Plan(explain: true);
        var json = PlanJson.Write(plan);

        Assert.Equal(json, PlanJson.Write(Fleet().Plan(explain: true)));
        var read = PlanJson.Read(json);
        Assert.Equal(json, PlanJson.Write(read));
        Assert.Equal(plan.HourlyCost, read.HourlyCost);
        Assert.Contains("\"placements\"", json);
        Assert.Contains("\"tier\": \"runningNodes\"", json);
        Assert.DoesNotContain("\"unplaced\"", json);
    }

    [Fact]
    public void A_plan_read_from_json_works_as_previous()
    {
        var first = Fleet().Plan();
        var second = Fleet().Plan(PlanJson.Read(PlanJson.Write(first)));

        foreach (var name in first.Placements.Keys)
        {
            Assert.Equal(first.ClustersOf(name), second.ClustersOf(name));
        }
    }

    private sealed class CopyComparer : IEqualityComparer<WorkloadCopy>
    {
        public static CopyComparer Instance { get; } = new();

        public bool Equals(WorkloadCopy? x, WorkloadCopy? y) =>
            x is not null && y is not null && x.Cluster == y.Cluster && x.Tier == y.Tier && x.HourlyCost == y.HourlyCost &&
            x.WorkerReplicas.SequenceEqual(y.WorkerReplicas) && x.GroupPools.SequenceEqual(y.GroupPools);

        public int GetHashCode(WorkloadCopy obj) => obj.Cluster.GetHashCode(StringComparison.Ordinal);
    }
}
