using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

public sealed class StandbyPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(30);

    private static FleetSpec Spec(StandbyMode mode = StandbyMode.Suspend) => new FleetSpecBuilder()
        .Cluster(ClusterBuilder.Aws("aws-gpu").Standby(mode, IdleAfter).Pool("gpu", "g5.2xlarge", 1, 4))
        .Cluster(ClusterBuilder.Aws("aws-main").Pool("cpu", "m6i.2xlarge", 2, 10))
        .Workload(new WorkloadBuilder("llm"))
        .Build();

    private static FleetOutputs Previous(string state, DateTimeOffset? idleSince = null) => new(
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
            KeyValuePair.Create("aws-gpu", new ClusterOutput("aws", "1.31", "static", state, idleSince is null ? null : StandbyPolicy.FormatTime(idleSince.Value))),
            KeyValuePair.Create("aws-main", new ClusterOutput("aws", "1.31", "static", "active")),
        ]),
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
        [],
        string.Empty);

    /// <summary>What a planner returns once llm left aws-gpu: the idle cluster is in standby at once.</summary>
    private static FleetPlan IdlePlan(FleetSpec spec, ClusterState idleState = ClusterState.Standby) =>
        new FleetPlanBuilder(spec).State("aws-gpu", idleState).Place("llm", "aws-main").Build();

    [Fact]
    public void Cluster_that_just_lost_its_work_stays_active_with_its_configured_pools_and_starts_its_idle_clock()
    {
        var spec = Spec();

        var outcome = StandbyPolicy.Decide(spec, IdlePlan(spec), Previous("active"), T0);

        var decision = outcome.Decisions["aws-gpu"];
        Assert.Equal(StandbyAction.Idle, decision.Action);
        Assert.Equal(T0, decision.IdleSince);
        var plan = outcome.Plan.Clusters["aws-gpu"];
        Assert.Equal(ClusterState.Active, plan.State);
        Assert.Equal([new NodePoolPlan("gpu", "g5.2xlarge", 1, 4, 1, 0m)], plan.Pools.ToArray());
        Assert.Contains("stays active until 2026-01-01T10:30:00", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Idle_cluster_stays_active_while_idle_for_less_than_idle_after()
    {
        var spec = Spec();

        var outcome = StandbyPolicy.Decide(spec, IdlePlan(spec), Previous("active", T0), T0 + TimeSpan.FromMinutes(29));

        Assert.Equal(StandbyAction.Idle, outcome.Decisions["aws-gpu"].Action);
        Assert.Equal(T0, outcome.Decisions["aws-gpu"].IdleSince);
        Assert.Equal(ClusterState.Active, outcome.Plan.Clusters["aws-gpu"].State);
    }

    [Fact]
    public void Suspend_cluster_idle_for_idle_after_goes_to_standby_with_pools_at_zero()
    {
        var spec = Spec();

        var outcome = StandbyPolicy.Decide(spec, IdlePlan(spec, ClusterState.Active), Previous("active", T0), T0 + IdleAfter);

        Assert.Equal(StandbyAction.GoesToStandby, outcome.Decisions["aws-gpu"].Action);
        var plan = outcome.Plan.Clusters["aws-gpu"];
        Assert.Equal(ClusterState.Standby, plan.State);
        Assert.All(plan.Pools, p => Assert.Equal((0, 0), (p.MinNodes, p.DesiredNodes)));
        Assert.Equal(0m, plan.HourlyCost);
    }

    [Fact]
    public void Delete_cluster_idle_for_idle_after_becomes_absent()
    {
        var spec = Spec(StandbyMode.Delete);

        var outcome = StandbyPolicy.Decide(spec, IdlePlan(spec, ClusterState.Active), Previous("active", T0), T0 + TimeSpan.FromHours(2));

        Assert.Equal(StandbyAction.GoesToStandby, outcome.Decisions["aws-gpu"].Action);
        Assert.Equal(ClusterState.Absent, outcome.Plan.Clusters["aws-gpu"].State);
        Assert.Empty(outcome.Plan.Clusters["aws-gpu"].Pools);
    }

    [Fact]
    public void Standby_cluster_wakes_when_work_is_placed_on_it_and_its_idle_clock_stops()
    {
        var spec = Spec();
        var plan = new FleetPlanBuilder(spec).Place("llm", "aws-gpu").Build();

        var outcome = StandbyPolicy.Decide(spec, plan, Previous("standby", T0), T0 + TimeSpan.FromHours(5));

        Assert.Equal(StandbyAction.Wakes, outcome.Decisions["aws-gpu"].Action);
        Assert.Null(outcome.Decisions["aws-gpu"].IdleSince);
        Assert.Same(plan.Clusters["aws-gpu"], outcome.Plan.Clusters["aws-gpu"]);
        Assert.DoesNotContain("aws-gpu", outcome.IdleSinceText.Keys);
    }

    [Fact]
    public void Idle_cluster_on_the_first_run_goes_straight_to_standby_instead_of_being_created_to_idle()
    {
        var spec = Spec();

        var outcome = StandbyPolicy.Decide(spec, IdlePlan(spec, ClusterState.Active), previous: null, T0);

        Assert.Equal(StandbyAction.StaysInStandby, outcome.Decisions["aws-gpu"].Action);
        Assert.Equal(ClusterState.Standby, outcome.Plan.Clusters["aws-gpu"].State);
    }

    [Fact]
    public void Cluster_in_standby_without_work_keeps_its_original_idle_time()
    {
        var spec = Spec();

        var outcome = StandbyPolicy.Decide(spec, IdlePlan(spec), Previous("standby", T0), T0 + TimeSpan.FromDays(1));

        Assert.Equal(StandbyAction.StaysInStandby, outcome.Decisions["aws-gpu"].Action);
        Assert.Equal(T0, outcome.Decisions["aws-gpu"].IdleSince);
    }

    [Fact]
    public void Cluster_without_standby_settings_keeps_the_planners_decision()
    {
        var spec = Spec();
        var plan = IdlePlan(spec);

        var outcome = StandbyPolicy.Decide(spec, plan, Previous("active"), T0);

        Assert.Equal(StandbyAction.NotManaged, outcome.Decisions["aws-main"].Action);
        Assert.Same(plan.Clusters["aws-main"], outcome.Plan.Clusters["aws-main"]);
    }

    [Fact]
    public void Idle_time_exported_by_one_run_sends_the_cluster_to_standby_on_a_later_run()
    {
        var spec = Spec();
        var first = StandbyPolicy.Decide(spec, IdlePlan(spec), Previous("active"), T0);
        var firstRun = RecordingPorts.Record(TestRun.Of(spec, first.Plan), FakeRendering.Instance);
        var exported = FleetOrchestrator.Run(TestRun.Of(spec, first.Plan, first.IdleSinceText), new RecordingPorts().Ports, FakeRendering.Instance).Outputs;

        var later = StandbyPolicy.Decide(spec, IdlePlan(spec), exported, T0 + IdleAfter + TimeSpan.FromMinutes(1));
        var laterRun = RecordingPorts.Record(TestRun.Of(spec, later.Plan), FakeRendering.Instance);

        Assert.Equal(StandbyPolicy.FormatTime(T0), exported.Clusters["aws-gpu"].IdleSince);
        Assert.Contains("+ cluster aws-gpu (aws eks 1.31 us-east-1, pools: gpu 1..4 g5.2xlarge)", firstRun.PreviewLines());
        Assert.Equal(StandbyAction.GoesToStandby, later.Decisions["aws-gpu"].Action);
        Assert.Contains("+ cluster aws-gpu (aws eks 1.31 us-east-1, pools: gpu 0..4 g5.2xlarge, standby: pools at zero)", laterRun.PreviewLines());
    }

    [Fact]
    public void Dynamic_suspend_cluster_that_was_never_created_stays_absent_when_idle()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Gcp("gcp-burst").Dynamic().Standby(StandbyMode.Suspend, IdleAfter).Pool("gpu", "g2-standard-8", 0, 8))
            .Build();
        var plan = new FleetPlanBuilder(spec).Absent("gcp-burst").Build();

        var outcome = StandbyPolicy.Decide(spec, plan, previous: null, T0);

        Assert.Equal(ClusterState.Absent, outcome.Plan.Clusters["gcp-burst"].State);
        Assert.Empty(RecordingPorts.Record(TestRun.Of(spec, outcome.Plan), FakeRendering.Instance).PreviewLines());
    }
}
