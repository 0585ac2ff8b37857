using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Failover;
using SkyRay.Placement.Planning;
using Xunit.Abstractions;

namespace SkyRay.Orchestration.Tests.Timelines;

/// <summary>
/// Just in time, live, over simulated hours with the clock as a parameter: each scenario runs once with observations and once
/// without (SkyRay before observations), with a tick every 5 minutes (the schedule's interval). The expected figures are worked
/// out by hand in each test from the catalog prices (g5.2xlarge $1.212/h, m6i.2xlarge $0.384/h) and the EKS fee ($0.10/h).
/// </summary>
public sealed class TimelineTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(5);

    private static DateTimeOffset At(double hours) => T0 + TimeSpan.FromHours(hours);

    private const string Job = """
              kind: RayJob
              namespace: ml
              entrypoint: python train.py
              policy: on-burst
              # The burst cluster has GPU nodes only: the head tolerates their GPU taint (docs/deploy.md, GPUs per cloud).
              tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
              head: {cpu: 1, memory: 2Gi}
              workerGroups:
                - {name: gpu, cpu: 4, memory: 16Gi, gpu: 1, gpuType: A10G, replicas: 1}
        """;

    /// <summary>A static CPU cluster (one m6i.2xlarge) and a dynamic GPU cluster with standby; train-a from the start, train-b from 4h.</summary>
    private static Func<DateTimeOffset, FleetSpec> Burst(string mode) => t =>
    {
        var text = """
            config:
              skyray:clusters:
                base:
                  provider: aws
                  region: us-east-1
                  kubernetesVersion: "1.35"
                  nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 2}]
                burst:
                  provider: aws
                  region: us-east-1
                  kubernetesVersion: "1.35"
                  lifecycle: dynamic
                  standby: {mode: MODE, idleAfter: 30m}
                  nodePools: [{name: gpu, instanceType: g5.2xlarge, minNodes: 0, maxNodes: 4}]
              skyray:policies:
                on-burst:
                  clusterSelector: {matchLabels: {kubernetes.io/metadata.name: burst}}
              skyray:workloads:
                train-a:
            JOB
            """.Replace("MODE", mode, StringComparison.Ordinal).Replace("JOB", Job, StringComparison.Ordinal);
        if (t >= At(4))
        {
            text += "\n    train-b:\n" + Job;
        }

        return Stacks.Load(text);
    };

    private static FleetTimeline Training(string mode, bool observe)
    {
        var timeline = new FleetTimeline(Burst(mode), observe, Tick);
        timeline.JobRuns["train-a"] = TimeSpan.FromHours(2);
        timeline.JobRuns["train-b"] = TimeSpan.FromHours(1);
        return timeline.Run(T0, At(8));
    }

    [Fact]
    public void Training_burst_jobs_finish_the_cluster_suspends_after_idle_after_and_a_new_job_wakes_it()
    {
        var live = Training("suspend", observe: true);
        var before = Training("suspend", observe: false);
        Report("training burst (suspend)", live, before);

        // train-a runs 0:00–2:00; burst idles 2:00–2:30 (its idle clock starts at the job's observed end), sleeps until train-b wakes it
        // at 4:00; train-b runs until 5:00; burst idles until 5:30, then sleeps.
        Assert.Equal([(At(0), At(2.5)), (At(4), At(5.5))], live.Intervals("burst", ClusterState.Active));
        Assert.Equal([(At(2.5), At(4)), (At(5.5), At(8))], live.Intervals("burst", ClusterState.Standby));
        Assert.Contains(live.Log(), l => l == "02:00 ✓ job train-a finished on burst (Complete, SUCCEEDED at 2026-12-07T02:00:00Z): not run again; its RayJob stays on the cluster as its record");
        Assert.Contains(live.Log(), l => l.StartsWith("02:30 ~ standby burst: idle since 2026-12-07T02:00:00.0000000+00:00", StringComparison.Ordinal));
        Assert.Contains(live.Log(), l => l.StartsWith("04:00 ~ wake burst: wakes from standby", StringComparison.Ordinal));
        // Never run again: train-a is declared (as a fresh job) only while it ran.
        Assert.DoesNotContain(live.Runs.Where(r => r.At >= At(2.05)), r => r.Run.Plan.Placements.ContainsKey("train-a"));

        // By hand. Live: burst has one g5.2xlarge for 3 h (2 h of train-a, 1 h of train-b) and its fee all 8 h; base one
        // m6i.2xlarge and its fee all 8 h: 3 × 1.212 + 8 × 0.10 + 8 × (0.384 + 0.10) = 8.308.
        // Without observations the finished jobs stay placed: one node 0–4 h, two from 4 h (both jobs, 10 vCPU on 7.5 per node):
        // 12 × 1.212 + 0.8 + 3.872 = 19.216.
        Assert.Equal(8.308m, Math.Round(live.Cost, 3));
        Assert.Equal(19.216m, Math.Round(before.Cost, 3));
    }

    [Fact]
    public void Training_burst_in_delete_mode_removes_the_idle_cluster_and_creates_it_again_for_the_next_job()
    {
        var live = Training("delete", observe: true);
        var before = Training("delete", observe: false);
        Report("training burst (delete)", live, before);

        Assert.Equal([(At(0), At(2.5)), (At(4), At(5.5))], live.Intervals("burst", ClusterState.Active));
        Assert.Equal([(At(2.5), At(4)), (At(5.5), At(8))], live.Intervals("burst", ClusterState.Absent));
        // The record of train-a outlives its cluster: the re-created burst does not run it again.
        Assert.DoesNotContain(live.Runs.Where(r => r.At >= At(4)), r => r.Run.Plan.Placements.ContainsKey("train-a"));
        Assert.Equal("Complete", live.Runs[^1].Run.Outputs.Jobs["train-a"].Status);

        // By hand. Live: 3 node-hours (3.636), burst's fee only while it exists: 0–2:30 and 4:00–5:30, 4 h (0.40), base 3.872: 7.908.
        Assert.Equal(7.908m, Math.Round(live.Cost, 3));
        Assert.Equal(19.216m, Math.Round(before.Cost, 3));
    }

    /// <summary>Two static EKS clusters; llm (a RayService behind a Route 53 record) placed on prod-a first, else prod-b.</summary>
    private static FleetSpec Serving(string? cordoned = null, bool withJob = false)
    {
        var text = """
            config:
              skyray:clusters:
                prod-a:
                  provider: aws
                  region: us-east-1
                  kubernetesVersion: "1.35"
                  CORDON
                  standby: {mode: suspend, idleAfter: 30m}
                  nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 4}]
                prod-b:
                  provider: aws
                  region: us-east-1
                  kubernetesVersion: "1.35"
                  nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 4}]
              skyray:policies:
                prod:
                  orderedClusterSelector:
                    matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [prod-a, prod-b]}]
              skyray:traffic:
                llm:
                  workload: llm
                  dns: {provider: route53, zone: Z0123456789ABCDEFGHIJ, name: llm.example.com, ttl: 60}
              skyray:workloads:
                llm:
                  kind: RayService
                  namespace: serving
                  policy: prod
                  serveConfigV2:
                    applications: [{name: llm, import_path: serve_app:deployment}]
                  head: {cpu: 1, memory: 2Gi}
                  workerGroups: [{name: cpu, cpu: 2, memory: 4Gi, replicas: 1}]
            """.Replace("CORDON", cordoned == "prod-a" ? "availability: cordoned" : string.Empty, StringComparison.Ordinal);
        if (withJob)
        {
            text += """

                    nightly:
                      kind: RayJob
                      namespace: ml
                      policy: prod
                      entrypoint: python eval.py
                      head: {cpu: 1, memory: 2Gi}
                      workerGroups: [{name: cpu, cpu: 2, memory: 4Gi, replicas: 1}]
                """;
        }

        return Stacks.Load(text);
    }

    [Fact]
    public void A_lost_cluster_hands_its_RayService_over_with_no_moment_without_a_Ready_target()
    {
        var timeline = new FleetTimeline(_ => Serving(), observe: true, Tick);
        timeline.ApiDownFrom["prod-a"] = At(1);
        timeline.Run(T0, At(3));
        Report("lost cluster", timeline, null);

        var log = timeline.Log().ToList();
        // Unreachable at 1:00, 1:05, 1:10: lost on the third run; the new copy on prod-b is Ready at 1:20, the record moves then,
        // and the old copy leaves the program on the next run, through a connection that deletes nothing on the lost cluster.
        Assert.Contains("01:10 ~ failover llm: prod-a → prod-b (its API server did not answer on 3 runs in a row (skyray:operations.lostAfterUnreachableRuns: 3)); the copy on prod-a stays until prod-b runs it", log);
        Assert.Contains("01:20 ~ traffic llm.example.com → prod-b (was prod-a; CNAME)", log);
        Assert.Contains(log, l => l.StartsWith("01:25 ~ failover llm: prod-a → prod-b", StringComparison.Ordinal) && l.EndsWith("so the copy on prod-a goes", StringComparison.Ordinal));
        var lostRun = timeline.Runs.Single(r => r.At == At(1.25 + (5.0 / 60))).Run;
        Assert.Equal(ClusterLiveness.Lost, lostRun.Availability.Liveness["prod-a"]);
        Assert.True(lostRun.ConnectionFor("prod-a").DeleteUnreachable);
        Assert.Equal(TimeSpan.Zero, timeline.WithoutServingTarget);
    }

    [Fact]
    public void A_cordoned_cluster_is_drained_services_move_create_before_delete_and_a_running_job_finishes_where_it_is()
    {
        FleetTimeline Drain(bool observe)
        {
            var timeline = new FleetTimeline(t => Serving(cordoned: t >= At(1) ? "prod-a" : null, withJob: true), observe, Tick);
            timeline.JobRuns["nightly"] = TimeSpan.FromHours(3);
            return timeline.Run(T0, At(5));
        }

        var live = Drain(observe: true);
        var before = Drain(observe: false);
        Report("cordoned cluster", live, before);

        var log = live.Log().ToList();
        Assert.Contains("01:00   failover nightly: keeps running on cordoned prod-a until it finishes", log);
        Assert.Contains("01:10 ~ traffic llm.example.com → prod-b (was prod-a; CNAME)", log);
        Assert.Contains("03:00 ✓ job nightly finished on prod-a (Complete, SUCCEEDED at 2026-12-07T03:00:00Z): not run again; its RayJob stays on the cluster as its record", log);
        // Drained at 3:00, idle for 30 minutes, then in standby.
        Assert.Equal([(At(0), At(3.5))], live.Intervals("prod-a", ClusterState.Active));
        Assert.Equal(TimeSpan.Zero, live.WithoutServingTarget);
        // Without observations readiness is assumed one run after the new copy was declared (1:05), five minutes before it is Ready.
        Assert.Equal(TimeSpan.FromMinutes(5), before.WithoutServingTarget);

        // By hand: prod-a one node 0–3:30 and its fee 5 h: 3.5 × 0.384 + 0.5 = 1.844; prod-b one node and fee 5 h: 2.42. Total 4.264.
        // Without observations nightly never finishes as far as SkyRay knows: prod-a stays up 5 h: 2.42 + 2.42 = 4.84.
        Assert.Equal(4.264m, Math.Round(live.Cost, 3));
        Assert.Equal(4.84m, Math.Round(before.Cost, 3));
    }

    private void Report(string name, FleetTimeline live, FleetTimeline? before)
    {
        output.WriteLine($"{name}: cost with observations ${live.Cost:0.000}" +
            (before is null ? string.Empty : $", without ${before.Cost:0.000}, saved ${before.Cost - live.Cost:0.000}") +
            $"; time without a serving target {live.WithoutServingTarget}");
        foreach (var line in live.Log())
        {
            output.WriteLine(line);
        }
    }
}
