using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;
using SkyRay.Testing;

namespace SkyRay.KubeRay.Tests.Rendering;

public class StructuredRenderTests
{
    private static readonly NodeTaint GpuTaint = new("nvidia.com/gpu", null, "NoSchedule");

    private static ClusterSpec GpuCluster() => Build.Cluster(
        "aws-1",
        Build.Pool("cpu", "m6i.2xlarge"),
        Build.Pool("gpu", "g6.12xlarge", [("skyray.io/pool", "gpu"), ("node.kubernetes.io/accelerator", "L4")], GpuTaint));

    /// <summary>The golden cases: one per kind, each on the GPU cluster with the head on cpu and workers on gpu.</summary>
    public static TheoryData<string> Cases => ["raycluster-autoscaling", "rayjob-batch", "rayservice-llm"];

    private static KubeObject RenderCase(string name) => name switch
    {
        "raycluster-autoscaling" => WorkloadRenderer.Render(
            Build.Structured("lab", RayKind.RayCluster, Build.Head(), Build.Group("gpu-workers", "8", "32Gi", gpu: 1, replicas: 2, min: 1, max: 4, gpuType: "L4")),
            GpuCluster(),
            Build.Copy("lab", pools: [("head", "cpu"), ("gpu-workers", "gpu")]),
            "gpu-first"),
        "rayjob-batch" => WorkloadRenderer.Render(
            Build.Structured("train", RayKind.RayJob, Build.Head(), Build.Group("cpu-workers", "4", "16Gi", replicas: 3, min: 3, max: 3)),
            GpuCluster(),
            Build.Copy("train", pools: [("head", "cpu"), ("cpu-workers", "cpu")]),
            null),
        "rayservice-llm" => WorkloadRenderer.Render(
            Build.Structured("llm", RayKind.RayService, Build.Head("4", "16Gi"), Build.Group("gpu-group", "16", "64Gi", gpu: 4, replicas: 2, min: 2, max: 2)),
            GpuCluster(),
            Build.Copy("llm", pools: [("head", "cpu"), ("gpu-group", "gpu")]),
            "serving"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structured_form_renders_as_the_golden_file(string name)
    {
        var yaml = ManifestYaml.Write([RenderCase(name).Manifest]);
        var golden = Path.Combine(SharedMaterial.RepositoryRoot, "tests", "SkyRay.KubeRay.Tests", "Golden", name + ".yaml");
        if (Environment.GetEnvironmentVariable("SKYRAY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, yaml);
        }

        Assert.True(File.Exists(golden), $"golden file {name}.yaml is missing; run the tests once with SKYRAY_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(golden), yaml);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Golden_files_are_valid_against_the_kuberay_crds(string name)
    {
        var crds = Crds.Load();
        var text = File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "tests", "SkyRay.KubeRay.Tests", "Golden", name + ".yaml"));
        var bag = new DiagnosticBag();
        var doc = Assert.IsType<JsonObject>(Fleet.Yaml.YamlJson.ParseSingle(text, name, bag));
        Assert.Empty(bag.Items);
        Assert.Empty(crds.Validate(doc, name).Diagnostics);
    }

    [Fact]
    public void Autoscaling_is_enabled_only_when_a_group_can_scale()
    {
        var fixedSize = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", min: 2, max: 2, replicas: 2)), Build.Cluster(), Build.Copy("a"), null);
        var scaling = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", min: 0, max: 5)), Build.Cluster(), Build.Copy("a"), null);
        Assert.Null(fixedSize.Manifest["spec"]!["enableInTreeAutoscaling"]);
        Assert.True(scaling.Manifest["spec"]!["enableInTreeAutoscaling"]!.GetValue<bool>());
    }

    [Fact]
    public void Gpu_group_gets_requests_equal_to_limits_and_the_pool_toleration()
    {
        var rendered = RenderCase("raycluster-autoscaling");
        var worker = rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!["template"]!["spec"]!;
        var resources = worker["containers"]![0]!["resources"]!;
        Assert.True(JsonNode.DeepEquals(resources["requests"], resources["limits"]));
        Assert.Equal("1", resources["limits"]!["nvidia.com/gpu"]!.GetValue<string>());
        Assert.Equal("gpu", worker["nodeSelector"]!["skyray.io/pool"]!.GetValue<string>());
        Assert.Equal("nvidia.com/gpu", worker["tolerations"]![0]!["key"]!.GetValue<string>());
        var head = rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!;
        Assert.Equal("cpu", head["nodeSelector"]!["skyray.io/pool"]!.GetValue<string>());
        Assert.Null(head["tolerations"]);
    }

    private static (int Replicas, int Min, int Max) RenderShare(WorkloadSpec workload, int share)
    {
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy(workload.Name, replicas: [("w", share)]), "split");
        var group = rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!;
        return (Int(group["replicas"]), Int(group["minReplicas"]), Int(group["maxReplicas"]));
    }

    [Fact]
    public void Divide_share_scales_min_and_max_to_the_copys_fraction()
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", replicas: 10, min: 4, max: 10));

        // 3 of 10: min 4 × 0.3 = 1.2 → 1, max 10 × 0.3 = 3.
        Assert.Equal((3, 1, 3), RenderShare(workload, 3));
    }

    [Fact]
    public void Divide_copies_ranges_add_up_to_the_workloads_range()
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", replicas: 7, min: 2, max: 9));

        // 4 + 3 of 7: min 8/7 → 1 and 6/7 → 1; max 36/7 → 5 and 27/7 → 4 (nearest, halves up).
        var big = RenderShare(workload, 4);
        var small = RenderShare(workload, 3);

        Assert.Equal((4, 1, 5), big);
        Assert.Equal((3, 1, 4), small);
        Assert.Equal((7, 2, 9), (big.Replicas + small.Replicas, big.Min + small.Min, big.Max + small.Max));
    }

    [Theory]
    [InlineData(10, 10, 10, 1)]
    [InlineData(10, 0, 100, 1)]
    [InlineData(10, 9, 10, 1)]
    [InlineData(5, 5, 5, 0)]
    [InlineData(3, 0, 3, 2)]
    public void Divide_share_keeps_min_within_replicas_within_max_and_never_below_zero(int replicas, int min, int max, int share)
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", replicas: replicas, min: min, max: max));

        var (r, lo, hi) = RenderShare(workload, share);

        Assert.Equal(share, r);
        Assert.InRange(lo, 0, r);
        Assert.True(hi >= r, $"max {hi} < replicas {r}");
    }

    [Fact]
    public void Duplicate_copy_keeps_the_range_as_written()
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", replicas: 3, min: 1, max: 8));

        Assert.Equal((3, 1, 8), RenderShare(workload, 3));
    }

    [Fact]
    public void Divide_share_of_a_raw_group_counts_hosts_and_leaves_an_unbounded_max_unbounded()
    {
        var spec = Demand.RawSpecDemandTests.Spec("""
            headGroupSpec:
              rayStartParams: {}
              template: {spec: {containers: [{name: ray-head, image: rayproject/ray:2.52.0}]}}
            workerGroupSpecs:
            - groupName: w
              replicas: 4
              minReplicas: 2
              numOfHosts: 2
              rayStartParams: {}
              template: {spec: {containers: [{name: ray-worker, image: rayproject/ray:2.52.0}]}}
            """);
        var workload = Build.Raw("raw", RayKind.RayCluster, spec);

        // 4 replicas × 2 hosts = 8 pods; the plan gives this copy 4 of them: 2 replicas, min 2 × 0.5 = 1.
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("raw", replicas: [("w", 4)]), "split");
        var group = rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!.AsObject();

        Assert.Equal((2, 1), (Int(group["replicas"]), Int(group["minReplicas"])));
        Assert.False(group.ContainsKey("maxReplicas"));
    }

    [Fact]
    public void Raw_spec_copy_gets_share_pools_and_gpu_limit_without_touching_the_workload()
    {
        var spec = RawSpecDemandTestsSpec();
        var workload = Build.Raw("raw", RayKind.RayCluster, spec);
        var cluster = GpuCluster();
        var rendered = WorkloadRenderer.Render(workload, cluster, Build.Copy("raw", replicas: [("gpu", 1)], pools: [("gpu", "gpu")]), null);
        var group = rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!;
        Assert.Equal(1, Int(group["replicas"]));
        var resources = group["template"]!["spec"]!["containers"]![0]!["resources"]!;
        Assert.Equal("2", resources["limits"]!["nvidia.com/gpu"]!.GetValue<string>());
        Assert.Equal("NoSchedule", group["template"]!["spec"]!["tolerations"]![0]!["effect"]!.GetValue<string>());
        Assert.Null(spec["workerGroupSpecs"]![0]!["template"]!["spec"]!["tolerations"]);
        Assert.Equal(4, Int(spec["workerGroupSpecs"]![0]!["replicas"]));
    }

    [Theory]
    [InlineData(CloudProvider.Aws, "eks.amazonaws.com/nodegroup")]
    [InlineData(CloudProvider.Gcp, "cloud.google.com/gke-nodepool")]
    [InlineData(CloudProvider.Azure, "kubernetes.azure.com/agentpool")]
    public void Groups_are_pinned_by_the_clouds_pool_name_label_even_without_pool_labels(CloudProvider provider, string label)
    {
        var cluster = Build.Cluster("c", Build.Pool("l4", labels: [])) with { Provider = provider };
        var rendered = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head()), cluster, Build.Copy("a", "c", pools: [("head", "l4")]), null);
        var selector = rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!["nodeSelector"]!.AsObject();
        Assert.Equal([label], selector.Select(p => p.Key));
        Assert.Equal("l4", selector[label]!.GetValue<string>());
    }

    [Theory]
    [InlineData("z.example/zone", "1", "a.example/tier,eks.amazonaws.com/nodegroup,z.example/zone")]
    [InlineData("eks.amazonaws.com/nodegroup", "other", "a.example/tier,eks.amazonaws.com/nodegroup")]
    public void Pool_name_label_takes_its_sorted_place_among_the_pool_labels_and_overrides_a_pool_label_of_its_key(string key, string value, string order)
    {
        var cluster = Build.Cluster("c", Build.Pool("l4", labels: [("a.example/tier", "gpu"), (key, value)]));
        var rendered = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head()), cluster, Build.Copy("a", "c", pools: [("head", "l4")]), null);
        var selector = rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!["nodeSelector"]!.AsObject();
        Assert.Equal(order.Split(','), selector.Select(p => p.Key));
        Assert.Equal("l4", selector["eks.amazonaws.com/nodegroup"]!.GetValue<string>());
        Assert.Equal("gpu", selector["a.example/tier"]!.GetValue<string>());
    }

    [Fact]
    public void Existing_cluster_pools_are_pinned_by_their_labels_only()
    {
        var cluster = Build.Cluster("c", Build.Pool("workers", labels: [])) with { Provider = CloudProvider.Existing };
        var rendered = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head()), cluster, Build.Copy("a", "c", pools: [("head", "workers")]), null);
        Assert.Null(rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!["nodeSelector"]);
    }

    [Fact]
    public void Aks_spot_pool_adds_the_toleration_for_the_taint_aks_puts_on_spot_nodes()
    {
        var cluster = Build.Cluster("c", Build.Pool("spot") with { Spot = true }) with { Provider = CloudProvider.Azure };
        var rendered = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head()), cluster, Build.Copy("a", "c", pools: [("head", "spot")]), null);
        var toleration = rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!["tolerations"]![0]!;
        Assert.Equal(("kubernetes.azure.com/scalesetpriority", "spot"), (toleration["key"]!.GetValue<string>(), toleration["value"]!.GetValue<string>()));
    }

    [Fact]
    public void Cpu_pods_get_no_toleration_for_a_pool_taint_they_did_not_earn()
    {
        // Placement only puts pods on a tainted pool they tolerate; rendering never adds a toleration for the pool's taint,
        // so a taint meant to keep pods off keeps them off.
        var cluster = Build.Cluster("c", Build.Pool("tainted", taints: new NodeTaint("dedicated", "ml", "NoSchedule")));
        var rendered = WorkloadRenderer.Render(Build.Structured("a", RayKind.RayCluster, Build.Head()), cluster, Build.Copy("a", "c", pools: [("head", "tainted")]), null);

        Assert.Null(rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!["tolerations"]);
    }

    [Fact]
    public void Workload_tolerations_go_to_every_pod_and_gpu_pods_also_get_the_gpu_toleration()
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("gpu", gpu: 1)) with
        {
            Tolerations = [new Toleration("dedicated", "Equal", "ml", "NoSchedule")],
        };
        var rendered = WorkloadRenderer.Render(workload, GpuCluster(), Build.Copy("a", pools: [("head", "cpu"), ("gpu", "gpu")]), null);

        static string Keys(JsonNode? tolerations) => string.Join(",", tolerations!.AsArray().Select(t => $"{t!["key"]}/{t["operator"]}/{t["effect"]}"));
        Assert.Equal("dedicated/Equal/NoSchedule", Keys(rendered.Manifest["spec"]!["headGroupSpec"]!["template"]!["spec"]!["tolerations"]));
        Assert.Equal("dedicated/Equal/NoSchedule,nvidia.com/gpu/Exists/NoSchedule", Keys(rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!["template"]!["spec"]!["tolerations"]));
    }

    [Fact]
    public void Rayservice_waits_for_ready_with_a_timeout()
    {
        var rendered = WorkloadRenderer.Render(Build.Structured("llm", RayKind.RayService, Build.Head()), Build.Cluster(), Build.Copy("llm"), null);
        var annotations = rendered.Manifest["metadata"]!["annotations"]!;

        Assert.Equal("condition=Ready", annotations["pulumi.com/waitFor"]!.GetValue<string>());
        Assert.Equal("1800", annotations["pulumi.com/timeoutSeconds"]!.GetValue<string>());
    }

    [Fact]
    public void Existing_toleration_is_not_duplicated()
    {
        var spec = RawSpecDemandTestsSpec();
        spec["workerGroupSpecs"]![0]!["template"]!["spec"]!["tolerations"] = new JsonArray(new JsonObject { ["key"] = "nvidia.com/gpu", ["operator"] = "Exists" });
        var rendered = WorkloadRenderer.Render(Build.Raw("raw", RayKind.RayCluster, spec), GpuCluster(), Build.Copy("raw", pools: [("gpu", "gpu")]), null);
        Assert.Single(rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!["template"]!["spec"]!["tolerations"]!.AsArray());
    }

    [Fact]
    public void Policy_overrides_are_applied_last_by_nova_field_path()
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w", replicas: 2, min: 1, max: 4));
        var copy = Build.Copy(
            "a",
            replicas: [("w", 2)],
            overrides: [new FieldOverride("spec.workerGroupSpecs[0].replicas", JsonValue.Create(3)), new FieldOverride("metadata.labels['region']", JsonValue.Create("eu"))]);
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), copy, "p");
        Assert.Equal(3, Int(rendered.Manifest["spec"]!["workerGroupSpecs"]![0]!["replicas"]));
        Assert.Equal("eu", rendered.Manifest["metadata"]!["labels"]!["region"]!.GetValue<string>());
    }

    [Fact]
    public void Override_of_a_missing_list_item_is_a_located_error()
    {
        var workload = Build.Structured("a", RayKind.RayCluster, Build.Head(), Build.Group("w"));
        var copy = Build.Copy("a", overrides: [new FieldOverride("spec.workerGroupSpecs[5].replicas", JsonValue.Create(1))]);
        var bag = new DiagnosticBag();
        WorkloadRenderer.RenderWithDiagnostics(workload, Build.Cluster(), copy, "p", bag);
        var error = Assert.Single(bag.Items);
        Assert.Contains("spec.workerGroupSpecs[5].replicas", error.Path, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => WorkloadRenderer.Render(workload, Build.Cluster(), copy, "p"));
    }

    [Theory]
    [InlineData("spec.a.b", new object[] { "spec", "a", "b" })]
    [InlineData("spec.groups[2].replicas", new object[] { "spec", "groups", 2, "replicas" })]
    [InlineData("metadata.labels['app.kubernetes.io/name']", new object[] { "metadata", "labels", "app.kubernetes.io/name" })]
    [InlineData("metadata.annotations[\"a.b/c\"]", new object[] { "metadata", "annotations", "a.b/c" })]
    public void Field_paths_parse_into_names_and_indices(string path, object[] expected) =>
        Assert.Equal(expected, FieldOverrides.Parse(path, out _));

    private static int Int(JsonNode? node) => int.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject RawSpecDemandTestsSpec() => Demand.RawSpecDemandTests.Spec("""
        headGroupSpec:
          rayStartParams: {}
          template: {spec: {containers: [{name: ray-head, image: rayproject/ray:2.52.0}]}}
        workerGroupSpecs:
        - groupName: gpu
          replicas: 4
          minReplicas: 0
          maxReplicas: 4
          rayStartParams: {}
          template:
            spec:
              containers:
              - name: ray-worker
                image: rayproject/ray:2.52.0
                resources:
                  requests: {cpu: '8', nvidia.com/gpu: '2'}
        """);
}

public class MisshapenSpecTests
{
    /// <summary>Every node the renderer and demand reach into is the wrong shape: a string, a number or a list.</summary>
    public static TheoryData<string> Specs => [
        """{"headGroupSpec": "head", "workerGroupSpecs": [{"groupName": "w", "template": "t", "replicas": 1}]}""",
        """{"headGroupSpec": {"template": ["a"]}, "workerGroupSpecs": "none"}""",
        """{"headGroupSpec": {"template": {"spec": "pod"}}, "workerGroupSpecs": [3, {"groupName": "w", "template": {"spec": {"containers": "c"}}}]}""",
        """{"headGroupSpec": {"template": {"spec": {"containers": [1, {"name": "h", "resources": "r"}], "tolerations": ["x", 2], "nodeSelector": "n", "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": ["t", {"matchExpressions": ["e", 5]}]}}}}}}}""",
        """{"headGroupSpec": {"template": {"spec": {"affinity": {"nodeAffinity": "na"}, "containers": [{"name": "h", "resources": {"requests": "q", "limits": ["l"]}}]}}}}""",
        """{"headGroupSpec": {"template": {"spec": {"affinity": ["a"], "initContainers": "i", "containers": []}}}}""",
    ];

    private static ClusterSpec TaintedCluster() => Build.Cluster(
        "aws-1", Build.Pool("cpu", "m6i.2xlarge", null, new NodeTaint("dedicated", "ray", "NoSchedule")));

    [Theory]
    [MemberData(nameof(Specs))]
    public void Misshapen_raw_cluster_renders_and_counts_without_throwing(string json)
    {
        var spec = Assert.IsType<JsonObject>(JsonNode.Parse(json));
        var workload = Build.Raw("odd", RayKind.RayCluster, spec);
        var bag = new DiagnosticBag();

        var rendered = WorkloadRenderer.RenderWithDiagnostics(
            workload, TaintedCluster(), Build.Copy("odd", replicas: [("w", 1)], pools: [("head", "cpu"), ("w", "cpu")]), null, bag);
        var demand = RawSpecDemand.Compute(RayKind.RayCluster, spec, "skyray:workloads.odd.spec", bag);

        // Rendered with its labels; the misshapen parts are left for the built-in model to report, not thrown on.
        Assert.Equal("aws-1", rendered.Manifest["metadata"]!["labels"]!["skyray.io/cluster"]!.GetValue<string>());
        Assert.All(demand.Groups, g => Assert.Equal(0, g.Pod.Gpus));
    }

    [Theory]
    [InlineData("""{"entrypoint": "x", "submitterPodTemplate": "s", "rayClusterSpec": {"headGroupSpec": {"template": {"spec": {"containers": ["c"]}}}}}""")]
    [InlineData("""{"entrypoint": "x", "rayClusterSpec": {"headGroupSpec": {"template": {"spec": {"containers": [{"image": 7}]}}}}}""")]
    [InlineData("""{"entrypoint": "x", "rayClusterSpec": "cluster"}""")]
    public void Misshapen_raw_job_renders_without_a_submitter_template_to_pin(string json)
    {
        var spec = Assert.IsType<JsonObject>(JsonNode.Parse(json));
        var workload = Build.Raw("odd", RayKind.RayJob, spec);

        var rendered = WorkloadRenderer.Render(workload, TaintedCluster(), Build.Copy("odd", pools: [(RawSpecDemand.SubmitterGroup, "cpu")]), null);

        Assert.IsNotType<JsonObject>(rendered.Manifest["spec"]!["submitterPodTemplate"]);
    }
}
