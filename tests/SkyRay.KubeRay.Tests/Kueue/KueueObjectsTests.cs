using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Kueue;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;
using SkyRay.Placement.Planning;

namespace SkyRay.KubeRay.Tests.Kueue;

/// <summary>The ResourceFlavors, ClusterQueue, LocalQueues and WorkloadPriorityClasses of a cluster that runs Kueue.</summary>
public sealed class KueueObjectsTests
{
    private const string Aws = """
        kueue:
          priorityClasses:
            high: {value: 1000, description: production jobs}
            low: {value: 10}
        clusters:
          shared:
            provider: aws
            region: us-east-1
            kubernetesVersion: "1.35"
            nodePools:
              - {name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 3}
              - name: gpu
                instanceType: g5.12xlarge
                maxNodes: 2
                labels: {skyray.io/accelerator: a10g}
                taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}]
        workloads:
          train-a: {kind: RayJob, namespace: team-a, queue: research, entrypoint: python a.py, workerGroups: [{name: w, cpu: 4, memory: 16Gi}]}
          train-b: {kind: RayJob, namespace: team-b, entrypoint: python b.py, workerGroups: [{name: w, cpu: 4, memory: 16Gi}]}
          train-c: {kind: RayJob, namespace: team-a, queue: research, entrypoint: python c.py, workerGroups: [{name: w, cpu: 4, memory: 16Gi}]}
        """;

    private const string Azure = """
        clusters:
          aks:
            provider: azure
            region: westeurope
            kubernetesVersion: "1.35"
            kueue: {}
            nodePools:
              - {name: cpu, instanceType: Standard_D8s_v5, maxNodes: 4}
              - {name: a100, instanceType: Standard_NC24ads_A100_v4, maxNodes: 2, spot: true}
        """;

    private const string Gcp = """
        clusters:
          gke:
            provider: gcp
            region: us-central1
            kubernetesVersion: "1.35"
            kueue: {cohort: gpus, fairSharing: {weight: 2}, admissionFairSharing: true, queueingStrategy: StrictFIFO, preemption: {withinClusterQueue: LowerPriority, reclaimWithinCohort: Any}}
            nodePools:
              - {name: cpu, instanceType: n2-standard-8, maxNodes: 1}
              - {name: l4, instanceType: g2-standard-24, maxNodes: 3, zones: [us-central1-a, us-central1-b]}
        """;

    private static (FleetSpec Spec, ClusterSpec Cluster, List<KubeObject> Objects) Objects(string yaml, string cluster, ClusterState state = ClusterState.Active, params string[] workloads)
    {
        var spec = KueueFleet.Load(yaml);
        var c = spec.Clusters[cluster];
        return (spec, c, [.. KueueObjects.For(spec, c, KueueFleet.Plan(c, state, workloads))]);
    }

    private static JsonObject Quota(KubeObject clusterQueue, string flavor)
    {
        var flavors = clusterQueue.Manifest["spec"]!["resourceGroups"]![0]!["flavors"]!.AsArray();
        var resources = flavors.Single(f => f!["name"]!.GetValue<string>() == flavor)!["resources"]!.AsArray();
        return new JsonObject([.. resources.Select(r => KeyValuePair.Create(r!["name"]!.GetValue<string>(), (JsonNode?)JsonValue.Create(r["nominalQuota"]!.GetValue<string>())))]);
    }

    [Fact]
    public void Aws_quotas_are_each_pools_capacity_at_its_maximum_size_after_the_per_node_reserve()
    {
        var (_, _, objects) = Objects(Aws, "shared");
        var queue = objects.Single(o => o.Kind == "ClusterQueue");

        // Worked out by hand from the catalog and the system reserve (0.5 vCPU, 1 GiB per node):
        // cpu pool: m6i.2xlarge (8 vCPU, 32 GiB), max 3 nodes → 3 × 7.5 = 22.5 CPU, 3 × 31 = 93 GiB, no GPU;
        // gpu pool: g5.12xlarge (48 vCPU, 192 GiB, 4 × A10G), max 2 nodes → 2 × 47.5 = 95 CPU, 2 × 191 = 382 GiB, 8 GPUs.
        Assert.Equal("""{"cpu":"22500m","memory":"93Gi","nvidia.com/gpu":"0"}""", Quota(queue, "skyray-cpu").ToJsonString());
        Assert.Equal("""{"cpu":"95","memory":"382Gi","nvidia.com/gpu":"8"}""", Quota(queue, "skyray-gpu").ToJsonString());
        Assert.Equal<string>(["cpu", "memory", "nvidia.com/gpu"], KueueFleet.Strings(queue.Manifest["spec"]!["resourceGroups"]![0]!["coveredResources"]));
    }

    [Fact]
    public void Azure_quotas_count_the_spot_a100_pool_and_its_flavor_carries_the_aks_spot_and_gpu_taints()
    {
        var (_, _, objects) = Objects(Azure, "aks");
        var queue = objects.Single(o => o.Kind == "ClusterQueue");

        // Standard_D8s_v5 (8 vCPU, 32 GiB) × 4 → 30 CPU, 124 GiB; Standard_NC24ads_A100_v4 (24 vCPU, 220 GiB, 1 × A100-80GB) × 2 → 47 CPU, 438 GiB, 2 GPUs.
        Assert.Equal("""{"cpu":"30","memory":"124Gi","nvidia.com/gpu":"0"}""", Quota(queue, "skyray-cpu").ToJsonString());
        Assert.Equal("""{"cpu":"47","memory":"438Gi","nvidia.com/gpu":"2"}""", Quota(queue, "skyray-a100").ToJsonString());
        var flavor = objects.Single(o => o.Kind == "ResourceFlavor" && o.Name == "skyray-a100").Manifest["spec"]!;
        Assert.Equal("""{"kubernetes.azure.com/agentpool":"a100"}""", flavor["nodeLabels"]!.ToJsonString());
        // AKS puts the spot taint on spot nodes; SkyRay declares the GPU taint on AKS GPU pools (docs/deploy.md, GPUs per cloud).
        Assert.Equal(
            """[{"effect":"NoSchedule","key":"kubernetes.azure.com/scalesetpriority","value":"spot"},{"effect":"NoSchedule","key":"nvidia.com/gpu","value":"present"}]""",
            flavor["nodeTaints"]!.ToJsonString());
    }

    [Fact]
    public void Gcp_quotas_and_the_queueing_options_reach_the_cluster_queue()
    {
        var (_, _, objects) = Objects(Gcp, "gke");
        var queue = objects.Single(o => o.Kind == "ClusterQueue");

        // n2-standard-8 (8 vCPU, 32 GiB) × 1 → 7.5 CPU, 31 GiB; g2-standard-24 (24 vCPU, 96 GiB, 2 × L4) × 3 → 70.5 CPU, 285 GiB, 6 GPUs.
        Assert.Equal("""{"cpu":"7500m","memory":"31Gi","nvidia.com/gpu":"0"}""", Quota(queue, "skyray-cpu").ToJsonString());
        Assert.Equal("""{"cpu":"70500m","memory":"285Gi","nvidia.com/gpu":"6"}""", Quota(queue, "skyray-l4").ToJsonString());
        var spec = queue.Manifest["spec"]!;
        Assert.Equal("gpus", spec["cohortName"]!.GetValue<string>());
        Assert.Equal("2", spec["fairSharing"]!["weight"]!.GetValue<string>());
        Assert.Equal("UsageBasedAdmissionFairSharing", spec["admissionScope"]!["admissionMode"]!.GetValue<string>());
        Assert.Equal("StrictFIFO", spec["queueingStrategy"]!.GetValue<string>());
        Assert.Equal("""{"borrowWithinCohort":{"policy":"Never"},"reclaimWithinCohort":"Any","withinClusterQueue":"LowerPriority"}""", spec["preemption"]!.ToJsonString());
    }

    [Fact]
    public void A_cpu_only_cluster_queue_covers_cpu_and_memory_only()
    {
        var (_, _, objects) = Objects("""
            clusters:
              cpu-only:
                provider: aws
                region: us-east-1
                kubernetesVersion: "1.35"
                kueue: {}
                nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 2}]
            """, "cpu-only");
        var queue = objects.Single(o => o.Kind == "ClusterQueue");

        Assert.Equal<string>(["cpu", "memory"], KueueFleet.Strings(queue.Manifest["spec"]!["resourceGroups"]![0]!["coveredResources"]));
        Assert.Equal("""{"cpu":"15","memory":"62Gi"}""", Quota(queue, "skyray-cpu").ToJsonString());
    }

    [Fact]
    public void Flavors_pin_each_pool_by_the_labels_and_taints_the_renderer_uses()
    {
        var (_, _, objects) = Objects(Aws, "shared");
        var gpu = objects.Single(o => o.Kind == "ResourceFlavor" && o.Name == "skyray-gpu").Manifest["spec"]!;
        var cpu = objects.Single(o => o.Kind == "ResourceFlavor" && o.Name == "skyray-cpu").Manifest["spec"]!;

        Assert.Equal("""{"eks.amazonaws.com/nodegroup":"gpu","skyray.io/accelerator":"a10g"}""", gpu["nodeLabels"]!.ToJsonString());
        Assert.Equal("""[{"effect":"NoSchedule","key":"nvidia.com/gpu","value":"true"}]""", gpu["nodeTaints"]!.ToJsonString());
        Assert.Equal("""{"eks.amazonaws.com/nodegroup":"cpu"}""", cpu["nodeLabels"]!.ToJsonString());
        Assert.Null(cpu["nodeTaints"]);
    }

    [Fact]
    public void Local_queues_are_one_per_namespace_and_queue_of_the_placed_workloads()
    {
        var (_, _, objects) = Objects(Aws, "shared", ClusterState.Active, "train-a", "train-b", "train-c");

        Assert.Equal(
            ["team-a/research", "team-b/default"],
            objects.Where(o => o.Kind == "LocalQueue").Select(o => $"{o.Namespace}/{o.Name}"));
        Assert.All(objects.Where(o => o.Kind == "LocalQueue"), o => Assert.Equal("skyray", o.Manifest["spec"]!["clusterQueue"]!.GetValue<string>()));
    }

    [Fact]
    public void Objects_come_priority_classes_flavors_cluster_queue_then_local_queues()
    {
        var (_, _, objects) = Objects(Aws, "shared", ClusterState.Active, "train-b");

        Assert.Equal(
            ["WorkloadPriorityClass/high", "WorkloadPriorityClass/low", "ResourceFlavor/skyray-cpu", "ResourceFlavor/skyray-gpu", "ClusterQueue/skyray", "LocalQueue/default"],
            objects.Select(o => $"{o.Kind}/{o.Name}"));
        var high = objects[0].Manifest;
        Assert.Equal((1000, "production jobs"), (high["value"]!.GetValue<int>(), high["description"]!.GetValue<string>()));
    }

    [Fact]
    public void A_standby_cluster_keeps_the_same_cluster_level_objects_and_has_no_local_queues()
    {
        var (spec, cluster, active) = Objects(Aws, "shared", ClusterState.Active, "train-a");
        var standby = KueueObjects.For(spec, cluster, KueueFleet.Plan(cluster, ClusterState.Standby));

        Assert.Equal(
            active.Where(o => o.Kind != "LocalQueue").Select(o => ManifestYaml.WriteOne(o.Manifest)),
            standby.Select(o => ManifestYaml.WriteOne(o.Manifest)));
        Assert.DoesNotContain(standby, o => o.Kind == "LocalQueue");
    }

    [Fact]
    public void A_cluster_without_kueue_or_absent_gets_no_queue_objects()
    {
        var spec = KueueFleet.Load(Azure.Replace("kueue: {}", "kueue: {enabled: false}", StringComparison.Ordinal));
        var off = spec.Clusters["aks"];
        Assert.Empty(KueueObjects.For(spec, off, KueueFleet.Plan(off)));

        var (onSpec, on, _) = Objects(Azure, "aks");
        Assert.Empty(KueueObjects.For(onSpec, on, KueueFleet.Plan(on, ClusterState.Absent)));
    }

    [SkippableFact]
    public void Every_rendered_kueue_object_validates_against_the_v0_19_2_crds()
    {
        var crds = KueueFleet.KueueCrds();
        foreach (var (yaml, cluster, workloads) in new[] { (Aws, "shared", new[] { "train-a", "train-b" }), (Azure, "aks", []), (Gcp, "gke", []) })
        {
            var (_, _, objects) = Objects(yaml, cluster, ClusterState.Active, workloads);
            foreach (var o in objects)
            {
                var result = crds.Validate(o, $"{cluster}/{o.Kind}/{o.Name}");
                Assert.True(result.Accepted, string.Join("\n", result.Diagnostics));
                Assert.Empty(result.Diagnostics);
                Assert.Equal("kueue.x-k8s.io/v1beta2", o.ApiVersion);
            }
        }
    }

    [SkippableFact]
    public void The_crds_catch_a_quota_kueue_would_reject()
    {
        // The validator is not vacuous for Kueue's schemas: a word where a quantity belongs is rejected.
        var crds = KueueFleet.KueueCrds();
        var (_, _, objects) = Objects(Aws, "shared");
        var queue = objects.Single(o => o.Kind == "ClusterQueue");
        var broken = (JsonObject)queue.Manifest.DeepClone();
        broken["spec"]!["resourceGroups"]![0]!["flavors"]![0]!["resources"]![0]!["nominalQuota"] = "lots";

        Assert.False(crds.Validate(broken, "broken").Accepted);
    }
}
