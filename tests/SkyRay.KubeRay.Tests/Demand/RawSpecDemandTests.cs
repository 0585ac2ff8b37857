using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;

namespace SkyRay.KubeRay.Tests.Demand;

public class RawSpecDemandTests
{
    private const long Gi = 1024L * 1024 * 1024;
    private const long Mi = 1024L * 1024;
    private const string Path = "skyray:workloads.w.spec";

    internal static JsonObject Spec(string yaml)
    {
        var bag = new DiagnosticBag();
        var node = YamlJson.ParseSingle(yaml, "test", bag);
        Assert.Empty(bag.Items);
        return Assert.IsType<JsonObject>(node);
    }

    private static (WorkloadDemand Demand, DiagnosticBag Diagnostics) Compute(RayKind kind, string yaml)
    {
        var bag = new DiagnosticBag();
        return (RawSpecDemand.Compute(kind, Spec(yaml), Path, bag), bag);
    }

    private static string Worker(string fields, string resources = "requests: {cpu: '1', memory: 1Gi}") => $$"""
        headGroupSpec:
          template:
            spec:
              containers:
              - name: ray-head
                resources:
                  requests: {cpu: '1', memory: 2Gi}
        workerGroupSpecs:
        - groupName: g
          {{fields}}
          template:
            spec:
              containers:
              - name: ray-worker
                resources:
                  {{resources.Replace(", limits", "\n          limits", StringComparison.Ordinal).Replace(", requests", "\n          requests", StringComparison.Ordinal)}}
        """;

    [Theory]
    [InlineData("replicas: 3\n  minReplicas: 1\n  maxReplicas: 5", 3, 1, 5)]
    [InlineData("replicas: 9\n  minReplicas: 1\n  maxReplicas: 5", 5, 1, 5)]
    [InlineData("replicas: 0\n  minReplicas: 2\n  maxReplicas: 5", 2, 2, 5)]
    [InlineData("minReplicas: 2\n  maxReplicas: 5", 2, 2, 5)]
    [InlineData("replicas: 2\n  minReplicas: 1\n  maxReplicas: 4\n  numOfHosts: 4", 8, 4, 16)]
    [InlineData("replicas: 2\n  minReplicas: 1\n  maxReplicas: 4\n  suspend: true", 0, 1, 4)]
    [InlineData("replicas: 2", 2, 0, int.MaxValue)]
    public void Worker_count_is_replicas_clamped_to_min_max_times_hosts(string fields, int count, int min, int max)
    {
        var (demand, bag) = Compute(RayKind.RayCluster, Worker(fields));
        Assert.Empty(bag.Items);
        var group = demand.Groups[1];
        Assert.Equal(("g", count, min, max), (group.Group, group.Count, group.MinCount, group.MaxCount));
    }

    [Fact]
    public void Limits_stand_in_for_missing_requests_resource_by_resource()
    {
        var (demand, bag) = Compute(RayKind.RayCluster, Worker("replicas: 1", "limits: {cpu: '2', memory: 4Gi, nvidia.com/gpu: 1}, requests: {cpu: 500m}"));
        Assert.Empty(bag.Items);
        Assert.Equal(new PodShape(500, 4 * Gi, 1, null), demand.Groups[1].Pod);
    }

    [Fact]
    public void Requests_only_and_limits_only_both_count()
    {
        var (requestsOnly, _) = Compute(RayKind.RayCluster, Worker("replicas: 1", "requests: {cpu: '3', memory: 3Gi}"));
        var (limitsOnly, _) = Compute(RayKind.RayCluster, Worker("replicas: 1", "limits: {cpu: '3', memory: 3Gi}"));
        Assert.Equal(new PodShape(3000, 3 * Gi, 0, null), requestsOnly.Groups[1].Pod);
        Assert.Equal(requestsOnly.Groups[1].Pod, limitsOnly.Groups[1].Pod);
    }

    [Fact]
    public void Pod_demand_sums_containers_and_takes_the_larger_init_phase()
    {
        const string yaml = """
            headGroupSpec:
              template:
                spec:
                  initContainers:
                  - {name: big-init, resources: {requests: {cpu: '8', memory: 1Gi}}}
                  - {name: sidecar, restartPolicy: Always, resources: {requests: {cpu: 250m, memory: 256Mi}}}
                  containers:
                  - {name: ray-head, resources: {requests: {cpu: '1', memory: 2Gi}}}
                  - {name: logs, resources: {requests: {cpu: 100m, memory: 128Mi}}}
            """;
        var (demand, bag) = Compute(RayKind.RayCluster, yaml);
        Assert.Empty(bag.Items);
        // CPU: init phase (8) beats app + sidecar (1.35); memory: app + sidecar (2Gi + 384Mi) beats init (1Gi).
        Assert.Equal(new PodShape(8000, (2 * Gi) + (384 * Mi), 0, null), demand.Groups[0].Pod);
    }

    [Theory]
    [InlineData("nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}", "L4")]
    [InlineData("nodeSelector: {cloud.google.com/gke-accelerator: nvidia-tesla-a100}", "A100")]
    [InlineData("nodeSelector: {cloud.google.com/gke-accelerator: nvidia-a100-80gb}", "A100-80GB")]
    [InlineData("nodeSelector: {nvidia.com/gpu.product: NVIDIA-A10G}", "A10G")]
    [InlineData("nodeSelector: {nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3}", "H100")]
    [InlineData("nodeSelector: {karpenter.k8s.aws/instance-gpu-name: t4}", "T4")]
    [InlineData("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: karpenter.k8s.aws/instance-gpu-name, operator: In, values: [l40s]}]}]}}}", "L40S")]
    [InlineData("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: nvidia.com/gpu.product, operator: In, values: [NVIDIA-L4, Tesla-T4]}]}]}}}", null)]
    [InlineData("nodeSelector: {kubernetes.azure.com/accelerator: nvidia}", null)]
    public void Gpu_type_comes_from_node_selector_and_required_affinity(string podSpecField, string? expected)
    {
        var yaml = $$"""
            headGroupSpec:
              template:
                spec:
                  {{podSpecField}}
                  containers:
                  - name: ray-head
                    resources:
                      limits: {nvidia.com/gpu: '1'}
            """;
        var (demand, bag) = Compute(RayKind.RayCluster, yaml);
        Assert.Empty(bag.Items);
        Assert.Equal(expected, demand.Groups[0].Pod.GpuType);
    }

    [Fact]
    public void Unknown_gpu_model_is_a_warning_and_counts_as_any_gpu()
    {
        var (demand, bag) = Compute(RayKind.RayCluster, """
            headGroupSpec:
              template:
                spec:
                  nodeSelector: {cloud.google.com/gke-accelerator: nvidia-rtx-pro-9000}
                  containers: [{name: ray-head, resources: {limits: {nvidia.com/gpu: '2'}}}]
            """);
        Assert.Null(demand.Groups[0].Pod.GpuType);
        var warning = Assert.Single(bag.Items);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(Path + ".headGroupSpec.template.spec.nodeSelector['cloud.google.com/gke-accelerator']", warning.Path);
    }

    [Fact]
    public void Tpu_requests_are_not_counted_and_say_so()
    {
        var (demand, bag) = Compute(RayKind.RayCluster, Worker("replicas: 1", "limits: {cpu: '1', google.com/tpu: '4'}"));
        Assert.Equal(0, demand.TotalGpus);
        var warning = Assert.Single(bag.Items);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(Path + ".workerGroupSpecs[0].template.spec.containers[0].resources.limits['google.com/tpu']", warning.Path);
    }

    [Theory]
    [InlineData("cpu: two", "requests.cpu")]
    [InlineData("memory: 1Gb", "requests.memory")]
    [InlineData("cpu: '-1'", "requests.cpu")]
    [InlineData("nvidia.com/gpu: '0.5'", "requests['nvidia.com/gpu']")]
    public void Unreadable_quantities_are_errors_at_their_path(string request, string where)
    {
        var (_, bag) = Compute(RayKind.RayCluster, Worker("replicas: 1", "requests: {" + request + "}"));
        var error = Assert.Single(bag.Items);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal($"{Path}.workerGroupSpecs[0].template.spec.containers[0].resources.{where}", error.Path);
    }

    [Fact]
    public void Quoted_replicas_is_an_error_not_a_silent_zero()
    {
        var (_, bag) = Compute(RayKind.RayCluster, Worker("replicas: \"2\""));
        var error = Assert.Single(bag.Items);
        Assert.Equal(Path + ".workerGroupSpecs[0].replicas", error.Path);
    }

    [Fact]
    public void Autoscaler_sidecar_is_added_to_the_head_when_in_tree_autoscaling_is_on()
    {
        var (demand, _) = Compute(RayKind.RayCluster, "enableInTreeAutoscaling: true\n" + Worker("replicas: 1"));
        Assert.Equal(new PodShape(1500, (2 * Gi) + (512 * Mi), 0, null), demand.Groups[0].Pod);

        var (custom, _) = Compute(RayKind.RayCluster, "enableInTreeAutoscaling: true\nautoscalerOptions: {resources: {limits: {cpu: '1', memory: 1Gi}}}\n" + Worker("replicas: 1"));
        Assert.Equal(new PodShape(2000, 3 * Gi, 0, null), custom.Groups[0].Pod);
    }

    [Fact]
    public void Cluster_selector_job_needs_only_its_submitter()
    {
        var (demand, bag) = Compute(RayKind.RayJob, "entrypoint: python x.py\nclusterSelector: {ray.io/cluster: shared}");
        Assert.Empty(bag.Items);
        var only = Assert.Single(demand.Groups);
        Assert.Equal(RawSpecDemand.SubmitterGroup, only.Group);
        Assert.Equal(RawSpecDemand.DefaultSubmitter, only.Pod);
    }

    [Theory]
    [InlineData("K8sJobMode", 3, 1500)]
    [InlineData("SidecarMode", 2, 1500)]
    [InlineData("HTTPMode", 2, 1000)]
    [InlineData("InteractiveMode", 2, 1000)]
    public void Job_submission_mode_decides_where_the_submitter_runs(string mode, int groups, long headOrSubmitterCpu)
    {
        var spec = $"submissionMode: {mode}\nrayClusterSpec:\n" + string.Join('\n', Worker("replicas: 1").Split('\n').Select(l => "  " + l));
        var (demand, bag) = Compute(RayKind.RayJob, spec);
        Assert.Empty(bag.Items);
        Assert.Equal(groups, demand.Groups.Length);
        var cpu = mode == "K8sJobMode" ? demand.Groups[0].Pod.CpuMillis + demand.Groups[^1].Pod.CpuMillis : demand.Groups[0].Pod.CpuMillis;
        Assert.Equal(headOrSubmitterCpu, cpu);
    }

    [Fact]
    public void Suspended_cluster_has_no_pods()
    {
        var (demand, _) = Compute(RayKind.RayCluster, "suspend: true\n" + Worker("replicas: 2"));
        Assert.Equal(0, demand.Groups.Sum(g => g.Count));
    }

    [Theory]
    [InlineData("nvidia-tesla-t4", "T4")]
    [InlineData("Tesla-T4", "T4")]
    [InlineData("NVIDIA-A100-SXM4-80GB", "A100-80GB")]
    [InlineData("NVIDIA-A100-SXM4-40GB", "A100")]
    [InlineData("a10g", "A10G")]
    [InlineData("NVIDIA-A10", "A10")]
    [InlineData("nvidia-l4", "L4")]
    [InlineData("NVIDIA-L40S", "L40S")]
    [InlineData("nvidia-h100-mega-80gb", "H100")]
    [InlineData("nvidia-b200", "B200")]
    [InlineData("nvidia", null)]
    [InlineData("NVIDIA-GeForce-RTX-4090", null)]
    public void Gpu_names_map_to_catalog_names(string raw, string? canonical) =>
        Assert.Equal(canonical, GpuTypeNames.Canonicalize(raw));

    [Fact]
    public void Counts_built_in_code_or_parsed_from_json_read_the_same_as_yaml()
    {
        // Specs also arrive from Pulumi config (JSON text) or code (CLR ints), not only from YAML (longs).
        var fromJson = (JsonObject)JsonNode.Parse("""{"headGroupSpec":{"template":{"spec":{"containers":[]}}},"workerGroupSpecs":[{"groupName":"g","replicas":2,"minReplicas":1,"maxReplicas":3,"template":{}}]}""")!;
        var fromCode = (JsonObject)fromJson.DeepClone();
        fromCode["workerGroupSpecs"]![0]!["replicas"] = 2;
        foreach (var spec in new[] { fromJson, fromCode })
        {
            var bag = new DiagnosticBag();
            var demand = RawSpecDemand.Compute(RayKind.RayCluster, spec, Path, bag);
            Assert.Empty(bag.Items);
            Assert.Equal(2, demand.Groups[1].Count);
        }
    }
}
