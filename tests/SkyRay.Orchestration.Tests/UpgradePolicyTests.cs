using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Orchestration.Traffic;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>
/// Clone-and-swap driven across successive runs: the outputs of run N (exported by the orchestrator, through the JSON
/// the Pulumi outputs carry) are the previous outputs of run N+1.
/// </summary>
public sealed class UpgradePolicyTests
{
    /// <summary>Fake workloads; the placements output is the real plan JSON, which readiness is read back from.</summary>
    private static readonly FleetRendering Rendering = FakeRendering.Instance;

    /// <summary>main (aws) serves llm behind a record and runs a batch job; edge (gcp) is untouched by the upgrade.</summary>
    private static FleetSpec Spec(string version = "1.32", UpgradeStrategy? strategy = null, bool traffic = true)
    {
        var main = ClusterBuilder.Aws("main").Version(version).Label("cluster.class", "production").Pool("cpu", "m6i.2xlarge", 1, 4);
        if (strategy is { } s)
        {
            main = main.Upgrade(s);
        }

        var builder = new FleetSpecBuilder()
            .Cluster(main)
            .Cluster(ClusterBuilder.Gcp("edge").Version(version).Pool("cpu", "e2-standard-4", 1, 2))
            .Workload(new WorkloadBuilder("llm"))
            .Workload(new WorkloadBuilder("batch").Kind(RayKind.RayJob));
        return (traffic ? builder.Traffic("llm", "llm") : builder).Build();
    }

    private static FleetPlan PlanOf(FleetSpec spec) => new FleetPlanBuilder(spec).Place("llm", "main").Place("batch", "main").Build();

    /// <summary>One run: decide, declare through the recorder, export; the outputs travel as Pulumi would carry them.</summary>
    private static (UpgradePlan Upgrade, RecordingPorts Recorder, FleetOutputs Outputs) Run(FleetSpec spec, FleetOutputs? previous)
    {
        var upgrade = UpgradePolicy.Decide(spec, PlanOf(spec), previous);
        var recorder = RecordingPorts.Record(TestRun.Of(upgrade), Rendering);
        return (upgrade, recorder, TestRun.ThroughStackOutputs(recorder.Exported.Single()));
    }

    /// <summary>Run 0: the fleet deployed at 1.31; then the version is bumped to 1.32 and runs 1.. follow.</summary>
    private static List<(UpgradePlan Upgrade, RecordingPorts Recorder, FleetOutputs Outputs)> Runs(int count, FleetSpec? bumped = null)
    {
        var runs = new List<(UpgradePlan, RecordingPorts, FleetOutputs)> { Run(Spec("1.31"), null) };
        for (var i = 1; i <= count; i++)
        {
            runs.Add(Run(bumped ?? Spec(), runs[^1].Item3));
        }

        return runs;
    }

    private static ImmutableArray<string> Copies(UpgradePlan upgrade, string workload) =>
        [.. upgrade.Plan.Placements[workload].Copies.Select(c => c.Cluster)];

    [Fact]
    public void Run_after_a_version_bump_clones_the_serving_cluster_and_keeps_traffic_on_the_old_one()
    {
        var (upgrade, recorder, outputs) = Runs(1)[1];

        var decision = upgrade.Decisions["main"];
        Assert.Equal(UpgradeOutcome.Advanced, decision.Outcome);
        Assert.Equal(UpgradePhase.Cloned, decision.State.Phase);
        Assert.Equal<string>(["edge", "main", "main-1-32"], upgrade.Spec.Clusters.Keys);
        Assert.Equal("1.31", upgrade.Spec.Clusters["main"].KubernetesVersion);
        Assert.Equal("1.32", upgrade.Spec.Clusters["main"].Labels[CloneAndSwap.UpgradeLabel]);
        var clone = upgrade.Spec.Clusters["main-1-32"];
        Assert.Equal("1.32", clone.KubernetesVersion);
        Assert.Equal("main", clone.Labels[UpgradePolicy.UpgradeOfLabel]);
        Assert.Equal("production", clone.Labels["cluster.class"]);
        Assert.Equal(upgrade.Spec.Clusters["main"].NodePools, clone.NodePools);
        Assert.Equal("main-1-32", upgrade.Plan.Clusters["main-1-32"].Labels[WellKnownLabels.ClusterName]);
        Assert.Equal<string>(["main", "main-1-32"], Copies(upgrade, "llm"));
        Assert.Equal<string>(["main"], Copies(upgrade, "batch"));
        Assert.Equal<string>(["main"], outputs.Traffic["llm"]);
        Assert.Contains("+ RayService llm → main-1-32", recorder.PreviewLines());
        Assert.Equal("~ upgrade main 1.31 → 1.32 (cloned, step 1 of 3): cloned main as main-1-32 at 1.32; serving workloads duplicated: llm", recorder.PreviewLines()[0]);
        Assert.Contains("+ traffic llm.example.com → main (CNAME)", recorder.PreviewLines());
    }

    [Fact]
    public void Second_run_swaps_the_traffic_record_to_the_clone_and_keeps_the_old_cluster_as_fallback()
    {
        var (upgrade, recorder, outputs) = Runs(2)[2];

        Assert.Equal(UpgradePhase.Swapped, upgrade.Decisions["main"].State.Phase);
        Assert.Equal<string>(["edge", "main", "main-1-32"], upgrade.Spec.Clusters.Keys);
        Assert.Equal<string>(["main-1-32"], outputs.Traffic["llm"]);
        Assert.Contains("~ traffic llm.example.com → main-1-32 (was main; CNAME)", recorder.PreviewLines());
    }

    [Fact]
    public void Third_run_retires_the_old_cluster_and_moves_its_other_workloads_to_the_clone()
    {
        var (upgrade, recorder, outputs) = Runs(3)[3];

        Assert.Equal(UpgradePhase.Retired, upgrade.Decisions["main"].State.Phase);
        Assert.Equal<string>(["edge", "main-1-32"], upgrade.Spec.Clusters.Keys);
        Assert.Equal<string>(["main-1-32"], Copies(upgrade, "llm"));
        Assert.Equal<string>(["main-1-32"], Copies(upgrade, "batch"));
        Assert.Equal<string>(["main-1-32"], outputs.Traffic["llm"]);
        Assert.DoesNotContain(recorder.Calls, c => c.Cluster == "main");
        Assert.Equal("1.32", outputs.Clusters["main-1-32"].KubernetesVersion);
    }

    [Fact]
    public void Finished_upgrade_keeps_declaring_the_clone_in_place_of_the_configured_cluster()
    {
        var runs = Runs(5);

        Assert.Equal(UpgradeOutcome.Done, runs[4].Upgrade.Decisions["main"].Outcome);
        Assert.Equal(runs[3].Recorder.Calls.Select(c => c.Id), runs[5].Recorder.Calls.Select(c => c.Id));
        Assert.DoesNotContain(runs[5].Recorder.PreviewLines(), l => l.StartsWith("~ traffic", StringComparison.Ordinal));
    }

    [Fact]
    public void Next_version_bump_clones_the_clone_under_the_next_version_name()
    {
        var runs = Runs(3);

        var next = Run(Spec("1.33"), runs[3].Outputs);

        Assert.Equal<string>(["edge", "main-1-32", "main-1-33"], next.Upgrade.Spec.Clusters.Keys);
        Assert.Equal("main-1-32", next.Upgrade.Decisions["main"].State.Cluster);
        Assert.Equal("1.32", next.Upgrade.Spec.Clusters["main-1-32"].KubernetesVersion);
    }

    [Fact]
    public void Swap_waits_while_the_clone_has_not_served_in_a_successful_run()
    {
        var runs = Runs(1);
        // The previous run's placements lost the clone's copy: nothing says the clone's RayService was ever Ready.
        var withoutClone = runs[1].Outputs with { Placements = PlanJson.Write(PlanOf(Spec())) };

        var (upgrade, _, outputs) = Run(Spec(), withoutClone);

        Assert.Equal(UpgradeOutcome.Waiting, upgrade.Decisions["main"].Outcome);
        Assert.Equal(UpgradePhase.Cloned, upgrade.Decisions["main"].State.Phase);
        Assert.Equal<string>(["main"], outputs.Traffic["llm"]);
    }

    [Fact]
    public void Retiring_is_refused_when_no_Ready_serving_cluster_would_remain_behind_the_record()
    {
        var runs = Runs(2);
        var cloneDown = runs[2].Outputs with
        {
            Clusters = runs[2].Outputs.Clusters.SetItem("main-1-32", runs[2].Outputs.Clusters["main-1-32"] with { State = "absent" }),
        };

        var (upgrade, recorder, _) = Run(Spec(), cloneDown);

        var decision = upgrade.Decisions["main"];
        Assert.Equal(UpgradeOutcome.Refused, decision.Outcome);
        Assert.StartsWith("refused: after this step no Ready serving cluster would be behind the traffic record (main-1-32)", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(UpgradePhase.Swapped, decision.State.Phase);
        Assert.Contains(recorder.Calls, c => c.Kind == RecordedKind.Cluster && c.Cluster == "main");
    }

    [Fact]
    public void Cluster_without_a_traffic_record_is_upgraded_in_place_untouched()
    {
        var runs = new[] { Run(Spec("1.31", traffic: false), null) };

        var (upgrade, _, _) = Run(Spec(traffic: false), runs[0].Outputs);

        Assert.Empty(upgrade.Decisions);
        Assert.Equal<string>(["edge", "main"], upgrade.Spec.Clusters.Keys);
        Assert.Equal("1.32", upgrade.Spec.Clusters["main"].KubernetesVersion);
        Assert.Equal<string>(["main"], Copies(upgrade, "llm"));
    }

    [Fact]
    public void Explicit_in_place_strategy_wins_over_a_traffic_record()
    {
        var first = Run(Spec("1.31", UpgradeStrategy.InPlace), null);

        var (upgrade, _, outputs) = Run(Spec(strategy: UpgradeStrategy.InPlace), first.Outputs);

        Assert.Empty(upgrade.Decisions);
        Assert.Equal("1.32", upgrade.Spec.Clusters["main"].KubernetesVersion);
        Assert.Equal<string>(["main"], outputs.Traffic["llm"]);
    }

    [Fact]
    public void First_deploy_creates_the_cluster_at_its_configured_version_without_cloning()
    {
        var (upgrade, _, _) = Run(Spec(), null);

        Assert.Empty(upgrade.Decisions);
        Assert.Equal<string>(["edge", "main"], upgrade.Spec.Clusters.Keys);
    }

    [Fact]
    public void Clone_name_taken_by_a_declared_cluster_refuses_the_upgrade_and_keeps_the_running_version()
    {
        var first = Run(Spec("1.31"), null);
        var spec = Spec() with { Clusters = Spec().Clusters.Add("main-1-32", Spec().Clusters["edge"] with { Name = "main-1-32" }) };

        var upgrade = UpgradePolicy.Decide(spec, new FleetPlanBuilder(spec).Place("llm", "main").Place("batch", "main").Build(), first.Outputs);

        Assert.Equal(UpgradeOutcome.Refused, upgrade.Decisions["main"].Outcome);
        Assert.Contains("a cluster of that name is declared", upgrade.Decisions["main"].Reason, StringComparison.Ordinal);
        Assert.Equal("1.31", upgrade.Spec.Clusters["main"].KubernetesVersion);
    }

    [Fact]
    public void Traffic_record_of_ip_addressed_clusters_is_an_A_record_over_every_serving_cluster()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Gcp("gke-a").Pool("cpu", "e2-standard-4", 1, 2))
            .Cluster(ClusterBuilder.Azure("aks-b").Pool("cpu", "Standard_D8s_v5", 1, 2))
            .Workload(new WorkloadBuilder("llm"))
            .Traffic("llm", "llm", DnsProvider.CloudDns)
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("llm", "aks-b", "gke-a").Build();

        var record = Assert.Single(TrafficRouting.Decide(spec, plan, null));

        Assert.Equal(TrafficRecordType.A, record.RecordType);
        Assert.Equal<string>(["aks-b", "gke-a"], record.Targets);
    }

    [Fact]
    public void Traffic_switch_is_called_after_the_workloads_with_the_serving_copies_it_points_at()
    {
        var (_, recorder, _) = Runs(2)[2];

        var traffic = Assert.Single(recorder.Calls, c => c.Kind == RecordedKind.Traffic);
        Assert.Equal<string>(["RayService/default/llm@main-1-32"], traffic.DependsOn);
        Assert.True(recorder.Calls.ToList().IndexOf(traffic) > recorder.Calls.ToList().FindLastIndex(c => c.Kind == RecordedKind.Workload));
    }

    [Fact]
    public void Configured_view_gives_the_planner_and_standby_the_upgraded_cluster_under_its_configured_name()
    {
        var runs = Runs(3);

        var during = UpgradePolicy.ConfiguredView(runs[1].Outputs)!;
        var after = UpgradePolicy.ConfiguredView(runs[3].Outputs)!;

        Assert.Equal<string>(["main"], PlanJson.Read(during.Placements).Placements["llm"].Copies.Select(c => c.Cluster));
        Assert.Equal("1.32", after.Clusters["main"].KubernetesVersion);
        Assert.Equal("active", after.Clusters["main"].State);
        Assert.Equal<string>(["main"], PlanJson.Read(after.Placements).Placements["batch"].Copies.Select(c => c.Cluster));
        Assert.Equal<string>(["edge", "main"], PlanJson.Read(after.Placements).Clusters.Keys);
    }

    [Fact]
    public void Unreadable_upgrades_output_reads_as_no_upgrade_and_good_entries_survive_bad_ones()
    {
        var good = UpgradeJson.Write(Runs(1)[1].Outputs.Upgrades);
        var mixed = JsonNode.Parse(good)!.AsObject();
        mixed["broken"] = new JsonObject { ["cluster"] = "x", ["phase"] = "sideways" };

        Assert.Empty(UpgradeJson.Read("not json", out var notJson));
        Assert.StartsWith("it is not JSON", notJson, StringComparison.Ordinal);
        Assert.Empty(UpgradeJson.Read(null, out var none));
        Assert.Null(none);
        var read = UpgradeJson.Read(mixed.ToJsonString(), out var broken);
        Assert.Equal("the upgrade of broken lacks cluster, clone, from, to or a known phase", broken);
        Assert.Equal<string>(["main"], read.Keys);
        Assert.Equal(good, UpgradeJson.Write(read));
    }
}
