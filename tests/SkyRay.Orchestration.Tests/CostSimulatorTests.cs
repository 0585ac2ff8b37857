using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Costs;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>Numbers worked out by hand; prices: cpu.x $0.50/h, gpu.x $2/h (aws), g.gcp $1/h (gcp), a.az $3/h (azure).</summary>
public sealed class CostSimulatorTests
{
    /// <summary>
    /// aws-static (static, no standby): cpu 1..4 planned 2, gpu 0..4 planned 3; holds serve (RayService) and train (RayJob).
    /// gcp-burst (dynamic, standby as given): g 1..8 planned 2; holds batch (RayJob) only.
    /// az-idle (static, suspend): a 1..2, in standby. aws-jit (dynamic): cpu 2..4, absent. onprem (existing, no catalog): 3 nodes.
    /// </summary>
    private static (FleetSpec Spec, FleetPlan Plan) Fleet(StandbyMode burstStandby = StandbyMode.Delete, bool trainKeepsCluster = false)
    {
        var train = new WorkloadBuilder("train").Kind(RayKind.RayJob);
        var spec = new FleetSpecBuilder()
            .InstanceType("cpu.x", "aws", 0.50m)
            .InstanceType("gpu.x", "aws", 2.00m, gpus: 1)
            .InstanceType("g.gcp", "gcp", 1.00m, gpus: 1)
            .InstanceType("a.az", "azure", 3.00m, gpus: 1)
            .Cluster(ClusterBuilder.Aws("aws-static").Pool("cpu", "cpu.x", 1, 4).Pool("gpu", "gpu.x", 0, 4))
            .Cluster(ClusterBuilder.Gcp("gcp-burst").Dynamic().Standby(burstStandby, TimeSpan.FromMinutes(30)).Pool("g", "g.gcp", 1, 8))
            .Cluster(ClusterBuilder.Azure("az-idle").Standby(StandbyMode.Suspend, TimeSpan.FromHours(1)).Pool("a", "a.az", 1, 2))
            .Cluster(ClusterBuilder.Aws("aws-jit").Dynamic().Pool("cpu", "cpu.x", 2, 4))
            .Cluster(ClusterBuilder.Existing("onprem", "lab").Pool("workers", "w.unknown", 3, 3))
            .Workload(new WorkloadBuilder("serve"))
            .Workload(trainKeepsCluster ? train.KeepsCluster() : train)
            .Workload(new WorkloadBuilder("batch").Kind(RayKind.RayJob))
            .Build();
        var plan = new FleetPlanBuilder(spec)
            .Standby("az-idle")
            .Absent("aws-jit")
            .Place("serve", "aws-static")
            .Place("train", "aws-static")
            .Place("batch", "gcp-burst")
            .Desired("aws-static", "cpu", 2)
            .Desired("aws-static", "gpu", 3)
            .Desired("gcp-burst", "g", 2)
            .Build();
        return (spec, plan);
    }

    private static Dictionary<string, (decimal Plan, decimal Baseline)> ByCluster(CostSimulation simulation) =>
        simulation.Clusters.ToDictionary(c => c.Cluster, c => (c.PlanUsd, c.BaselineUsd));

    [Fact]
    public void Active_pays_fee_and_planned_nodes_standby_the_fee_only_absent_nothing_baseline_everything_at_max_of_planned_and_min()
    {
        var (spec, plan) = Fleet();

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 1m));

        var clusters = ByCluster(simulation);
        Assert.Equal((710m, 710m), clusters["aws-static"]);   // (0.10 + 2×0.50 + 3×2.00) × 100
        Assert.Equal((210m, 210m), clusters["gcp-burst"]);    // (0.10 + 2×1.00) × 100
        Assert.Equal((0m, 300m), clusters["az-idle"]);        // standby, AKS free tier; baseline 1×3.00 × 100
        Assert.Equal((0m, 110m), clusters["aws-jit"]);        // absent; baseline (0.10 + 2×0.50) × 100
        Assert.Equal((0m, 0m), clusters["onprem"]);           // existing: no fee, its type has no price
        Assert.Equal(920m, simulation.PlanUsd);
        Assert.Equal(1330m, simulation.BaselineUsd);
        Assert.Equal(410m, simulation.SavingsUsd);
        Assert.Equal(30.83m, Math.Round(simulation.SavingsPercent, 2));
    }

    [Fact]
    public void Unknown_instance_type_is_counted_free_and_listed()
    {
        var (spec, plan) = Fleet();

        var simulation = CostSimulator.Simulate(spec, plan, CostPeriod.Month);

        Assert.Equal(["onprem/workers: w.unknown"], simulation.Unpriced.ToArray());
        var workers = simulation.Clusters.Single(c => c.Cluster == "onprem").Pools.Single();
        Assert.False(workers.Priced);
        Assert.Equal((3, 3), (workers.PlannedNodes, workers.BaselineNodes));
    }

    [Fact]
    public void Month_is_730_hours()
    {
        var (spec, plan) = Fleet();

        var simulation = CostSimulator.Simulate(spec, plan, CostPeriod.Month);

        Assert.Equal(7.10m * 730m, simulation.Clusters.Single(c => c.Cluster == "aws-static").PlanUsd);
    }

    [Fact]
    public void Jobs_only_cluster_that_may_rest_is_active_for_the_utilized_share_and_absent_otherwise_with_delete_standby()
    {
        var (spec, plan) = Fleet(StandbyMode.Delete);

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 0.25m));

        var burst = simulation.Clusters.Single(c => c.Cluster == "gcp-burst");
        Assert.Equal(25m, burst.ActiveHours);
        Assert.Equal(52.5m, burst.PlanUsd);                   // 25 h × 2.10, then nothing
        Assert.Equal(210m, burst.BaselineUsd);
    }

    [Fact]
    public void Jobs_only_cluster_with_suspend_standby_pays_the_control_plane_while_resting()
    {
        var (spec, plan) = Fleet(StandbyMode.Suspend);

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 0.25m));

        Assert.Equal(60m, simulation.Clusters.Single(c => c.Cluster == "gcp-burst").PlanUsd);   // 25 × 2.10 + 75 × 0.10
    }

    [Fact]
    public void Mixed_cluster_keeps_fee_and_min_nodes_and_scales_only_the_jobs_share_of_the_nodes_above_min()
    {
        var (spec, plan) = Fleet();

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 0.25m));

        // floor 0.10 + 1×0.50 = 0.60; above min 1×0.50 + 3×2.00 = 6.50, half of it train's (equal copy costs):
        // 6.50 × (1 − 0.5 × 0.75) = 4.0625; (0.60 + 4.0625) × 100
        Assert.Equal(466.25m, simulation.Clusters.Single(c => c.Cluster == "aws-static").PlanUsd);
        Assert.Equal(518.75m, simulation.PlanUsd);
        Assert.Equal(811.25m, simulation.SavingsUsd);
    }

    [Fact]
    public void Jobs_share_of_a_mixed_cluster_follows_the_copies_planned_costs()
    {
        var (spec, _) = Fleet();
        var plan = new FleetPlanBuilder(spec)
            .Standby("az-idle").Absent("aws-jit")
            .Place("serve", "aws-static").Place("train", "aws-static").Place("batch", "gcp-burst")
            .Desired("aws-static", "cpu", 2).Desired("aws-static", "gpu", 3).Desired("gcp-burst", "g", 2)
            .CopyCost("serve", "aws-static", 1m).CopyCost("train", "aws-static", 3m)
            .Build();

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 0m));

        // train is 3/4 of the copies' cost and never runs: 0.60 + 6.50 × (1 − 0.75) = 2.225 per hour
        Assert.Equal(222.5m, simulation.Clusters.Single(c => c.Cluster == "aws-static").PlanUsd);
    }

    [Fact]
    public void Utilization_does_not_touch_services_or_jobs_that_keep_their_ray_cluster()
    {
        var (spec, plan) = Fleet(trainKeepsCluster: true);

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 0.25m));

        Assert.Equal(710m, simulation.Clusters.Single(c => c.Cluster == "aws-static").PlanUsd);
        Assert.False(CostSimulator.IsElastic(spec.Workloads["train"]));
        Assert.False(CostSimulator.IsElastic(spec.Workloads["serve"]));
        Assert.True(CostSimulator.IsElastic(spec.Workloads["batch"]));
    }

    [Fact]
    public void Full_utilization_is_the_plan_as_it_stands()
    {
        var (spec, plan) = Fleet();

        var full = CostSimulator.Simulate(spec, plan, new CostPeriod(100m, 1m));

        Assert.All(full.Clusters.Where(c => c.State == ClusterState.Active), c => Assert.Equal(100m, c.ActiveHours));
    }

    [Theory]
    [InlineData(ClusterState.Standby)]
    [InlineData(ClusterState.Absent)]
    public void Resting_cluster_has_no_planned_nodes_but_the_baseline_runs_its_min(ClusterState state)
    {
        var (spec, _) = Fleet();
        var plan = new FleetPlanBuilder(spec).State("aws-static", state).Standby("az-idle").Absent("aws-jit").Build();

        var simulation = CostSimulator.Simulate(spec, plan, new CostPeriod(10m, 1m));

        var cluster = simulation.Clusters.Single(c => c.Cluster == "aws-static");
        Assert.All(cluster.Pools, p => Assert.Equal(0, p.PlannedNodes));
        Assert.Equal(state == ClusterState.Standby ? 1m : 0m, cluster.PlanUsd);   // EKS fee 0.10 × 10 h in standby
        Assert.Equal(6m, cluster.BaselineUsd);                                    // (0.10 + 1×0.50) × 10
    }

    [Fact]
    public void Control_plane_fees_are_the_documented_list_prices()
    {
        Assert.Equal(0.10m, ControlPlaneFees.HourlyUsd(CloudProvider.Aws));
        Assert.Equal(0m, ControlPlaneFees.HourlyUsd(CloudProvider.Azure));
        Assert.Equal(0.10m, ControlPlaneFees.HourlyUsd(CloudProvider.Gcp));
        Assert.Equal(0m, ControlPlaneFees.HourlyUsd(CloudProvider.Existing));
    }
}
