using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Tests.Timelines;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests.Observations;

/// <summary>Bad or partial observations degrade to "unknown" with a warning, never to a wrong deletion; running work is protected.</summary>
public sealed class ObservedDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private const string StackText = """
        config:
          skyray:clusters:
            gpu:
              provider: aws
              region: us-east-1
              kubernetesVersion: "1.35"
              standby: {mode: suspend, idleAfter: 30m}
              nodePools: [{name: gpu, instanceType: g5.2xlarge, minNodes: 0, maxNodes: 4}]
          skyray:policies:
            on-gpu:
              clusterSelector: {matchLabels: {kubernetes.io/metadata.name: gpu}}
          skyray:workloads:
            train:
              kind: RayJob
              namespace: ml
              entrypoint: python train.py
              policy: POLICY
              # The cluster has GPU nodes only: the head tolerates their GPU taint.
              tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
              head: {cpu: 1, memory: 2Gi}
              workerGroups:
                - {name: gpu, cpu: 4, memory: 16Gi, gpu: 1, gpuType: A10G, replicas: 1}
        OPERATIONS
        """;

    private static FleetSpec Spec(string policy = "on-gpu", string operations = "") =>
        Stacks.Load(StackText.Replace("POLICY", policy, StringComparison.Ordinal).Replace("OPERATIONS", operations, StringComparison.Ordinal));

    /// <summary>The outputs of a run at 08:00 that placed train on gpu, as the next run reads them.</summary>
    private static PreviousRun Previous()
    {
        var first = RunPlanner.Plan(new RunRequest(Spec(), PreviousRun.None, T0));
        Assert.Equal<string>(["gpu"], first.Plan.Placements["train"].Copies.Select(c => c.Cluster));
        return StackOutputs.ReadText(StackOutputs.Write(first.Outputs).ToJsonString(), "test").Run!;
    }

    private static FleetObservation Seen(ClusterObservation gpu) =>
        new(gpu.ObservedAt, ImmutableSortedDictionary.Create<string, ClusterObservation>(StringComparer.Ordinal).Add("gpu", gpu));

    private static ObservedRayObject Train(string deploymentStatus, DateTimeOffset? end = null) =>
        new(RayKind.RayJob, "ml", "train") { Workload = "train", HasStatus = true, DeploymentStatus = deploymentStatus, JobStatus = deploymentStatus == "Complete" ? "SUCCEEDED" : "RUNNING", EndTime = end };

    [Fact]
    public void A_job_whose_status_SkyRay_does_not_know_is_not_finished_and_its_cluster_stays_up_with_a_warning()
    {
        var at = T0 + TimeSpan.FromHours(3);
        var seen = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Archived", T0 + TimeSpan.FromHours(1))] });

        var run = RunPlanner.Plan(new RunRequest(Spec(), Previous(), at) { Observed = seen });

        Assert.Empty(run.Outputs.Jobs);
        Assert.Equal<string>(["gpu"], run.Plan.Placements["train"].Copies.Select(c => c.Cluster));
        Assert.Equal(ClusterState.Active, run.Plan.Clusters["gpu"].State);
    }

    [Fact]
    public void A_cluster_whose_RayJobs_could_not_be_read_is_not_sent_to_standby_on_a_guess()
    {
        // The job finished at 11:00 (idle until 11:30); at 11:35 the RayJob list is refused: what runs there is unknown.
        var at = T0 + TimeSpan.FromHours(3);
        var previous = Previous();
        var finished = RunPlanner.Plan(new RunRequest(Spec(), previous, at) { Observed = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Complete", at)] }) });
        Assert.Equal(StandbyAction.Idle, finished.Standby.Decisions["gpu"].Action);
        var after = StackOutputs.ReadText(StackOutputs.Write(finished.Outputs).ToJsonString(), "test").Run!;
        var partial = Seen(new ClusterObservation("gpu", Reachability.Reachable, at + TimeSpan.FromMinutes(35))
        {
            Unread = ImmutableSortedSet.Create(StringComparer.Ordinal, "rayjobs"),
            Warnings = ["rayjobs of gpu cannot be read: the API server answered 403 Forbidden"],
        });

        var run = RunPlanner.Plan(new RunRequest(Spec(), after, at + TimeSpan.FromMinutes(35)) { Observed = partial });

        Assert.Equal(StandbyAction.Busy, run.Standby.Decisions["gpu"].Action);
        Assert.Contains("what runs there is unknown (its rayjobs could not be read)", run.Standby.Decisions["gpu"].Reason, StringComparison.Ordinal);
        Assert.Equal(ClusterState.Active, run.Plan.Clusters["gpu"].State);
        Assert.Contains(run.Diagnostics, d => d.Path == "observed" && d.Message.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_end_after_the_runs_clock_is_read_as_now_with_a_warning()
    {
        var at = T0 + TimeSpan.FromHours(3);
        var skewed = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Complete", at + TimeSpan.FromHours(1))] });

        var run = RunPlanner.Plan(new RunRequest(Spec(), Previous(), at) { Observed = skewed });

        Assert.Equal("2026-12-07T11:00:00Z", run.Outputs.Jobs["train"].FinishedAt);
        Assert.Equal(at, run.Standby.Decisions["gpu"].IdleSince);
        Assert.Contains(run.Diagnostics, d => d.Message.Contains("the clocks disagree", StringComparison.Ordinal));
    }

    [Fact]
    public void The_fingerprint_of_a_run_that_retains_a_finished_job_is_the_digest_of_what_a_kept_walk_declares()
    {
        var at = T0 + TimeSpan.FromHours(3);
        var finished = RunPlanner.Plan(new RunRequest(Spec(), Previous(), at) { Observed = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Complete", at)] }) });
        Assert.NotEmpty(finished.Jobs.Retained);

        Assert.Equal(StackFileTests.KeptWalkDigest(finished), RunFingerprint.Of(finished));
    }

    [Fact]
    public void A_run_without_an_observation_carries_the_finished_record_over_released_and_finishes_nothing_new()
    {
        // 11:00: observed, train finished (its record, not yet released, and its RayJob kept as the record).
        var at = T0 + TimeSpan.FromHours(3);
        var finished = RunPlanner.Plan(new RunRequest(Spec(), Previous(), at) { Observed = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Complete", at)] }) });
        Assert.False(finished.Outputs.Jobs["train"].Released);
        var after = StackOutputs.ReadText(StackOutputs.Write(finished.Outputs).ToJsonString(), "test").Run!;

        // 11:05, nothing observed: the record carries over, now released (declared once already); no job is seen finished, so
        // nothing is retained and no line says so.
        var run = RunPlanner.Plan(new RunRequest(Spec(), after, at + TimeSpan.FromMinutes(5)));

        var record = run.Outputs.Jobs["train"];
        Assert.True(record.Released);
        Assert.Equal<string>(["gpu"], record.Clusters);
        Assert.Equal("Complete", record.Status);
        Assert.Empty(run.Jobs.Retained);
        Assert.Empty(run.Jobs.Lines);
        Assert.False(run.Plan.Placements.ContainsKey("train"));

        // Once train leaves the stack, its record goes with it.
        var spec = Spec();
        var gone = RunPlanner.Plan(new RunRequest(spec with { Workloads = spec.Workloads.Remove("train") }, after, at + TimeSpan.FromMinutes(5)));
        Assert.Empty(gone.Outputs.Jobs);
    }

    [Fact]
    public void Queued_work_in_Kueue_keeps_a_cluster_awake_although_nothing_is_placed_there()
    {
        var at = T0 + TimeSpan.FromHours(3);
        var previous = Previous();
        var finished = RunPlanner.Plan(new RunRequest(Spec(), previous, at) { Observed = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Complete", at)] }) });
        var after = StackOutputs.ReadText(StackOutputs.Write(finished.Outputs).ToJsonString(), "test").Run!;
        var queued = Seen(new ClusterObservation("gpu", Reachability.Reachable, at + TimeSpan.FromHours(1))
        {
            RayObjects = [Train("Complete", at)],
            QueueWorkloads = [new ObservedQueueWorkload("ml", "rayjob-other-1", "team-a", QueueState.Pending)],
        });

        var run = RunPlanner.Plan(new RunRequest(Spec(), after, at + TimeSpan.FromHours(1)) { Observed = queued });

        Assert.Equal(StandbyAction.Busy, run.Standby.Decisions["gpu"].Action);
        Assert.Equal("nothing placed, but Kueue holds 1 pending or admitted workload(s) in its queues", run.Standby.Decisions["gpu"].Reason);
    }

    [Fact]
    public void A_running_workload_no_cluster_fits_any_more_stays_where_it_runs_and_is_flagged()
    {
        var at = T0 + TimeSpan.FromMinutes(30);
        var running = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Running")] });
        // A typo in the policy name's selector: it now matches no cluster.
        var typo = Stacks.Load(StackText
            .Replace("matchLabels: {kubernetes.io/metadata.name: gpu}", "matchLabels: {kubernetes.io/metadata.name: gpu-typo}", StringComparison.Ordinal)
            .Replace("POLICY", "on-gpu", StringComparison.Ordinal).Replace("OPERATIONS", string.Empty, StringComparison.Ordinal));

        var run = RunPlanner.Plan(new RunRequest(typo, Previous(), at) { Observed = running });

        Assert.Equal<string>(["gpu"], run.Plan.Placements["train"].Copies.Select(c => c.Cluster));
        var warning = Assert.Single(run.Diagnostics, d => d.Path == "skyray:workloads.train");
        Assert.Contains("it keeps running on gpu instead of being removed", warning.Message, StringComparison.Ordinal);
        Assert.Contains(run.StepLines(), l => l.StartsWith("! keep train on gpu: it runs there and no cluster fits it any more", StringComparison.Ordinal));
    }

    [Fact]
    public void With_evictions_allowed_an_unplaceable_workload_is_removed_with_the_usual_warning()
    {
        var at = T0 + TimeSpan.FromMinutes(30);
        var running = Seen(new ClusterObservation("gpu", Reachability.Reachable, at) { RayObjects = [Train("Running")] });
        var typo = Stacks.Load(StackText
            .Replace("matchLabels: {kubernetes.io/metadata.name: gpu}", "matchLabels: {kubernetes.io/metadata.name: gpu-typo}", StringComparison.Ordinal)
            .Replace("POLICY", "on-gpu", StringComparison.Ordinal)
            .Replace("OPERATIONS", "  skyray:operations: {allowEvictions: true}", StringComparison.Ordinal));

        var run = RunPlanner.Plan(new RunRequest(typo, Previous(), at) { Observed = running });

        Assert.False(run.Plan.Placements["train"].IsPlaced);
        Assert.Contains(run.Diagnostics, d => d.Path == "skyray:workloads.train" && d.Message.StartsWith("not deployed", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_observation_the_run_says_what_it_assumed()
    {
        var run = RunPlanner.Plan(new RunRequest(Spec(), Previous(), T0 + TimeSpan.FromHours(1)));

        Assert.Contains(run.Assumptions, a => a.StartsWith("assumed (no observation): no RayJob has finished", StringComparison.Ordinal));
        Assert.False(run.View.Observed);
    }

    [Fact]
    public void A_cluster_observed_unreachable_is_not_waited_on_and_its_updates_are_skipped_until_it_is_lost()
    {
        var spec = Stacks.Load("""
            config:
              skyray:clusters:
                prod:
                  provider: aws
                  region: us-east-1
                  kubernetesVersion: "1.35"
                  nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 4}]
              skyray:workloads:
                llm:
                  kind: RayService
                  namespace: serving
                  serveConfigV2:
                    applications: [{name: llm, import_path: serve_app:deployment}]
                  head: {cpu: 1, memory: 2Gi}
                  workerGroups: [{name: cpu, cpu: 2, memory: 4Gi, replicas: 1}]
            """);
        var first = RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, T0));
        var waits = FleetOrchestrator.Run(first, new Recording.RecordingPorts().Ports).Workloads.Single().Rendered;
        Assert.Equal("condition=Ready", waits.Manifest["metadata"]!["annotations"]!["pulumi.com/waitFor"]!.GetValue<string>());
        var previous = StackOutputs.ReadText(StackOutputs.Write(first.Outputs).ToJsonString(), "test").Run!;
        var down = new FleetObservation(T0, ImmutableSortedDictionary.Create<string, ClusterObservation>(StringComparer.Ordinal)
            .Add("prod", new ClusterObservation("prod", Reachability.Unreachable, T0) { Problem = "no answer within 10s" }));

        var run = RunPlanner.Plan(new RunRequest(spec, previous, T0 + TimeSpan.FromMinutes(5)) { Observed = down });

        Assert.True(run.ConnectionFor("prod").SkipUnreachableUpdates);
        Assert.False(run.ConnectionFor("prod").DeleteUnreachable);
        Assert.Equal(1, run.Outputs.Unreachable["prod"]);
        var rendered = FleetOrchestrator.Run(run, new Recording.RecordingPorts().Ports).Workloads.Single().Rendered;
        Assert.Null(rendered.Manifest["metadata"]!["annotations"]);
    }
}
