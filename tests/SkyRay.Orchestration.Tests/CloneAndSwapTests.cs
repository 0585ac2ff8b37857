using System.Collections.Immutable;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Orchestration.Upgrades;

namespace SkyRay.Orchestration.Tests;

public sealed class CloneAndSwapTests
{
    private static UpgradeState Started() =>
        CloneAndSwap.Start(ClusterBuilder.Aws("main").Version("1.31").Label("cluster.class", "production").Build(), "1.32", ["llm", "chat"]);

    private static ServingStatus Ready(params (string Cluster, string[] Workloads)[] ready) => new(
        ready.ToImmutableSortedDictionary(r => r.Cluster, r => r.Workloads.ToImmutableSortedSet(StringComparer.Ordinal), StringComparer.Ordinal));

    private static UpgradeState At(UpgradePhase phase, ServingStatus status)
    {
        var state = Started();
        while (state.Phase != phase)
        {
            var step = CloneAndSwap.Advance(state, status);
            Assert.Equal(UpgradeOutcome.Advanced, step.Outcome);
            state = step.State;
        }

        return state;
    }

    private static readonly ServingStatus BothReady = Ready(("main", ["chat", "llm"]), ("main-1-32", ["chat", "llm"]));

    [Fact]
    public void Upgrade_starts_labelled_with_traffic_on_the_old_cluster_and_the_clone_named_for_the_new_version()
    {
        var state = Started();

        Assert.Equal(UpgradePhase.Labelled, state.Phase);
        Assert.Equal("main-1-32", state.CloneCluster);
        Assert.Equal(["main"], state.TrafficTargets.ToArray());
        Assert.Equal(["chat", "llm"], state.ServingWorkloads.ToArray());
        Assert.Equal(["main"], state.LiveClusters.ToArray());
    }

    [Fact]
    public void Clone_of_a_clone_replaces_the_version_suffix_instead_of_stacking_it()
    {
        Assert.Equal("main-1-33", CloneAndSwap.CloneName("main-1-32", "1.32", "1.33"));
    }

    [Fact]
    public void Clone_spec_keeps_labels_and_pools_at_the_new_version()
    {
        var old = ClusterBuilder.Aws("main").Version("1.31").Label("cluster.class", "production").Pool("gpu", "g5.2xlarge", 1, 4).Build();
        var state = CloneAndSwap.Start(old, "1.32", ["llm"]);

        var clone = CloneAndSwap.CloneSpec(old, state);

        Assert.Equal(("main-1-32", "1.32"), (clone.Name, clone.KubernetesVersion));
        Assert.Equal(old.Labels, clone.Labels);
        Assert.Equal(old.NodePools, clone.NodePools);
    }

    [Fact]
    public void Full_upgrade_walks_label_clone_swap_retire_one_step_per_run()
    {
        var state = Started();
        var phases = new List<UpgradePhase> { state.Phase };
        for (var run = 0; run < 3; run++)
        {
            var step = CloneAndSwap.Advance(state, BothReady);
            Assert.Equal(UpgradeOutcome.Advanced, step.Outcome);
            state = step.State;
            phases.Add(state.Phase);
        }

        Assert.Equal([UpgradePhase.Labelled, UpgradePhase.Cloned, UpgradePhase.Swapped, UpgradePhase.Retired], phases);
        Assert.Equal(["main-1-32"], state.TrafficTargets.ToArray());
        Assert.Equal(["main-1-32"], state.LiveClusters.ToArray());
        Assert.Equal(UpgradeOutcome.Done, CloneAndSwap.Advance(state, BothReady).Outcome);
    }

    [Fact]
    public void Cloned_phase_keeps_both_clusters_live_and_traffic_on_the_old_one()
    {
        var state = At(UpgradePhase.Cloned, BothReady);

        Assert.Equal(["main", "main-1-32"], state.LiveClusters.ToArray());
        Assert.Equal(["main"], state.TrafficTargets.ToArray());
    }

    [Fact]
    public void Swap_waits_until_every_serving_workload_is_ready_on_the_clone()
    {
        var cloned = At(UpgradePhase.Cloned, BothReady);
        var partly = Ready(("main", ["chat", "llm"]), ("main-1-32", ["chat"]));

        var step = CloneAndSwap.Advance(cloned, partly);

        Assert.Equal(UpgradeOutcome.Waiting, step.Outcome);
        Assert.Same(cloned, step.State);
        Assert.Equal("waiting for llm to be Ready on main-1-32; traffic stays on main", step.Reason);
    }

    [Fact]
    public void Retire_is_refused_when_the_clone_behind_the_traffic_record_is_no_longer_ready()
    {
        var swapped = At(UpgradePhase.Swapped, BothReady);
        var cloneDown = Ready(("main", ["chat", "llm"]), ("main-1-32", ["chat"]));

        var step = CloneAndSwap.Advance(swapped, cloneDown);

        Assert.Equal(UpgradeOutcome.Refused, step.Outcome);
        Assert.Same(swapped, step.State);
        Assert.Contains("main", step.State.LiveClusters);
        Assert.Contains("not Ready: llm@main-1-32", step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_without_serving_workloads_swaps_and_retires_without_waiting()
    {
        var state = CloneAndSwap.Start(ClusterBuilder.Gcp("batch").Version("1.30").Build(), "1.31", []);
        var nothingReported = Ready();

        for (var run = 0; run < 3; run++)
        {
            state = CloneAndSwap.Advance(state, nothingReported).State;
        }

        Assert.Equal(UpgradePhase.Retired, state.Phase);
    }
}
