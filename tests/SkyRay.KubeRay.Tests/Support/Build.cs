using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.KubeRay.Tests.Support;

/// <summary>Test data builders with sensible defaults; tests override what they pin.</summary>
public static class Build
{
    public static ImmutableSortedDictionary<string, string> Map(params (string Key, string Value)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    public static RayGroupSpec Group(string name, string cpu = "4", string memory = "16Gi", int gpu = 0, int replicas = 1, int min = 1, int max = 1, string? gpuType = null) =>
        new(name, cpu, memory, gpu, gpuType, replicas, min, max, Map());

    public static RayGroupSpec Head(string cpu = "2", string memory = "8Gi") => Group("head", cpu, memory) with { RayStartParams = Map(("dashboard-host", "0.0.0.0")) };

    public static WorkloadSpec Structured(string name, RayKind kind, RayGroupSpec head, params RayGroupSpec[] workers) =>
        new(
            name,
            kind,
            "ml",
            Map(("team", "research")),
            null,
            "2.52.0",
            "rayproject/ray:2.52.0",
            head,
            [.. workers],
            kind == RayKind.RayJob ? new RayJobSettings("python train.py", "pip:\n  - torch==2.5.0\nenv_vars:\n  MODE: \"1\"\n", true, 300, 7200) : null,
            kind == RayKind.RayService ? new RayServiceSettings("applications:\n- name: llm\n  import_path: serve_app:app\n  route_prefix: /\n") : null,
            null,
            new WorkloadDemand([]));

    public static WorkloadSpec Raw(string name, RayKind kind, JsonObject spec)
    {
        var bag = new DiagnosticBag();
        var demand = RawSpecDemand.Compute(kind, spec, $"skyray:workloads.{name}.spec", bag);
        return new WorkloadSpec(name, kind, "default", Map(), null, "", "", null, [], null, null, spec, demand);
    }

    public static ClusterSpec Cluster(string name = "aws-1", params NodePoolSpec[] pools) =>
        new(name, CloudProvider.Aws, "us-east-1", "1.35", ClusterLifecycle.Static, null, Map(("cluster.class", "production")),
            pools.Length == 0 ? [Pool("cpu")] : [.. pools]);

    public static NodePoolSpec Pool(string name, string instanceType = "m6i.2xlarge", (string, string)[]? labels = null, params NodeTaint[] taints) =>
        new(name, instanceType, 0, 10, false, Map(labels ?? [("skyray.io/pool", name)]), [.. taints]);

    public static WorkloadCopy Copy(
        string workload,
        string cluster = "aws-1",
        (string Group, int Replicas)[]? replicas = null,
        (string Group, string Pool)[]? pools = null,
        params FieldOverride[] overrides) =>
        new(
            workload,
            cluster,
            (replicas ?? []).ToImmutableSortedDictionary(r => r.Group, r => r.Replicas, StringComparer.Ordinal),
            (pools ?? []).ToImmutableSortedDictionary(p => p.Group, p => p.Pool, StringComparer.Ordinal),
            [.. overrides],
            LaunchTier.RunningNodes,
            0m);
}
