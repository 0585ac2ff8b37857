using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Queues;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Orchestration.Tests;

/// <summary>What <c>skyray plan --explain</c> says about queues: how full each flavor is, and where the queue is the limiting factor.</summary>
public sealed class QueueReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static QueueReport Report(string yaml)
    {
        var spec = KueueOrchestrationTests.Load(yaml);
        var run = RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, Now));
        return QueueReport.For(run.Spec, run.Plan);
    }

    [Fact]
    public void An_autoscaling_group_that_may_outgrow_its_flavors_quota_is_told_the_queue_limits_its_scale_up()
    {
        // One m6i.2xlarge node at most: 7.5 CPU, 31 GiB of quota. Head 1 CPU; workers of 2 CPU, 1 now, up to 5.
        // After the plan: 1 + 2 = 3 CPU reserved, 4.5 left: room for 2 more workers of the 4 the group may add.
        var report = Report("""
            kueue: {}
            clusters:
              c:
                provider: aws
                region: us-east-1
                kubernetesVersion: "1.35"
                nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 1}]
            workloads:
              rc: {kind: RayCluster, namespace: ml, head: {cpu: 1, memory: 2Gi}, workerGroups: [{name: w, cpu: 2, memory: 4Gi, replicas: 1, minReplicas: 1, maxReplicas: 5}]}
            """);

        var note = Assert.Single(report.Notes);
        Assert.True(note.Limiting);
        Assert.Equal("ml/default", note.Queue);
        Assert.Contains("worker group 'w' may autoscale by 4 pod(s) to 5, skyray-cpu has quota for 2 more: the rest of its scale-up waits in the queue", note.Text, StringComparison.Ordinal);
        // The autoscaler sidecar (500m / 512Mi) is part of the head's pod set, as in Kueue's count.
        var cpu = report.Queues["c"].Single().Resources.Single(r => r.Resource == "cpu");
        Assert.Equal((7500L, 3500L), (cpu.Quota, cpu.Reserved));
    }

    [Fact]
    public void A_copy_with_room_to_spare_is_not_limited_by_its_queue()
    {
        var report = Report("""
            kueue: {}
            clusters:
              c:
                provider: aws
                region: us-east-1
                kubernetesVersion: "1.35"
                nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 4}]
            workloads:
              job: {kind: RayJob, namespace: ml, queue: batch, entrypoint: python x.py, head: {cpu: 1, memory: 2Gi}, workerGroups: [{name: w, cpu: 2, memory: 4Gi, replicas: 2}]}
            """);

        var note = Assert.Single(report.Notes);
        Assert.False(note.Limiting);
        Assert.Equal("ml/batch", note.Queue);
        Assert.DoesNotContain("limiting factor", note.Text, StringComparison.Ordinal);
        // Head 1 + 2 workers × 2 + submitter 0.5 = 5.5 CPU of 4 × 7.5 = 30.
        var cpu = report.Queues["c"].Single().Resources.Single(r => r.Resource == "cpu");
        Assert.Equal((30000L, 5500L), (cpu.Quota, cpu.Reserved));
    }

    [Fact]
    public void Without_kueue_the_report_is_empty()
    {
        var report = Report("""
            clusters:
              c:
                provider: aws
                region: us-east-1
                kubernetesVersion: "1.35"
                nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 4}]
            workloads:
              rc: {kind: RayCluster, workerGroups: [{name: w, cpu: 2, memory: 4Gi}]}
            """);

        Assert.Empty(report.Queues);
        Assert.Empty(report.Notes);
    }
}
