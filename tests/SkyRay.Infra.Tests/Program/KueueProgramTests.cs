using System.Collections.Immutable;
using SkyRay.Infra.KubeRay;
using SkyRay.Infra.Tests.Support;
using SkyRay.KubeRay.Kueue;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Outputs;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Tests.Program;

/// <summary>The whole program on stacks/Pulumi.queues.yaml (two teams' RayJobs on a shared GPU cluster, a dynamic overflow, Kueue everywhere).</summary>
public sealed class KueueProgramTests
{
    private const string StackFile = "stacks/Pulumi.queues.yaml";

    private static async Task<(RunPlan Run, DeploymentResult Result)> DeployAsync()
    {
        var expected = ExpectedFleet.ForFile(StackFile);
        var run = RunPlanner.Plan(new RunRequest(expected.Spec, PreviousRun.None, DateTimeOffset.UtcNow));
        return (run, await PulumiRun.RunAsync(StackConfig.FromFile(StackFile)));
    }

    [Fact]
    public async Task Every_live_cluster_gets_kueues_oci_release_after_its_operator()
    {
        var (run, result) = await DeployAsync();

        foreach (var cluster in new[] { "gpu-shared", "gpu-burst" })
        {
            var release = result.Single("kubernetes:helm.sh/v3:Release", cluster + "-kueue");
            Assert.Equal(KueueRelease.Chart, Values.At(release, "chart"));
            Assert.Equal("0.19.2", Values.At(release, "version"));
            Assert.Equal("kueue-system", Values.At(release, "namespace"));
            Assert.Null(Values.At(release, "repositoryOpts"));
            Assert.Equal(false, Values.At(release, "skipAwait"));
            Assert.Equal(
                Values.Normalize(KueueRelease.Build(run.Spec.Clusters[cluster]).Values)?.ToJsonString(),
                Values.ToJson(Values.At(release, "values"))?.ToJsonString());
            var component = result.Resources.OfType<ClusterRelease>().Single(c => c.GetResourceName() == cluster + "-kueue");
            var operatorRelease = result.Resources.OfType<ClusterRelease>().Single(c => c.GetResourceName() == cluster + "-kuberay").Release;
            // After the operator release, and after the cluster's workload namespaces like every release.
            Assert.Equal<Pulumi.Resource>([operatorRelease], component.After.OfType<K8s.Helm.V3.Release>());
            Assert.All(component.After.Where(r => r is not K8s.Helm.V3.Release), r => Assert.IsType<K8s.Core.V1.Namespace>(r));
        }
    }

    [Fact]
    public async Task The_queue_objects_are_declared_as_the_core_renders_them_and_wait_for_every_release_of_their_cluster()
    {
        var (run, result) = await DeployAsync();

        foreach (var cluster in new[] { "gpu-shared", "gpu-burst" })
        {
            var expected = KueueObjects.For(run.Spec, run.Spec.Clusters[cluster], run.Plan.Clusters[cluster]);
            foreach (var kubeObject in expected)
            {
                var name = cluster + "-" + Ports.PulumiObjectApplier.ObjectResourceName(kubeObject);
                var declared = result.Single($"kubernetes:{kubeObject.ApiVersion}:{kubeObject.Kind}", name);
                if (kubeObject.Manifest["spec"] is { } spec)
                {
                    Assert.Equal(Values.Normalize(spec)?.ToJsonString(), Values.ToJson(Values.At(declared, "spec"))?.ToJsonString());
                }

                var resource = result.Resources.OfType<DeclaredObject>().Single(o => o.GetResourceName() == name);
                var releases = resource.DependsOn.OfType<K8s.Helm.V3.Release>().Select(r => r.GetResourceName()).ToList();
                // Every release of the cluster: the operator, NVIDIA's device plugin (EKS GPU pools), Kueue.
                Assert.Equal([cluster + "-kuberay", cluster + "-nvidia-device-plugin", cluster + "-kueue"], releases);
            }

            Assert.Equal(expected.Length, result.Mocks.Resources.Count(r => r.Type!.StartsWith("kubernetes:kueue.x-k8s.io/", StringComparison.Ordinal) && r.Name!.StartsWith(cluster + "-", StringComparison.Ordinal)));
        }

        Assert.Contains("gpu-shared-localqueue-team-a-training", result.OfType("kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue").Keys);
        Assert.Contains("gpu-burst-localqueue-team-b-training", result.OfType("kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue").Keys);
    }

    [Fact]
    public async Task Each_rayjob_carries_its_queue_and_waits_for_its_clusters_releases_and_its_local_queue()
    {
        var (_, result) = await DeployAsync();

        var job = result.Single("kubernetes:ray.io/v1:RayJob", "gpu-shared-team-a-finetune");
        var labels = (IReadOnlyDictionary<string, object>)Values.At(job, "metadata.labels")!;
        Assert.Equal("training", labels["kueue.x-k8s.io/queue-name"]);
        Assert.Equal("high", labels["kueue.x-k8s.io/priority-class"]);
        Assert.Null(Values.At(job, "spec.suspend"));

        var workload = result.Resources.OfType<RayWorkload>().Single(w => w.Cluster == "gpu-shared" && w.Rendered.Name == "team-a-finetune");
        Assert.Equal(
            ["gpu-shared-kuberay", "gpu-shared-nvidia-device-plugin", "gpu-shared-kueue"],
            workload.DependsOn.OfType<K8s.Helm.V3.Release>().Select(r => r.GetResourceName()));
        Assert.Equal(
            // Its LocalQueue, then its own NetworkPolicy.
            ["gpu-shared-localqueue-team-a-training", "gpu-shared-networkpolicy-team-a-skyray-team-a-finetune"],
            workload.DependsOn.OfType<DeclaredObject>().Select(o => o.GetResourceName()));
        Assert.Single(workload.DependsOn.OfType<K8s.Core.V1.Namespace>());
    }

    [Fact]
    public async Task The_queues_output_lists_the_clusters_whose_queues_were_declared_with_their_fingerprints()
    {
        var (_, result) = await DeployAsync();

        var queues = await result.OutputAsync<IReadOnlyDictionary<string, object?>>("queues");
        Assert.Equal(["gpu-burst", "gpu-shared"], queues.Keys.Order(StringComparer.Ordinal));
        Assert.All(queues.Values, v => Assert.Matches("^[0-9a-f]{16}$", (string)v!));
    }
}
