using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>The one entry point: a run decided from the stack, the previous run and the time.</summary>
public sealed class RunPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A GPU cluster with a 30-minute standby and a CPU cluster; the only workload needs no GPU.</summary>
    private static FleetSpec Spec() => new FleetSpecBuilder()
        .InstanceType("g5.2xlarge", "aws", 1.212m, gpus: 1)
        .InstanceType("m6i.2xlarge", "aws", 0.384m)
        .Cluster(ClusterBuilder.Aws("aws-gpu").Standby(StandbyMode.Suspend, TimeSpan.FromMinutes(30)).Pool("gpu", "g5.2xlarge", 1, 4))
        .Cluster(ClusterBuilder.Aws("aws-main").Pool("cpu", "m6i.2xlarge", 2, 10))
        .Workload(new WorkloadBuilder("api").CpuOnly().Workers(1))
        .Build();

    /// <summary>The previous run: api on aws-main (so it stays there), aws-gpu in the given state since <paramref name="idleSince"/>.</summary>
    private static PreviousRun Previous(string gpuState, DateTimeOffset idleSince)
    {
        var spec = Spec();
        return new PreviousRun(
            new FleetOutputs(
                ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
                    KeyValuePair.Create("aws-gpu", new ClusterOutput("aws", "1.31", "static", gpuState, idleSince.ToString("O", System.Globalization.CultureInfo.InvariantCulture))),
                    KeyValuePair.Create("aws-main", new ClusterOutput("aws", "1.31", "static", "active")),
                ]),
                ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
                [],
                string.Empty),
            new FleetPlanBuilder(spec).Place("api", "aws-main").Build(),
            2);
    }

    [Fact]
    public void A_cluster_idle_past_its_idle_after_goes_to_standby_and_the_run_says_so_in_its_steps_and_outputs()
    {
        var run = RunPlanner.Plan(new RunRequest(Spec(), Previous("active", T0), T0 + TimeSpan.FromMinutes(45)));

        Assert.True(run.Ok);
        Assert.Equal<string>(["aws-main"], run.Plan.Placements["api"].Copies.Select(c => c.Cluster));
        Assert.Equal(ClusterState.Standby, run.Plan.Clusters["aws-gpu"].State);
        Assert.Equal(
            ["~ standby aws-gpu: idle since 2026-12-01T10:00:00.0000000+00:00 for at least 00:30:00; goes to standby (suspend)"],
            run.StepLines().ToArray());
        Assert.Equal("standby", run.Outputs.Clusters["aws-gpu"].State);
        Assert.Equal("2026-12-01T10:00:00.0000000+00:00", run.Outputs.Clusters["aws-gpu"].IdleSince);
    }

    [Fact]
    public void Within_idle_after_the_idle_cluster_stays_up_and_the_step_says_until_when()
    {
        var run = RunPlanner.Plan(new RunRequest(Spec(), Previous("active", T0), T0 + TimeSpan.FromMinutes(10)));

        Assert.Equal(ClusterState.Active, run.Plan.Clusters["aws-gpu"].State);
        Assert.Equal(
            ["  idle aws-gpu: idle since 2026-12-01T10:00:00.0000000+00:00; stays active until 2026-12-01T10:30:00.0000000+00:00, then standby (suspend)"],
            run.StepLines().ToArray());
    }

    [Fact]
    public void The_walk_exports_exactly_the_outputs_the_run_decided()
    {
        var run = RunPlanner.Plan(new RunRequest(Spec(), PreviousRun.None, T0));

        var recorder = RecordingPorts.Record(run);

        Assert.Same(run.Outputs, recorder.Exported.Single());
    }

    [Fact]
    public void A_run_plans_without_verdicts_of_unplaced_workloads_and_writes_the_same_outputs_as_with_them()
    {
        // "trainer" wants ten A10G workers; aws-gpu has at most four 1-GPU nodes, so it stays unplaced.
        var spec = Spec() with
        {
            Workloads = Spec().Workloads.Add("trainer", new WorkloadBuilder("trainer").Kind(Fleet.Workloads.RayKind.RayJob).Workers(10).Build()),
        };

        var declaring = RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, T0));
        var full = RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, T0) { Planning = PlanOptions.Default });

        Assert.Same(PlanOptions.Declaring, new RunRequest(spec, PreviousRun.None, T0).Planning);
        Assert.False(declaring.Plan.Placements["trainer"].IsPlaced);
        Assert.True(declaring.Plan.Placements["trainer"].Verdicts.IsEmpty);
        Assert.Equal(2, full.Plan.Placements["trainer"].Verdicts.Length);
        Assert.Equal(full.Plan.Placements["trainer"].UnplacedReason, declaring.Plan.Placements["trainer"].UnplacedReason);
        Assert.Equal(StackOutputs.Write(full.Outputs).ToJsonString(), StackOutputs.Write(declaring.Outputs).ToJsonString());
        Assert.Contains(declaring.Outputs.Explanation, line => line.StartsWith("trainer: unplaced: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_placements_output_keeps_every_copy_and_cluster_state_but_no_verdicts()
    {
        var run = RunPlanner.Plan(new RunRequest(Spec(), PreviousRun.None, T0));

        var stored = PlanJson.Read(run.Outputs.Placements);

        Assert.Equal(run.Plan.Clusters.Keys, stored.Clusters.Keys);
        Assert.All(run.Plan.Clusters, c => Assert.Equal(c.Value.State, stored.Clusters[c.Key].State));
        Assert.Equal(run.Plan.Placements.Keys, stored.Placements.Keys);
        foreach (var (name, placement) in run.Plan.Placements)
        {
            Assert.Equal(placement.Copies.Select(c => (c.Cluster, c.Tier)), stored.Placements[name].Copies.Select(c => (c.Cluster, c.Tier)));
            Assert.Empty(stored.Placements[name].Verdicts);
        }

        Assert.Contains(run.Plan.Placements.Values, p => !p.Verdicts.IsEmpty);
    }

    [Fact]
    public void A_cluster_in_standby_keeps_its_releases_without_the_run_waiting_for_them()
    {
        var run = RunPlanner.Plan(new RunRequest(Spec(), Previous("standby", T0), T0 + TimeSpan.FromDays(1)));

        var recorder = new MockPorts();
        var declared = FleetOrchestrator.Run(run, recorder.Ports);

        Assert.Equal(ClusterState.Standby, run.Plan.Clusters["aws-gpu"].State);
        Assert.False(declared.Clusters["aws-gpu"].Release.Wait);
        Assert.True(declared.Clusters["aws-main"].Release.Wait);
    }
}
