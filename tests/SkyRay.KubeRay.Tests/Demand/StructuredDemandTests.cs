using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Demand;

/// <summary>The structured form's demand is exactly what <see cref="RawSpecDemand.Compute"/> finds in the object it renders to.</summary>
public class StructuredDemandTests
{
    private const long Mi = 1024L * 1024;

    /// <summary>Every kind, with and without autoscaling, with and without a pool chosen for each group.</summary>
    public static TheoryData<RayKind, bool, bool> Cases()
    {
        var data = new TheoryData<RayKind, bool, bool>();
        foreach (var kind in Enum.GetValues<RayKind>())
        {
            foreach (var autoscaling in (bool[])[false, true])
            {
                foreach (var pinned in (bool[])[false, true])
                {
                    data.Add(kind, autoscaling, pinned);
                }
            }
        }

        return data;
    }

    /// <summary>Loads one structured workload through the real stack loader (so its demand is the loader's).</summary>
    private static (WorkloadSpec Workload, ClusterSpec Cluster) Load(RayKind kind, bool autoscaling)
    {
        var extra = kind switch
        {
            RayKind.RayJob => "entrypoint: python train.py",
            RayKind.RayService => "serveConfigV2: {applications: [{name: app, import_path: 'serve_app:app'}]}",
            _ => "",
        };
        var range = autoscaling ? "minReplicas: 1, maxReplicas: 5" : "minReplicas: 2, maxReplicas: 2";
        var yaml = $$"""
            clusters:
              aws-1:
                provider: aws
                region: us-east-1
                kubernetesVersion: "1.35"
                nodePools:
                  - {name: cpu, instanceType: m6i.2xlarge, minNodes: 0, maxNodes: 10}
                  - {name: gpu, instanceType: g6.12xlarge, minNodes: 0, maxNodes: 4}
            workloads:
              w:
                kind: {{kind}}
                image: rayproject/ray:2.52.0-gpu
                {{extra}}
                head: {cpu: 1500m, memory: 6Gi}
                workerGroups:
                  - {name: cpu-workers, cpu: 2, memory: 8Gi, replicas: 2, {{range}}}
                  - {name: gpu-workers, cpu: 8, memory: 32Gi, gpu: 1, gpuType: L4, replicas: 1, minReplicas: 1, maxReplicas: 1}
            """;
        var bag = new DiagnosticBag();
        var root = Assert.IsType<JsonObject>(YamlJson.ParseSingle(yaml, "test", bag));
        Assert.Empty(bag.Items);
        var values = root.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
        var loaded = StackLoader.FromValues("test", values, Path.GetTempPath());
        Assert.True(loaded.Ok, string.Join(Environment.NewLine, loaded.Diagnostics));
        return (loaded.Value!.Workloads["w"], loaded.Value.Clusters["aws-1"]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structured_demand_equals_the_demand_of_the_rendered_spec(RayKind kind, bool autoscaling, bool pinned)
    {
        var (workload, cluster) = Load(kind, autoscaling);
        var pools = pinned ? new[] { ("head", "cpu"), ("cpu-workers", "cpu"), ("gpu-workers", "gpu"), (RawSpecDemand.SubmitterGroup, "cpu") } : null;
        var rendered = WorkloadRenderer.Render(workload, cluster, Build.Copy("w", pools: pools), null);

        var bag = new DiagnosticBag();
        var fromRendered = RawSpecDemand.Compute(kind, rendered.Manifest["spec"]!.AsObject(), "rendered.spec", bag);

        Assert.Empty(bag.Items);
        // The one difference by design: a structured gpuType is enforced through the pool the plan picks (no GPU
        // model label is guaranteed on EKS / AKS nodes, so none is written), so the rendered object names no type.
        Assert.Equal("L4", workload.Demand.Groups.Single(g => g.Group == "gpu-workers").Pod.GpuType);
        Assert.Equal<PodGroupDemand>(fromRendered.Groups.ToArray(), workload.Demand.Groups.Select(g => g with { Pod = g.Pod with { GpuType = null } }).ToArray());
    }

    [Fact]
    public void Structured_demand_counts_the_autoscaler_sidecar_on_the_head_when_a_group_can_scale()
    {
        var head = Load(RayKind.RayCluster, autoscaling: true).Workload.Demand.Groups[0];
        var fixedHead = Load(RayKind.RayCluster, autoscaling: false).Workload.Demand.Groups[0];

        Assert.Equal(RawSpecDemand.HeadGroup, head.Group);
        Assert.Equal(new PodShape(1500 + 500, (6 * 1024 + 512) * Mi, 0, null), head.Pod);
        Assert.Equal(new PodShape(1500, 6 * 1024 * Mi, 0, null), fixedHead.Pod);
    }

    [Fact]
    public void Structured_rayjob_counts_the_submitter_pod_after_the_workers()
    {
        var groups = Load(RayKind.RayJob, autoscaling: false).Workload.Demand.Groups;

        Assert.Equal([RawSpecDemand.HeadGroup, "cpu-workers", "gpu-workers", RawSpecDemand.SubmitterGroup], groups.Select(g => g.Group));
        Assert.Equal(new PodGroupDemand(RawSpecDemand.SubmitterGroup, RawSpecDemand.DefaultSubmitter, 1, 1, 1), groups[^1]);
    }

    [Fact]
    public void Submitter_is_pinned_to_its_pool_through_kuberays_default_template_made_explicit()
    {
        var (workload, cluster) = Load(RayKind.RayJob, autoscaling: false);
        var rendered = WorkloadRenderer.Render(workload, cluster, Build.Copy("w", pools: [("head", "cpu"), (RawSpecDemand.SubmitterGroup, "cpu")]), null);

        var pod = rendered.Manifest["spec"]!["submitterPodTemplate"]!["spec"]!;
        Assert.Equal("cpu", pod["nodeSelector"]!["eks.amazonaws.com/nodegroup"]!.GetValue<string>());
        Assert.Equal("Never", pod["restartPolicy"]!.GetValue<string>());
        var container = pod["containers"]![0]!;
        Assert.Equal(RawSpecDemand.SubmitterContainerName, container["name"]!.GetValue<string>());
        Assert.Equal("rayproject/ray:2.52.0-gpu", container["image"]!.GetValue<string>());
        Assert.Equal("500m", container["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("200Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
        Assert.Equal("1Gi", container["resources"]!["limits"]!["memory"]!.GetValue<string>());
    }

    [SkippableFact]
    public void Explicit_default_submitter_template_passes_the_kuberay_crds()
    {
        var crds = Crds.Load();
        var (workload, cluster) = Load(RayKind.RayJob, autoscaling: true);
        var rendered = WorkloadRenderer.Render(workload, cluster, Build.Copy("w", pools: [("head", "cpu"), (RawSpecDemand.SubmitterGroup, "cpu")]), null);

        Assert.NotNull(rendered.Manifest["spec"]!["submitterPodTemplate"]);
        Assert.Empty(crds.Validate(rendered, "rendered").Diagnostics);
    }

    [Fact]
    public void Raw_rayjob_with_its_own_submitter_template_is_pinned_without_replacing_it()
    {
        var spec = Assert.IsType<JsonObject>(JsonNode.Parse("""
            {"entrypoint": "python x.py",
             "submitterPodTemplate": {"spec": {"restartPolicy": "Never", "containers": [{"name": "s", "image": "custom", "resources": {"requests": {"cpu": "250m", "memory": "128Mi"}}}]}},
             "rayClusterSpec": {"headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}}
            """));
        var workload = Build.Raw("job", RayKind.RayJob, spec);
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("job", pools: [(RawSpecDemand.SubmitterGroup, "cpu")]), null);

        var pod = rendered.Manifest["spec"]!["submitterPodTemplate"]!["spec"]!;
        Assert.Equal("custom", pod["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("cpu", pod["nodeSelector"]!["skyray.io/pool"]!.GetValue<string>());
    }

    [Fact]
    public void Submitter_template_is_not_added_in_http_mode_or_without_a_pool_below_the_restricted_level()
    {
        var spec = Assert.IsType<JsonObject>(JsonNode.Parse("""
            {"entrypoint": "python x.py", "submissionMode": "HTTPMode",
             "rayClusterSpec": {"headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}}
            """));
        var http = WorkloadRenderer.Render(Build.Raw("job", RayKind.RayJob, spec), Build.Cluster(), Build.Copy("job", pools: [(RawSpecDemand.SubmitterGroup, "cpu")]), null);
        spec.Remove("submissionMode");
        var relaxed = Build.Raw("job", RayKind.RayJob, spec) with { Security = WorkloadSecurity.Default with { PodSecurity = PodSecurityLevel.Baseline } };
        var unpinned = WorkloadRenderer.Render(relaxed, Build.Cluster(), Build.Copy("job"), null);

        Assert.False(http.Manifest["spec"]!.AsObject().ContainsKey("submitterPodTemplate"));
        Assert.False(unpinned.Manifest["spec"]!.AsObject().ContainsKey("submitterPodTemplate"));
    }

    [Fact]
    public void At_the_restricted_level_kuberays_default_submitter_is_written_out_with_a_security_context_and_the_same_resources()
    {
        var spec = Assert.IsType<JsonObject>(JsonNode.Parse("""
            {"entrypoint": "python x.py",
             "rayClusterSpec": {"headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}}
            """));
        var rendered = WorkloadRenderer.Render(Build.Raw("job", RayKind.RayJob, spec), Build.Cluster(), Build.Copy("job"), null);

        var submitter = rendered.Manifest["spec"]!["submitterPodTemplate"]!;
        var container = submitter["spec"]!["containers"]![0]!;
        Assert.Equal("ray-job-submitter", container["name"]!.GetValue<string>());
        Assert.Equal("500m", container["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("200Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(submitter["spec"]!["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Empty(KubeRay.Security.RestrictedProfile.Check(submitter.AsObject(), "submitter"));
    }
}
