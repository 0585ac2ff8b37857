using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Tests.Timelines;

namespace SkyRay.Orchestration.Tests;

/// <summary>Every placed copy is declared after its own NetworkPolicy (the default rendering's companions), unless the workload opts out.</summary>
public sealed class WorkloadCompanionTests
{
    private const string Stack = """
        config:
          skyray:clusters:
            prod:
              provider: aws
              region: us-east-1
              kubernetesVersion: "1.35"
              nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 4}]
          skyray:workloads:
            guarded:
              kind: RayCluster
              namespace: ml
              head: {cpu: 1, memory: 2Gi}
              workerGroups: [{name: w, cpu: 1, memory: 2Gi, replicas: 1}]
            open:
              kind: RayCluster
              namespace: ml
              security: {networkPolicy: false}
              head: {cpu: 1, memory: 2Gi}
              workerGroups: [{name: w, cpu: 1, memory: 2Gi, replicas: 1}]
        """;

    [Fact]
    public void A_copy_waits_for_its_network_policy_and_an_opted_out_workload_gets_none()
    {
        var run = RunPlanner.Plan(new RunRequest(Stacks.Load(Stack), PreviousRun.None, new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero)));

        var recorder = RecordingPorts.Record(run);

        var byId = recorder.Calls.ToDictionary(c => c.Id);
        Assert.Contains("NetworkPolicy/ml/skyray-guarded@prod", byId["RayCluster/ml/guarded@prod"].DependsOn);
        Assert.DoesNotContain(recorder.Calls, c => c.Id.Contains("skyray-open", StringComparison.Ordinal));
        Assert.DoesNotContain(byId["RayCluster/ml/open@prod"].DependsOn, d => d.StartsWith("NetworkPolicy/", StringComparison.Ordinal));
    }
}
